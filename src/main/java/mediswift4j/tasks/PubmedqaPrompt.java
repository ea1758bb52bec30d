package mediswift4j.tasks;

import java.util.ArrayList;
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
 * A model answers by scoring the three candidates after the prompt (the highest total log-probability wins) or
 * by generating text that `parseAnswer` maps back to a label. Candidates start with a space so that
 * prompt + candidate is exactly the training text, and the tokenizer sees the same word boundary in both.
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

    /** The prompt text for `r` in `setting`, ending with "answer:" (no trailing space). */
    public static String prompt(PubmedqaRecord r, Setting setting) {
        return "question: " + normalize(r.question()) + " context: " + context(r, setting) + " answer:";
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

    /** The three candidate continuations, in the order yes, no, maybe. */
    public static List<String> candidates() {
        List<String> out = new ArrayList<>();
        for (PubmedqaLabel l : PubmedqaLabel.values()) out.add(candidate(l));
        return out;
    }

    /** prompt + candidate(gold label): one fine-tuning example. */
    public static String trainingText(PubmedqaRecord r, Setting setting) {
        return prompt(r, setting) + candidate(r.label());
    }

    /**
     * Maps a generated continuation back to a label: the first of the words yes / no / maybe after the answer
     * prefix (or anywhere, if the prefix is absent); null when none appears, which callers score as wrong.
     */
    public static PubmedqaLabel parseAnswer(String generated) {
        String s = generated.toLowerCase(java.util.Locale.ROOT);
        int at = s.indexOf(ANSWER_PREFIX.trim());
        if (at >= 0) s = s.substring(at + ANSWER_PREFIX.trim().length());
        for (String word : s.split("[^a-z]+")) {
            for (PubmedqaLabel l : PubmedqaLabel.values()) if (l.text.equals(word)) return l;
        }
        return null;
    }
}
