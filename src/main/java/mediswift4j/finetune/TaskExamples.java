package mediswift4j.finetune;

import java.util.ArrayList;
import java.util.List;

import mediswift4j.hoc.HocPrompt;
import mediswift4j.hoc.HocSentence;
import mediswift4j.pubmedqa.PubmedqaLabel;
import mediswift4j.pubmedqa.PubmedqaPrompt;
import mediswift4j.pubmedqa.PubmedqaRecord;
import mediswift4j.tokenizer.BpeTokenizer;
import mediswift4j.util.InputException;

/**
 * Turns PubMedQA records and HoC sentences into token sequences for fine-tuning and scoring (SPEC.md section 12).
 *
 * The prompt text of both templates (PubmedqaPrompt.promptPieces, HocPrompt.promptPieces) is tokenized in three
 * pieces, head + middle + tail:
 *   PubMedQA  "question: " + Q + " context:"  |  " " + C  |  " answer:"
 *   HoC       "sentence:"       |  " " + S           |  " hallmarks:"
 * Every piece after the first starts with a space followed by a non-space, which is a pre-tokenizer cut, so the
 * three encodings concatenated equal the encoding of the whole prompt. The target is encoded on its own (it too
 * starts with " "): PubMedQA candidate(label); HoC target(mask) followed by <|endoftext|> (when the vocabulary
 * has it), so that generation knows where to stop.
 *
 * Budget: with T the sequence length (min(max-len, context length)) and P soft-prompt vectors, every sequence
 * satisfies prompt + P + reserve <= T, where reserve is the number of target tokens kept free (PubMedQA: the
 * longest of the three candidates; HoC: the longest training target, stored with the fine-tuned model).
 * Truncation, when needed, cuts the middle (the context / the sentence) from its beginning, keeping the end that
 * sits next to the answer (in PubMedQA abstracts the RESULTS come last, and they carry the answer); if head + tail
 * alone are too long, the head is cut from its end too; the tail ("answer:", "hallmarks:") and the target are
 * never cut.
 */
public final class TaskExamples {
    private TaskExamples() {}

    /** The three tokenized PubMedQA candidates, in label order yes, no, maybe. */
    public static int[][] pubmedqaCandidates(BpeTokenizer tok) {
        int[][] out = new int[3][];
        for (PubmedqaLabel l : PubmedqaLabel.values()) out[l.ordinal()] = tok.encode(PubmedqaPrompt.candidate(l));
        return out;
    }

    /** Target tokens kept free for PubMedQA: the longest candidate. */
    public static int pubmedqaReserve(BpeTokenizer tok) {
        int r = 0;
        for (int[] c : pubmedqaCandidates(tok)) r = Math.max(r, c.length);
        return r;
    }

    /** The truncated prompt tokens of a PubMedQA record (see the class comment). */
    public static int[] pubmedqaPrompt(BpeTokenizer tok, PubmedqaRecord r, PubmedqaPrompt.Setting setting, int promptBudget) {
        List<String> pieces = PubmedqaPrompt.promptPieces(r, setting);
        return fit(tok.encode(pieces.get(0)), tok.encode(pieces.get(1)), tok.encode(pieces.get(2)), promptBudget,
                "PubMedQA PMID " + r.pmid());
    }

    /** Training examples: prompt + candidate(gold label). promptBudget = T - P - pubmedqaReserve. */
    public static List<TaskExample> pubmedqa(BpeTokenizer tok, List<PubmedqaRecord> records, PubmedqaPrompt.Setting setting,
                                             int promptBudget) {
        int[][] cands = pubmedqaCandidates(tok);
        List<TaskExample> out = new ArrayList<>(records.size());
        for (PubmedqaRecord r : records) {
            out.add(new TaskExample(r.pmid(), pubmedqaPrompt(tok, r, setting, promptBudget), cands[r.label().ordinal()]));
        }
        return out;
    }

    /** The truncated prompt tokens of a HoC sentence. */
    public static int[] hocPrompt(BpeTokenizer tok, HocSentence s, int promptBudget) {
        List<String> pieces = HocPrompt.promptPieces(s.text());
        return fit(tok.encode(pieces.get(0)), tok.encode(pieces.get(1)), tok.encode(pieces.get(2)), promptBudget,
                "HoC sentence " + s.index());
    }

    /** target(mask) tokens, then <|endoftext|> when the vocabulary has it. */
    public static int[] hocTarget(BpeTokenizer tok, int mask) {
        int[] t = tok.encode(HocPrompt.target(mask));
        int eot = tok.endOfTextId();
        if (eot < 0) return t;
        int[] out = java.util.Arrays.copyOf(t, t.length + 1);
        out[t.length] = eot;
        return out;
    }

    /** The longest HoC target over these sentences (the reserve for HoC). */
    public static int hocReserve(BpeTokenizer tok, List<HocSentence> sentences) {
        int r = 1;
        for (HocSentence s : sentences) r = Math.max(r, hocTarget(tok, s.labels()).length);
        return r;
    }

    /** Training examples: prompt + target(gold mask) + <|endoftext|>. promptBudget = T - P - reserve. */
    public static List<TaskExample> hoc(BpeTokenizer tok, List<HocSentence> sentences, int promptBudget) {
        List<TaskExample> out = new ArrayList<>(sentences.size());
        for (HocSentence s : sentences) out.add(new TaskExample(s.index(), hocPrompt(tok, s, promptBudget), hocTarget(tok, s.labels())));
        return out;
    }

    /** head + middle + tail cut to at most `budget` tokens: the middle from its beginning first, then the head from its end. */
    static int[] fit(int[] head, int[] middle, int[] tail, int budget, String what) {
        if (tail.length > budget) {
            throw new InputException(what + ": no room for the prompt: " + budget + " tokens left after the soft prompt and the "
                    + "answer, the prompt's fixed end alone needs " + tail.length + " (use a larger --max-len or fewer soft-prompt tokens)");
        }
        int h = Math.min(head.length, budget - tail.length);
        int m = Math.min(middle.length, budget - tail.length - h);
        int[] out = new int[h + m + tail.length];
        System.arraycopy(head, 0, out, 0, h);
        System.arraycopy(middle, middle.length - m, out, h, m);
        System.arraycopy(tail, 0, out, h + m, tail.length);
        return out;
    }
}
