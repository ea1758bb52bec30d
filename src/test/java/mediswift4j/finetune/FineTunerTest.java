package mediswift4j.finetune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import mediswift4j.autograd.Autograd;
import mediswift4j.autograd.LossOps;
import mediswift4j.hoc.HocPrompt;
import mediswift4j.hoc.HocSentence;
import mediswift4j.nn.Gpt;
import mediswift4j.nn.MaskedLinear;
import mediswift4j.pubmedqa.PubmedqaLabel;
import mediswift4j.pubmedqa.PubmedqaPrompt;
import mediswift4j.pubmedqa.PubmedqaRecord;
import mediswift4j.tensor.Tensor;
import mediswift4j.tokenizer.BpeTokenizer;
import mediswift4j.util.InputException;

/** The fine-tuning invariants: what learns in each mode, where the loss is, how candidates are scored. */
class FineTunerTest {
    static BpeTokenizer tok;

    @BeforeAll
    static void tokenizer() {
        tok = FineTuneFixtures.tokenizer();
    }

    static List<TaskExample> examples(int n, int budget) {
        return TaskExamples.pubmedqa(tok, FineTuneFixtures.pubmedqa(n, 21), PubmedqaPrompt.Setting.REASONING_REQUIRED, budget);
    }

    static FineTuneSettings settings(int p, boolean promptOnly) {
        return new FineTuneSettings(p, "normal", promptOnly, 1, 1e-2, 4, 3, 0, 0.0, 0.1, 1.0, null);
    }

    @Test
    void promptOnlyTrainsThePromptAndLeavesTheNetworkBitForBit() {
        Gpt model = FineTuneFixtures.model(tok, 64, 1);
        List<float[]> before = new ArrayList<>();
        for (Tensor p : model.parameters()) before.add(p.data.clone());
        List<byte[]> masks = new ArrayList<>();
        for (MaskedLinear l : model.maskedLayers()) masks.add(l.keep());
        SoftPrompt sp = SoftPrompt.initialize(model, 3, "normal", tok, 4);
        float[] prompt0 = sp.vectors.data.clone();

        // one backward in frozen mode: only the prompt receives a gradient
        for (Tensor p : model.parameters()) p.requiresGrad = false;
        try {
            ExampleBatch b = ExampleBatch.of(examples(4, 40), 3);
            Autograd.backward(LossOps.crossEntropy(b.targetLogits(model, sp), b.rowTargets, -1));
            for (Tensor p : model.parameters()) assertNull(p.grad, p.name + " received a gradient");
            double norm = 0;
            for (float g : sp.vectors.grad) norm += g * g;
            assertTrue(norm > 0, "the soft prompt received no gradient");
        } finally {
            for (Tensor p : model.parameters()) p.requiresGrad = true;
            sp.vectors.grad = null;
        }

        FineTuner.run(model, sp, examples(12, 40), settings(3, true), null);
        for (int i = 0; i < before.size(); i++) {
            assertArrayEquals(before.get(i), model.parameters().get(i).data, model.parameters().get(i).name + " changed");
            assertTrue(model.parameters().get(i).requiresGrad);
        }
        for (int i = 0; i < masks.size(); i++) assertTrue(masks.get(i) == model.maskedLayers().get(i).keep(), "mask replaced");
        assertFalse(java.util.Arrays.equals(prompt0, sp.vectors.data), "the soft prompt did not learn");
    }

    @Test
    void denseFineTuningDropsTheMasksAndMaskedWeightsLearn() {
        Gpt model = FineTuneFixtures.model(tok, 64, 2);
        List<byte[]> masks = new ArrayList<>();
        for (MaskedLinear l : model.maskedLayers()) {
            assertNotNull(l.keep());
            masks.add(l.keep());
            for (int i = 0; i < l.keep().length; i++) if (l.keep()[i] == 0) assertEquals(0f, l.weight.data[i]);
        }
        FineTuner.run(model, SoftPrompt.none(32), examples(8, 50), settings(0, false), null);
        long masked = 0, moved = 0;
        for (int k = 0; k < masks.size(); k++) {
            MaskedLinear l = model.maskedLayers().get(k);
            assertNull(l.keep(), "dense fine-tuning keeps no mask");
            for (int i = 0; i < masks.get(k).length; i++) {
                if (masks.get(k)[i] != 0) continue;
                masked++;
                if (l.weight.data[i] != 0f) moved++;
            }
        }
        assertTrue(masked > 0);
        assertTrue(moved > 0.9 * masked, moved + " of " + masked + " masked weights moved away from 0");
    }

    @Test
    void batchLayoutPutsTheLossOnAnswerTokensOnly() {
        List<TaskExample> ex = List.of(new TaskExample("a", new int[] {5, 6, 7}, new int[] {8, 9}),
                new TaskExample("b", new int[] {5}, new int[] {10, 11, 12}));
        ExampleBatch b = ExampleBatch.of(ex, 2);
        assertEquals(6, b.t);
        assertArrayEquals(new int[] {5, 6, 7, 0, 0, 8, /**/ 5, 0, 0, 10, 11, 0}, b.ids);
        assertArrayEquals(new int[] {-1, -1, -1, -1, 8, 9, /**/ -1, -1, 10, 11, 12, -1}, b.targets);
        assertArrayEquals(new int[] {3, 1}, b.softStart);
        assertArrayEquals(new int[] {4, 5, 8, 9, 10}, b.rows);
        assertArrayEquals(new int[] {8, 9, 10, 11, 12}, b.rowTargets);

        // the gathered-row loss equals the full-logits loss with the ignore index at every other position
        Gpt model = FineTuneFixtures.model(tok, 64, 3);
        SoftPrompt sp = SoftPrompt.initialize(model, 2, "vocab", tok, 1);
        try (var g = Autograd.noGrad()) {
            float gathered = LossOps.crossEntropy(b.targetLogits(model, sp), b.rowTargets, -1).item();
            Tensor full = model.forwardEmbeddings(sp.embed(model, b.ids, b.softStart, b.b, b.t));
            float reference = LossOps.crossEntropy(full, b.targets, -1).item();
            assertEquals(reference, gathered, 1e-5f);
        }
    }

