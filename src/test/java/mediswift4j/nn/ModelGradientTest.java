package mediswift4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

import mediswift4j.autograd.Autograd;
import mediswift4j.autograd.GradCheck;
import mediswift4j.autograd.ShapeOps;
import mediswift4j.tensor.Tensor;
import mediswift4j.train.Models;
import mediswift4j.util.Rng;

/** Finite differences of the whole tiny model, and the forward-from-embeddings API. */
class ModelGradientTest {
    static Gpt tinyModel(long seed, double sparsity) {
        Gpt m = Models.newModel(new ModelConfig("grad", 2, 8, 2, 6, 7));
        ModelMasks.draw(m, seed, sparsity);
        m.initialize(seed);
        // Larger values than N(0, 0.02) so that every path contributes visibly to the output. Embeddings of order
        // 1 keep LayerNorm's inputs away from zero variance, where its curvature would defeat h = 1e-2.
        Rng rng = new Rng(seed ^ 0x5DEECE66DL);
        for (Tensor p : m.parameters()) {
            double std = p.name.startsWith("wte") || p.name.startsWith("wpe") ? 1.0 : 0.2;
            for (int i = 0; i < p.size(); i++) p.data[i] += (float) (std * rng.nextGaussian());
        }
        for (MaskedLinear l : m.maskedLayers()) l.applyMask();
        return m;
    }

    /**
     * 10 tries (was 3, flagged by issue 20): each try checks all 1,864 parameters of the tiny model with two full
     * forwards per parameter; 10 tries took 20 s on the shared 2-core machine at a load average of 10 (measured),
     * less when it is idle. That covers the edge cases jqwik mixes in (sparsity 0 and 0.9, seed 0 and the
     * extremes) plus random seeds and sparsities; more tries would mostly repeat the per-op gradient properties in
     * autograd, which run hundreds of tries on random shapes at a fraction of the cost.
     */
    @Property(tries = 10)
    void wholeModelGradientsMatchFiniteDifferences(@ForAll long seed, @ForAll @DoubleRange(min = 0, max = 0.9) double sparsity) {
        Gpt m = tinyModel(seed, sparsity);
        int b = 2, t = 5;
        int[] ids = new int[b * t];
        Rng rng = new Rng(seed);
        for (int i = 0; i < ids.length; i++) ids[i] = rng.nextInt(7);
        assertNull(GradCheck.check(in -> m.logits(ids, b, t), m.parameters(), seed));
    }

    @Test
    void forwardFromEmbeddingsEqualsForwardFromIds() {
        Gpt m = tinyModel(3, 0.5);
        int[] ids = {1, 4, 6, 0, 2, 2};
        try (var g = Autograd.noGrad()) {
            Tensor a = m.logits(ids, 2, 3);
            Tensor b = m.forwardEmbeddings(m.tokenEmbeddings(ids, 2, 3));
            org.junit.jupiter.api.Assertions.assertArrayEquals(a.data, b.data);
        }
    }

    @Test
    void tokenLogProbsAgreeWithCrossEntropyAndHaveGradients() {
        Gpt m = tinyModel(5, 0.0);
        int[] ids = {1, 4, 6, 0, 2, 2}, targets = {4, 6, 0, 2, 2, 3};
        Tensor logits = m.logits(ids, 1, 6);
        Tensor lp = Gpt.tokenLogProbs(logits, targets);
        double sum = 0;
        for (float x : lp.data) sum -= x;
        Tensor ce = m.loss(ids, targets, 1, 6);
        Autograd.clearTape();
        assertEquals(ce.item(), sum / 6, 1e-5);
        Tensor x = Tensor.normal(new Rng(1), 0, 1, 3, 5);
        assertNull(GradCheck.check(in -> Gpt.tokenLogProbs(in.get(0), new int[] {0, 4, 2}), new ArrayList<>(List.of(x)), 7));
    }

    @Test
    void reshapeKeepsShapes() {
        Gpt m = tinyModel(1, 0.25);
        try (var g = Autograd.noGrad()) {
            Tensor h = m.hidden(m.tokenEmbeddings(new int[] {1, 2, 3}, 1, 3));
            assertEquals("[1,3,8]", h.shapeString());
            assertEquals("[1,3,7]", m.lmHead(h).shapeString());
            assertEquals("[3,7]", ShapeOps.reshape(m.lmHead(h), 3, 7).shapeString());
        }
    }
}
