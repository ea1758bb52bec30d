package mediswift4j.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import mediswift4j.tensor.Tensor;
import mediswift4j.util.Rng;

/** embedding (scatter-add backward) and crossEntropy (ignore index) against finite differences and by hand. */
class EmbeddingLossGradientTest {
    static final int IGNORE = -100;

    /** A small vocabulary and many ids, so ids repeat and the scatter-add is exercised. */
    @Property(tries = 30)
    void embedding(@ForAll @IntRange(min = 1, max = 4) int v, @ForAll @IntRange(min = 1, max = 4) int c,
                   @ForAll @IntRange(min = 1, max = 3) int b, @ForAll @IntRange(min = 1, max = 5) int t,
                   @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor table = Tensor.normal(rng, 0, 1, v, c);
        int[] ids = new int[b * t];
        for (int i = 0; i < ids.length; i++) ids[i] = rng.nextInt(v);
        assertNull(GradCheck.check(in -> EmbeddingOps.embedding(in.get(0), ids, b, t), List.of(table), seed));
    }

    @Test
    void repeatedIdsReceiveTheSumOfTheirGradients() {
        Tensor table = Tensor.parameter("wte", 3, 2);
        int[] ids = {2, 0, 2, 2};
        Tensor out = EmbeddingOps.embedding(table, ids, 4);
        ids[0] = 1; // the caller reusing its buffer must not change what backward scatters into
        Tensor w = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 4, 2);
        Autograd.backward(ShapeOps.sum(ElementwiseOps.mul(out, w)));
        assertEquals(List.of(3f, 4f, 0f, 0f, 1f + 5 + 7, 2f + 6 + 8), boxed(table.grad));
    }

    @Property(tries = 30)
    void crossEntropyWithIgnoredRows(@ForAll @IntRange(min = 1, max = 6) int n, @ForAll @IntRange(min = 1, max = 6) int v,
                                     @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor logits = Tensor.normal(rng, 0, 2, n, v);
        int[] targets = new int[n];
        for (int r = 0; r < n; r++) targets[r] = rng.nextInt(4) == 0 ? IGNORE : rng.nextInt(v);
        assertNull(GradCheck.check(in -> LossOps.crossEntropy(in.get(0), targets, IGNORE), List.of(logits), seed));
    }

    /** Logits (B, T, V) as the model produces them are read as B*T rows. */
    @Property(tries = 15)
    void crossEntropyOnRank3Logits(@ForAll @IntRange(min = 1, max = 3) int b, @ForAll @IntRange(min = 1, max = 3) int t,
                                   @ForAll @IntRange(min = 1, max = 5) int v, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor logits = Tensor.normal(rng, 0, 2, b, t, v);
        int[] targets = new int[b * t];
        for (int r = 0; r < targets.length; r++) targets[r] = rng.nextInt(3) == 0 ? IGNORE : rng.nextInt(v);
        assertNull(GradCheck.check(in -> LossOps.crossEntropy(in.get(0), targets, IGNORE), List.of(logits), seed));
    }

    /** The loss by hand: mean over counted rows of logsumexp - logit[target]; ignored rows get no gradient. */
    @Property(tries = 20)
    void crossEntropyValueAndIgnoredRowsByHand(@ForAll @IntRange(min = 2, max = 6) int n,
                                               @ForAll @IntRange(min = 1, max = 6) int v, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor logits = Tensor.normal(rng, 0, 2, n, v);
        int[] targets = new int[n];
        for (int r = 0; r < n; r++) targets[r] = r == 0 ? IGNORE : rng.nextInt(v);
        double expected = 0;
        for (int r = 1; r < n; r++) {
            double s = 0;
            for (int j = 0; j < v; j++) s += Math.exp(logits.data[r * v + j]);
            expected += Math.log(s) - logits.data[r * v + targets[r]];
        }
        expected /= n - 1;
        logits.requiresGrad = true;
        Tensor loss = LossOps.crossEntropy(logits, targets, IGNORE);
        assertEquals(expected, loss.item(), 1e-5 * Math.max(1, Math.abs(expected)));
        Autograd.backward(loss);
        for (int j = 0; j < v; j++) assertEquals(0f, logits.grad[j], 0f, "ignored row 0, column " + j);
    }

    @Test
    void allRowsIgnoredGiveZeroLossAndNoGradient() {
        Tensor logits = Tensor.parameter("logits", 3, 5);
        logits.data[4] = 7f;
        Tensor loss = LossOps.crossEntropy(logits, new int[] {IGNORE, IGNORE, IGNORE}, IGNORE);
        assertEquals(0f, loss.item());
        Autograd.backward(loss); // an all-padding micro-batch must not break the training loop
        assertTrue(logits.grad == null || java.util.Arrays.equals(logits.grad, new float[15]));
        assertEquals(0, Autograd.tapeLength());
    }

    static List<Float> boxed(float[] a) {
        java.util.ArrayList<Float> l = new java.util.ArrayList<>();
        for (float f : a) l.add(f);
        return l;
    }
}