    @Test
    void likelihoodPicksTheCandidateWithTheHighestSummedLogProb() {
        assertEquals(PubmedqaLabel.NO, PubmedqaPredictor.argmax(new double[] {-3, -1, -2}));
        assertEquals(PubmedqaLabel.MAYBE, PubmedqaPredictor.argmax(new double[] {-5, -4, -0.5}));
        assertEquals(PubmedqaLabel.YES, PubmedqaPredictor.argmax(new double[] {-1, -1, -2}), "ties go to the first label");

        // the scorer's sums equal log-softmax sums computed from the full logits, one sequence at a time
        Gpt model = FineTuneFixtures.model(tok, 64, 5);
        SoftPrompt sp = SoftPrompt.initialize(model, 2, "normal", tok, 2);
        FineTunedModel ft = new FineTunedModel(model, sp, FineTunedModel.PUBMEDQA, 64, TaskExamples.pubmedqaReserve(tok), null);
        List<PubmedqaRecord> recs = FineTuneFixtures.pubmedqa(5, 33);
        double[][] scores = PubmedqaPredictor.scores(ft, tok, recs);
        int[][] cands = TaskExamples.pubmedqaCandidates(tok);
        for (int i = 0; i < recs.size(); i++) {
            int[] prompt = TaskExamples.pubmedqaPrompt(tok, recs.get(i), PubmedqaPrompt.Setting.REASONING_REQUIRED, ft.promptBudget());
            for (int l = 0; l < 3; l++) {
                ExampleBatch b = ExampleBatch.of(List.of(new TaskExample("x", prompt, cands[l])), 2);
                double manual = 0;
                try (var g = Autograd.noGrad()) {
                    Tensor logits = model.forwardEmbeddings(sp.embed(model, b.ids, b.softStart, 1, b.t));
                    int v = model.config().vocabSize();
                    for (int r : b.rows) {
                        double max = Double.NEGATIVE_INFINITY, sum = 0;
                        for (int j = 0; j < v; j++) max = Math.max(max, logits.data[r * v + j]);
                        for (int j = 0; j < v; j++) sum += Math.exp(logits.data[r * v + j] - max);
                        manual += logits.data[r * v + b.targets[r]] - max - Math.log(sum);
                    }
                }
                assertEquals(manual, scores[i][l], 1e-3);
            }
            assertEquals(PubmedqaPredictor.argmax(scores[i]), PubmedqaPredictor.predict(ft, tok, List.of(recs.get(i))).get(recs.get(i).pmid()));
        }
    }

    @Test
    void promptPiecesTokenizeLikeTheWholePromptAndTruncationKeepsQuestionAndAnswer() {
        for (PubmedqaRecord r : FineTuneFixtures.pubmedqa(10, 5)) {
            int[] pieces = TaskExamples.pubmedqaPrompt(tok, r, PubmedqaPrompt.Setting.REASONING_REQUIRED, 10_000);
            String whole = String.join("", PubmedqaPrompt.promptPieces(r, PubmedqaPrompt.Setting.REASONING_REQUIRED));
            assertArrayEquals(tok.encode(whole), pieces);
        }
        for (HocSentence s : FineTuneFixtures.hoc(10, 5)) {
            assertArrayEquals(tok.encode(String.join("", HocPrompt.promptPieces(s.text()))), TaskExamples.hocPrompt(tok, s, 10_000));
        }
        int[] head = {1, 2}, middle = {3, 4, 5, 6}, tail = {7};
        assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6, 7}, TaskExamples.fit(head, middle, tail, 7, "t"));
        assertArrayEquals(new int[] {1, 2, 6, 7}, TaskExamples.fit(head, middle, tail, 4, "t"));
        assertArrayEquals(new int[] {1, 2, 4, 5, 6, 7}, TaskExamples.fit(head, middle, tail, 6, "t"));
        assertArrayEquals(new int[] {1, 7}, TaskExamples.fit(head, middle, tail, 2, "t"));
        assertThrows(InputException.class, () -> TaskExamples.fit(head, middle, new int[] {7, 8}, 1, "t"));
    }

    @Test
    void softPromptInitializations() {
        Gpt model = FineTuneFixtures.model(tok, 64, 6);
        int c = 32;
        SoftPrompt text = SoftPrompt.initialize(model, 3, "text: answer", tok, 1);
        int[] ids = tok.encode(" answer");
        for (int j = 0; j < 3; j++) {
            int id = ids[j % ids.length];
            assertArrayEquals(java.util.Arrays.copyOfRange(model.wte.data, id * c, id * c + c),
                    java.util.Arrays.copyOfRange(text.vectors.data, j * c, j * c + c));
        }
        SoftPrompt a = SoftPrompt.initialize(model, 4, "normal", tok, 9), b = SoftPrompt.initialize(model, 4, "normal", tok, 9);
        assertArrayEquals(a.vectors.data, b.vectors.data, "same seed, same prompt");
        assertEquals(0, SoftPrompt.initialize(model, 0, "vocab", tok, 1).length());
        assertThrows(IllegalArgumentException.class, () -> SoftPrompt.initialize(model, 2, "zeros", tok, 1));
        assertThrows(IllegalArgumentException.class, () -> settings(0, true));
    }
}
