package mediswift4j.hoc;

import java.util.List;
import java.util.Locale;

import mediswift4j.pubmedqa.PubmedqaPrompt;

/**
 * HoC as text for generative fine-tuning (SPEC.md section 12, "Prompt templates"), one sentence at a time:
 *
 *   prompt = "sentence: " + text + " hallmarks:"
 *   target = " " + (label names in label order joined by "; ")      or " none" when the sentence has no label
 *   training text = prompt + target
 *
 * e.g. "sentence: VEGF drives vessel growth . hallmarks: inducing angiogenesis; sustaining proliferative signaling".
 * The sentence text is whitespace-normalized like PubMedQA text (runs -> one space, trimmed; BLURB's text is
 * already tokenized with spaces).
 * `parseTarget` turns generated text back into a mask for scoring: everything up to the first newline, split at
 * ";", each piece trimmed and lower-cased, known names kept, "none" and unknown pieces ignored.
 */
public final class HocPrompt {
    private HocPrompt() {}

    public static final String NONE = "none";

    /** The prompt as head, middle and tail, whose concatenation is the prompt: "sentence:" | " " + text | " hallmarks:". */
    public static List<String> promptPieces(String sentence) {
        return List.of("sentence:", " " + PubmedqaPrompt.normalize(sentence), " hallmarks:");
    }

    public static String target(int mask) {
        if ((mask & HocLabels.ALL) == 0) return " " + NONE;
        return " " + String.join("; ", HocLabels.names(mask));
    }

    /** Lenient reading of a model's continuation (see the class comment); never throws. */
    public static int parseTarget(String generated) {
        String s = generated;
        int nl = s.indexOf('\n');
        if (nl >= 0) s = s.substring(0, nl);
        int mask = 0;
        for (String piece : s.split(";")) {
            String name = piece.trim().toLowerCase(Locale.ROOT);
            if (name.endsWith(".")) name = name.substring(0, name.length() - 1).trim();
            int k = HocLabels.NAMES.indexOf(name);
            if (k >= 0) mask |= 1 << k;
        }
        return mask;
    }
}
