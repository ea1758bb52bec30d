package mediswift4j.pipeline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import mediswift4j.finetune.FineTuneSettings;
import mediswift4j.finetune.FineTunedModel;
import mediswift4j.finetune.FineTuner;
import mediswift4j.finetune.HocPredictor;
import mediswift4j.finetune.PubmedqaPredictor;
import mediswift4j.finetune.TaskExample;
import mediswift4j.finetune.TaskExamples;
import mediswift4j.hoc.HocMetrics;
import mediswift4j.hoc.HocSentence;
import mediswift4j.nn.Gpt;
import mediswift4j.pubmedqa.PubmedqaLabel;
import mediswift4j.pubmedqa.PubmedqaMetrics;
import mediswift4j.pubmedqa.PubmedqaRecord;
import mediswift4j.tensor.Tensor;
import mediswift4j.tokenizer.BpeTokenizer;
import mediswift4j.train.Checkpoint;

/**
 * One fine-tuning run of the reproduction with its checkpoint chosen on a dev set (SPEC.md section 16):
 *
 *   load a fresh copy of the pre-trained checkpoint -> dense fine-tuning (FineTuner, all epochs, one LR schedule)
 *   -> at every selection point (half-way through each epoch and at its end) score the dev set and keep a copy of
 *   the weights (and soft prompt) of the best point so far -> restore them -> predict every test item once.
 *
 * Half-epoch points give a single-epoch run (HoC's plan) a choice too. Best = higher dev score (PubMedQA:
 * accuracy, then macro-F1; HoC: micro-F1); an equal score keeps the earlier point. The test set is touched once,
 * after selection. The result (a JSON map, stored as the stage's result) holds the dev history, the chosen point
 * in epochs (0.5, 1, 1.5, ...) and the test predictions: PubMedQA PMID -> label, HoC abstract PMID -> predicted
 * mask (the OR of its sentences'), so scores and bootstrap intervals are computed later from them.
 */
final class SelectedFineTune {
    private SelectedFineTune() {}

    /** Scores the dev set: {score, tie-break} and the history entry. */
    private interface DevScore {
        double[] score(Map<String, Object> entry);
    }

    static Map<String, Object> pubmedqa(Path checkpoint, BpeTokenizer tok, List<PubmedqaRecord> train, List<PubmedqaRecord> dev,
                                        List<PubmedqaRecord> test, FineTuneSettings s) {
        long t0 = System.nanoTime();
        Gpt model = Checkpoint.load(checkpoint).model();
        FineTunedModel ft = FineTuner.forPubmedqa(model, tok, s);
        List<TaskExample> examples = TaskExamples.pubmedqa(tok, train, s.setting(), ft.promptBudget());
        Best best = train(ft, examples, s, entry -> {
            PubmedqaMetrics m = PubmedqaPredictor.evaluate(ft, tok, dev);
            entry.put("accuracy", m.accuracy);
            entry.put("macro_f1", m.macroF1);
            return new double[] {m.accuracy, m.macroF1};
        });
        Map<String, PubmedqaLabel> pred = PubmedqaPredictor.predict(ft, tok, test);
        Map<String, Object> predictions = new LinkedHashMap<>();
        for (var e : pred.entrySet()) predictions.put(e.getKey(), e.getValue().text);
        return result(best, predictions, t0);
    }

    static Map<String, Object> hoc(Path checkpoint, BpeTokenizer tok, List<HocSentence> train, List<HocSentence> dev,
                                   List<HocSentence> test, FineTuneSettings s) {
        long t0 = System.nanoTime();
        Gpt model = Checkpoint.load(checkpoint).model();
        FineTunedModel ft = FineTuner.forHoc(model, tok, train, s);
        List<TaskExample> examples = TaskExamples.hoc(tok, train, ft.promptBudget());
        Best best = train(ft, examples, s, entry -> {
            HocMetrics m = HocPredictor.evaluate(ft, tok, dev);
            entry.put("micro_f1", m.microF1);
            return new double[] {m.microF1, 0};
        });
        Map<String, Integer> sentencePred = HocPredictor.predict(ft, tok, test);
        Map<String, Object> predictions = new LinkedHashMap<>();
        for (HocSentence x : test) predictions.merge(x.pmid(), (long) sentencePred.get(x.index()), (a, b) -> (Long) a | (Long) b);
        return result(best, predictions, t0);
    }

    /** Fine-tunes with dev scored at every selection point, then restores the best point's values. */
    private static Best train(FineTunedModel ft, List<TaskExample> examples, FineTuneSettings s, DevScore dev) {
        long perEpoch = (examples.size() + s.batch() - 1) / s.batch();
        Best best = new Best(ft);
        FineTuner.run(ft.model(), ft.softPrompt(), examples, s, r -> {
            long inEpoch = r.step() - (r.epoch() - 1) * perEpoch;
            boolean half = inEpoch == (perEpoch + 1) / 2 && perEpoch > 1, end = inEpoch == perEpoch;
            if (!half && !end) return;
            double epochs = r.epoch() - (end ? 0 : 0.5);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("epoch", epochs);
            entry.put("step", r.step());
            double[] score = dev.score(entry);
            best.history.add(entry);
            best.offer(epochs, score[0], score[1]);
        });
        best.restore();
        return best;
    }

    private static Map<String, Object> result(Best best, Map<String, Object> predictions, long t0) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("selected_epoch", best.epoch);
        out.put("dev", best.history);
        out.put("predictions", predictions);
        out.put("seconds", (System.nanoTime() - t0) / 1e9);
        return out;
    }

    /** The best selection point so far and a copy of its trainable values (every parameter and the soft prompt). */
    private static final class Best {
        private final List<Tensor> tensors = new ArrayList<>();
        final List<Object> history = new ArrayList<>();
        private float[][] saved;
        double epoch;
        private double score = Double.NEGATIVE_INFINITY, tieBreak = Double.NEGATIVE_INFINITY;
        private boolean lastIsBest;

        Best(FineTunedModel ft) {
            tensors.addAll(ft.model().parameters());
            tensors.add(ft.softPrompt().vectors);
        }

        void offer(double e, double s, double tie) {
            lastIsBest = s > score || (s == score && tie > tieBreak);
            if (!lastIsBest) return;
            epoch = e;
            score = s;
            tieBreak = tie;
            if (saved == null) saved = new float[tensors.size()][];
            for (int i = 0; i < tensors.size(); i++) saved[i] = tensors.get(i).data.clone();
        }

        /** Puts the best point's values back (nothing to do when the last point was the best). */
        void restore() {
            if (lastIsBest || saved == null) return;
            for (int i = 0; i < tensors.size(); i++) System.arraycopy(saved[i], 0, tensors.get(i).data, 0, saved[i].length);
        }
    }
}
