package mediswift4j.finetune;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import mediswift4j.hoc.HocMetrics;
import mediswift4j.hoc.HocSentence;
import mediswift4j.nn.Gpt;
import mediswift4j.pubmedqa.PubmedqaLabel;
import mediswift4j.pubmedqa.PubmedqaMetrics;
import mediswift4j.pubmedqa.PubmedqaRecord;
import mediswift4j.tokenizer.BpeTokenizer;

/** Tiny fine-tuning runs on synthetic, learnable tasks beat the trivial baselines. */
class FineTuneEndToEndTest {
    @Test
    void pubmedqaDenseWithSoftPromptBeatsMajority() {
        BpeTokenizer tok = FineTuneFixtures.tokenizer();
        List<PubmedqaRecord> train = FineTuneFixtures.pubmedqa(200, 7), test = FineTuneFixtures.pubmedqa(60, 8);
        Gpt model = FineTuneFixtures.model(tok, 64, 3);
        FineTuneSettings s = new FineTuneSettings(2, "vocab", false, 12, 1e-2, 16, 5, 0, 0.1, 0.0, 1.0, null);
        long t0 = System.nanoTime();
        FineTunedModel ft = FineTuner.pubmedqa(model, tok, train, s, null);
        long t1 = System.nanoTime();
        Map<String, PubmedqaLabel> pred = PubmedqaPredictor.predict(ft, tok, test);
        long t2 = System.nanoTime();
        List<PubmedqaLabel> gold = new ArrayList<>(), got = new ArrayList<>(), majority = new ArrayList<>();
        for (PubmedqaRecord r : test) {
            gold.add(r.label());
            got.add(pred.get(r.pmid()));
            majority.add(PubmedqaLabel.YES); // the most frequent training label by construction
        }
        double acc = PubmedqaMetrics.score(gold, got).accuracy, base = PubmedqaMetrics.score(gold, majority).accuracy;
        System.err.printf("pubmedqa: accuracy %.3f vs majority %.3f (train %.1fs, predict %.1fs)%n", acc, base, (t1 - t0) / 1e9, (t2 - t1) / 1e9);
        assertTrue(acc > base + 0.1, "accuracy " + acc + " does not beat the majority baseline " + base);
    }

    @Test
    void hocGeneratedLabelsBeatPredictingNothing() {
        BpeTokenizer tok = FineTuneFixtures.tokenizer();
        List<HocSentence> train = FineTuneFixtures.hoc(150, 9), test = FineTuneFixtures.hoc(45, 10);
        Gpt model = FineTuneFixtures.model(tok, 48, 4);
        FineTuneSettings s = new FineTuneSettings(1, "normal", false, 10, 2e-2, 16, 5, 0, 0.1, 0.0, 1.0, null);
        long t0 = System.nanoTime();
        FineTunedModel ft = FineTuner.hoc(model, tok, train, s, null);
        long t1 = System.nanoTime();
        Map<String, Integer> pred = HocPredictor.predict(ft, tok, test);
        long t2 = System.nanoTime();
        double f1 = HocMetrics.fromSentences(test, pred).microF1;
        System.err.printf("hoc: micro-F1 %.3f (train %.1fs, predict %.1fs) e.g. %s%n", f1, (t1 - t0) / 1e9, (t2 - t1) / 1e9,
                HocPredictor.generate(ft, tok, test.subList(0, 3)));
        assertTrue(f1 > 0.5, "micro-F1 " + f1 + " (predicting nothing scores 0)");
    }
}
