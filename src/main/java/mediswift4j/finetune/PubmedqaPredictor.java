package mediswift4j.finetune;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import mediswift4j.pubmedqa.PubmedqaLabel;
import mediswift4j.pubmedqa.PubmedqaMetrics;
import mediswift4j.pubmedqa.PubmedqaRecord;
import mediswift4j.tokenizer.BpeTokenizer;

/**
 * PubMedQA answers from a model by likelihood (SPEC.md section 12): for each record, the three sequences
 * prompt + soft prompt + candidate(l), l = yes, no, maybe, are scored with LikelihoodScorer (summed log-prob of
 * the candidate's tokens, no length normalization) and the label with the highest score wins; an exact tie goes
 * to the first label in the order yes, no, maybe. Every item gets a label: nothing is ever unparsable.
 */
public final class PubmedqaPredictor {
    private PubmedqaPredictor() {}

    /** PMID -> predicted label, in record order. */
    public static Map<String, PubmedqaLabel> predict(FineTunedModel ft, BpeTokenizer tok, List<PubmedqaRecord> records) {
        Map<String, PubmedqaLabel> out = new LinkedHashMap<>();
        double[][] scores = scores(ft, tok, records);
        for (int i = 0; i < records.size(); i++) out.put(records.get(i).pmid(), argmax(scores[i]));
        return out;
    }

    /** Predicts every record and scores against their final_decision (PubmedqaMetrics). */
    public static PubmedqaMetrics evaluate(FineTunedModel ft, BpeTokenizer tok, List<PubmedqaRecord> records) {
        Map<String, PubmedqaLabel> pred = predict(ft, tok, records);
        List<PubmedqaLabel> gold = new ArrayList<>(), got = new ArrayList<>();
        for (PubmedqaRecord r : records) {
            gold.add(r.label());
            got.add(pred.get(r.pmid()));
        }
        return PubmedqaMetrics.score(gold, got);
    }

    /** scores[i][l]: summed log-probability of candidate l after record i's prompt. */
    public static double[][] scores(FineTunedModel ft, BpeTokenizer tok, List<PubmedqaRecord> records) {
        int[][] cands = TaskExamples.pubmedqaCandidates(tok);
        List<TaskExample> seqs = new ArrayList<>(records.size() * 3);
        for (PubmedqaRecord r : records) {
            int[] prompt = TaskExamples.pubmedqaPrompt(tok, r, ft.setting(), ft.promptBudget());
            for (int[] c : cands) seqs.add(new TaskExample(r.pmid(), prompt, c));
        }
        double[] flat = LikelihoodScorer.score(ft.model(), ft.softPrompt(), seqs);
        double[][] out = new double[records.size()][3];
        for (int i = 0; i < records.size(); i++) System.arraycopy(flat, 3 * i, out[i], 0, 3);
        return out;
    }

    /** The label with the highest score; ties go to the earlier label (yes, no, maybe). */
    public static PubmedqaLabel argmax(double[] scores) {
        int best = 0;
        for (int l = 1; l < 3; l++) if (scores[l] > scores[best]) best = l;
        return PubmedqaLabel.values()[best];
    }
}
