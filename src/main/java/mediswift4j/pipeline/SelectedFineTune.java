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
import mediswift4j.finetune.TaskExamples;
import mediswift4j.hoc.HocLabels;
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
 * One fine-tuning run of the reproduction with the epoch chosen on a dev set (SPEC.md section 16):
 *
 *   load a fresh copy of the pre-trained checkpoint -> dense fine-tuning (FineTuner, all epochs, one LR schedule)
 *   -> after every epoch, score the dev set; keep a copy of the weights (and soft prompt) of the best epoch so far
 *   -> restore the best epoch's weights -> predict every test item once.
 *
 * Best = higher dev score (PubMedQA: accuracy, then macro-F1; HoC: micro-F1); an equal score keeps the earlier
 * epoch; with a single epoch there is nothing to choose and dev is not scored. The test set is touched once, after
 * selection. The result (a JSON map, stored as the stage's result)
 * holds the dev history, the chosen epoch and the test predictions: PubMedQA PMID -> label, HoC abstract PMID ->
 * predicted mask (the OR of its sentences'), so scores and bootstrap intervals are computed later from them.
 */
final class SelectedFineTune {
    private SelectedFineTune() {}

    static Map<String, Object> pubmedqa(Path checkpoint, BpeTokenizer tok, List<PubmedqaRecord> train, List<PubmedqaRecord> dev,
                                        List<PubmedqaRecord> test, FineTuneSettings s) {
        long t0 = System.nanoTime();
        Gpt model = Checkpoint.load(checkpoint).model();
        FineTunedModel ft = FineTuner.forPubmedqa(model, tok, s);
        Best best = new Best(ft);
        List<Object> history = new ArrayList<>();
        FineTuner.run(model, ft.softPrompt(), TaskExamples.pubmedqa(tok, train, s.setting(), ft.promptBudget()), s, new FineTuner.Progress() {
            @Override
            public void step(FineTuner.StepReport r) {}

            @Override
            public void epochEnd(int epoch, long steps) {
                if (s.epochs() == 1) {
                    best.offer(epoch, 0, 0); // nothing to choose between: dev is not scored
                    return;
                }
                PubmedqaMetrics m = PubmedqaPredictor.evaluate(ft, tok, dev);
                history.add(Map.of("epoch", (long) epoch, "accuracy", m.accuracy, "macro_f1", m.macroF1));
                best.offer(epoch, m.accuracy, m.macroF1);
            }
        });
        best.restore();
        Map<String, PubmedqaLabel> pred = PubmedqaPredictor.predict(ft, tok, test);
        Map<String, Object> predictions = new LinkedHashMap<>();
        for (var e : pred.entrySet()) predictions.put(e.getKey(), e.getValue().text);
        return result(best, history, predictions, t0);
    }

    static Map<String, Object> hoc(Path checkpoint, BpeTokenizer tok, List<HocSentence> train, List<HocSentence> dev,
                                   List<HocSentence> test, FineTuneSettings s) {
        long t0 = System.nanoTime();
        Gpt model = Checkpoint.load(checkpoint).model();
        FineTunedModel ft = FineTuner.forHoc(model, tok, train, s);
        Best best = new Best(ft);
        List<Object> history = new ArrayList<>();
        FineTuner.run(model, ft.softPrompt(), TaskExamples.hoc(tok, train, ft.promptBudget()), s, new FineTuner.Progress() {
            @Override
            public void step(FineTuner.StepReport r) {}

            @Override
            public void epochEnd(int epoch, long steps) {
                if (s.epochs() == 1) {
                    best.offer(epoch, 0, 0);
                    return;
                }
                HocMetrics m = HocPredictor.evaluate(ft, tok, dev);
                history.add(Map.of("epoch", (long) epoch, "micro_f1", m.microF1));
                best.offer(epoch, m.microF1, 0);
            }
        });
        best.restore();
        Map<String, Integer> sentencePred = HocPredictor.predict(ft, tok, test);
        Map<String, Object> predictions = new LinkedHashMap<>();
        for (HocSentence x : test) {
            int mask = sentencePred.get(x.index());
            Object prev = predictions.get(x.pmid());
            predictions.put(x.pmid(), (long) (mask | (prev == null ? 0 : (int) (long) (Long) prev)));
        }
        Map<String, Object> out = result(best, history, predictions, t0);
        out.put("mask_bits", HocLabels.COUNT);
        return out;
    }

    private static Map<String, Object> result(Best best, List<Object> history, Map<String, Object> predictions, long t0) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("selected_epoch", (long) best.epoch);
        out.put("dev", history);
        out.put("predictions", predictions);
        out.put("seconds", (System.nanoTime() - t0) / 1e9);
        return out;
    }

    /** The best epoch so far and a copy of its trainable values (every parameter and the soft prompt). */
    private static final class Best {
        private final List<Tensor> tensors = new ArrayList<>();
        private float[][] saved;
        int epoch;
        private double score = Double.NEGATIVE_INFINITY, tieBreak = Double.NEGATIVE_INFINITY;
        private boolean lastIsBest;

        Best(FineTunedModel ft) {
            tensors.addAll(ft.model().parameters());
            tensors.add(ft.softPrompt().vectors);
        }

        void offer(int e, double s, double tie) {
            lastIsBest = s > score || (s == score && tie > tieBreak);
            if (!lastIsBest) return;
            epoch = e;
            score = s;
            tieBreak = tie;
            if (saved == null) saved = new float[tensors.size()][];
            for (int i = 0; i < tensors.size(); i++) saved[i] = tensors.get(i).data.clone();
        }

        /** Puts the best epoch's values back (nothing to do when the last epoch was the best). */
        void restore() {
            if (lastIsBest || saved == null) return;
            for (int i = 0; i < tensors.size(); i++) System.arraycopy(saved[i], 0, tensors.get(i).data, 0, saved[i].length);
        }
    }
}
