package mediswift4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

import mediswift4j.autograd.Autograd;
import mediswift4j.data.TokenFile;
import mediswift4j.optim.AdamW;
import mediswift4j.tensor.Tensor;
import mediswift4j.train.TrainSettings;
import mediswift4j.train.Trainer;
import mediswift4j.util.Rng;

/** The static-sparsity invariants over random small configurations, sparsities and step counts. */
class SparsityInvariantsTest {
    /** SPEC.md section 7's count of masked weights, written here rather than taken from Masks: floor(s n + 0.5). */
    static long roundHalfUp(double s, long n) {
        return (long) Math.floor(s * n + 0.5);
    }

    static TokenFile syntheticData(int vocab, int n, long seed) {
        Rng rng = new Rng(seed);
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) ids[i] = i % 3 == 0 ? rng.nextInt(vocab) : (ids[Math.max(0, i - 1)] + 1) % vocab;
        return new TokenFile(vocab, ids, TokenFile.validationStart(n, 0.1));
    }

    @Property(tries = 25)
    void masksHoldThroughInitializationAndTraining(@ForAll @IntRange(min = 1, max = 2) int layers,
                                                   @ForAll @IntRange(min = 1, max = 2) int heads,
                                                   @ForAll @IntRange(min = 1, max = 4) int headSize,
                                                   @ForAll @IntRange(min = 3, max = 17) int vocab,
                                                   @ForAll @DoubleRange(min = 0, max = 0.99) double sparsity,
                                                   @ForAll @IntRange(min = 1, max = 4) int steps,
                                                   @ForAll @IntRange(min = 1, max = 2) int accum,
                                                   @ForAll long seed) throws Exception {
        ModelConfig cfg = new ModelConfig("inv", layers, heads * headSize, heads, 6, vocab);
        TrainSettings s = new TrainSettings(steps, 2, 5, accum, 3e-2, 1, 1.0, 0f, 0, 2, 0, seed, sparsity,
                new AdamW.Settings(0.9f, 0.95f, 1e-8f, 0.1f));
        Trainer tr = Trainer.fresh(cfg, syntheticData(vocab, 200, seed), s, null);
        Gpt m = tr.model();
        List<ModelMasks.Target> targets = ModelMasks.targets(cfg);

        // After initialisation: exactly round(s * n) masked per tensor, and those weights are 0.
        for (ModelMasks.Target t : targets) {
            MaskedLinear l = ModelMasks.layer(m, t.parameter());
            byte[] keep = l.keep();
            long expected = roundHalfUp(sparsity, t.size());
            if (keep == null) {
                assertEquals(0, expected);
                continue;
            }
            int base = t.rowStart() * t.cols();
            long zeros = 0;
            for (int i = 0; i < t.size(); i++) {
                if (keep[base + i] == 0) {
                    zeros++;
                    assertEquals(0f, l.weight.data[base + i], t.label() + " masked weight not zero after init");
                }
            }
            assertEquals(expected, zeros, t.label() + " masked count");
        }

        // Gradients of masked weights are 0 after backward + maskGradient.
        int[] ids = {0, 1, 2, 0, 1, 2, 1, 0, 2, 1};
        Autograd.backward(m.loss(ids, ids, 2, 5));
        for (MaskedLinear l : m.maskedLayers()) {
            l.maskGradient();
            if (l.keep() == null) continue;
            for (int i = 0; i < l.keep().length; i++) if (l.keep()[i] == 0) assertEquals(0f, l.weight.grad[i]);
        }
        for (Tensor p : m.parameters()) p.zeroGrad();

        float[][] before = new float[m.maskedLayers().size()][];
        for (int k = 0; k < before.length; k++) before[k] = m.maskedLayers().get(k).weight.data.clone();
        tr.run(steps, null, null);

        List<Tensor> params = tr.optimizer().parameters();
        for (int k = 0; k < before.length; k++) {
            MaskedLinear l = m.maskedLayers().get(k);
            int pi = params.indexOf(l.weight);
            float[] m1 = tr.optimizer().firstMoment(pi), m2 = tr.optimizer().secondMoment(pi);
            for (int i = 0; i < l.weight.size(); i++) {
                boolean masked = l.keep() != null && l.keep()[i] == 0;
                if (masked) {
                    assertEquals(0f, l.weight.data[i], l.weight.name + " masked weight moved");
                    assertEquals(0f, m1[i], l.weight.name + " first moment at a masked position");
                    assertEquals(0f, m2[i], l.weight.name + " second moment at a masked position");
                } else {
                    assertNotEquals(before[k][i], l.weight.data[i], l.weight.name + "[" + i + "] unmasked weight did not move");
                }
            }
        }
        double[] sp = ModelMasks.sparsities(m);
        for (int k = 0; k < targets.size(); k++) {
            assertEquals((double) roundHalfUp(sparsity, targets.get(k).size()) / targets.get(k).size(), sp[k], 1e-12);
        }
    }

    @Property(tries = 10)
    void qkvAreMaskedAsSeparateTensors(@ForAll @IntRange(min = 1, max = 6) int c, @ForAll @DoubleRange(min = 0.01, max = 0.99) double s,
                                       @ForAll long seed) {
        Gpt m = new Gpt(new ModelConfig("qkv", 1, c, 1, 4, 5));
        ModelMasks.draw(m, seed, s);
        byte[] keep = m.blocks.get(0).attnQkv.keep();
        String[] labels = {"h.0.attn.q", "h.0.attn.k", "h.0.attn.v"};
        for (int part = 0; part < 3; part++) {
            byte[] expect = Masks.random(seed, labels[part], c * c, s);
            for (int i = 0; i < c * c; i++) assertEquals(expect[i], keep[part * c * c + i]);
        }
    }
}
