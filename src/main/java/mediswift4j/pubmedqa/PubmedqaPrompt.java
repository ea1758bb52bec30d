package mediswift4j.pubmedqa;

import java.util.List;
import java.util.regex.Pattern;

/**
 * PubMedQA as text for a causal language model, in BioGPT's style (SPEC.md section 12, "Prompt templates").
 *
 *   prompt     = "question: " + Q + " context: " + C + " answer:"
 *   candidate  = " the answer to the question given the context is " + label + "."    (label yes | no | maybe)
 *   training text = prompt + candidate(gold label)
 *
 * Q is QUESTION; C depends on the setting: reasoning-required (the standard one) joins the CONTEXTS with one
 * space and never shows the LONG_ANSWER; reasoning-free uses the LONG_ANSWER instead. Q and C are normalized as
 * BioGPT's preprocessing does for the context: every run of whitespace (Unicode White_Space, newlines included)
 * becomes one space, and leading and trailing whitespace is removed.
 * A model answers by scoring the three candidates after the prompt (the highest total log-probability wins).
 * Candidates start with a space so that prompt + candidate is exactly the training text, and the tokenizer sees
 * the same word boundary in both. The prompt is given in three pieces (promptPieces), which finetune.TaskExamples
 * tokenizes one by one so that it can shorten the context alone.
 */
public final class PubmedqaPrompt {
    private PubmedqaPrompt() {}

    /** What the model sees besides the question. */
    public enum Setting {
        /** Question + the abstract without its conclusion (CONTEXTS). The standard PubMedQA setting. */
        REASONING_REQUIRED,
        /** Question + the abstract's conclusion (LONG_ANSWER). */
        REASONING_FREE
    }

    public static final String ANSWER_PREFIX = " the answer to the question given the context is ";

    private static final Pattern WHITESPACE = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);

    /**
     * The prompt for `r` in `setting` as head, middle and tail, whose concatenation is the prompt text ending with
     * "answer:" (no trailing space): "question: " + Q + " context:" | " " + C | " answer:".
     */
    public static List<String> promptPieces(PubmedqaRecord r, Setting setting) {
        return List.of("question: " + normalize(r.question()) + " context:", " " + context(r, setting), " answer:");
    }

    /** Whitespace runs -> one space, then trimmed. */
    public static String normalize(String s) {
        String t = WHITESPACE.matcher(s).replaceAll(" ");
        if (t.startsWith(" ")) t = t.substring(1);
        if (t.endsWith(" ")) t = t.substring(0, t.length() - 1);
        return t;
    }

    /** The context part alone: joined CONTEXTS (reasoning-required) or LONG_ANSWER (reasoning-free). */
    public static String context(PubmedqaRecord r, Setting setting) {
        if (setting == Setting.REASONING_FREE) return normalize(r.longAnswer());
        return normalize(String.join(" ", r.contexts()));
    }

    /** The continuation that states `label`, starting with a space and ending with a full stop. */
    public static String candidate(PubmedqaLabel label) {
        return ANSWER_PREFIX + label.text + ".";
    }

}
