package mediswift4j.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import mediswift4j.tensor.Tensor;
import mediswift4j.util.Rng;

/**
 * Edges of the ops that PIT found untested (a comparison could be off by one, or a path never ran), each checked
 * against a value worked out by hand or in float64 here:
 * - dropout at a draw exactly equal to p keeps the element (SPEC.md: dropped when nextFloat() < p);
 * - rank-1 inputs are legal for linear and for the ops over the last dimension (softmax, cross-entropy), and
 *   embedding's output shape may have a zero dimension;
 * - cross-entropy's backward ADDS into a gradient the logits already have (the logits used twice), the path the
 *   usual in-place one does not take;
 * - backward on a loss that is not the last recorded step (ops recorded after the loss).
 */
class OpEdgeCasesTest {
    @BeforeEach
    void freshTape() {
        Autograd.clearTape();
    }

    @Test
    void dropoutKeepsAnElementWhoseDrawEqualsP() {
        // p is the generator's first draw itself: element 0 draws exactly p, which is not < p, so it is kept
        float p = new Rng(5).nextFloat();
        assertTrue(p > 0f, "p = 0 would return x unchanged");
        Tensor x = Tensor.of(new float[] {2f, 3f}, 2);
        Tensor y = ElementwiseOps.dropout(x, p, new Rng(5));
        assertEquals(2f * (1f / (1f - p)), y.data[0]);
        Rng again = new Rng(5);
        again.nextFloat();
        assertEquals(again.nextFloat() < p ? 0f : 3f * (1f / (1f - p)), y.data[1]);
    }

    @Test
    void linearOfAVectorIsTheMatrixVectorProductPlusBias() {
        Tensor x = Tensor.of(new float[] {1f, 2f, 3f}, 3);
        Tensor w = Tensor.of(new float[] {1f, 0f, -1f, 2f, 1f, 0f}, 2, 3), b = Tensor.of(new float[] {0.5f, -1f}, 2);
        x.requiresGrad = true;
        Tensor y = MatmulOps.linear(x, w, b);
        assertEquals("[2]", y.shapeString());
        assertArrayEquals(new float[] {1 - 3 + 0.5f, 2 + 2 - 1}, y.data);
        Autograd.backward(ShapeOps.sum(y));
        assertArrayEquals(new float[] {3f, 1f, -1f}, x.grad); // column sums of W
    }

    @Test
    void softmaxAndCrossEntropyAcceptAVector() {
        Tensor x = Tensor.of(new float[] {0f, (float) Math.log(3)}, 2);
        Tensor y = NormOps.softmax(x);
        assertEquals(0.25, y.data[0], 1e-7);
        assertEquals(0.75, y.data[1], 1e-7);
        Tensor loss = LossOps.crossEntropy(x, new int[] {1}, -100);
        assertEquals(-Math.log(0.75), loss.item(), 1e-6);
    }

    @Test
    void embeddingOutputShapeMayHaveAZeroDimension() {
        Tensor table = Tensor.ones(4, 3);
        assertEquals("[0,3]", EmbeddingOps.embedding(table, new int[0], 0).shapeString());
        assertEquals("[2,0,3]", EmbeddingOps.embedding(table, new int[0], 2, 0).shapeString());
    }

    /** Softmax of one row in float64. */
    static double[] softmax64(float[] row, int o, int v) {
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (int j = 0; j < v; j++) max = Math.max(max, row[o + j]);
        double[] p = new double[v];
        for (int j = 0; j < v; j++) sum += p[j] = Math.exp(row[o + j] - max);
        for (int j = 0; j < v; j++) p[j] /= sum;
        return p;
    }

    @Test
    void crossEntropyAddsIntoAGradientTheLogitsAlreadyHave() {
        int n = 5, v = 7, ignore = -1;
        int[] targets = {3, ignore, 0, 6, 3};
        Rng rng = new Rng(21);
        Tensor logits = Tensor.normal(rng, 0, 2, n, v), w = Tensor.normal(rng, 0, 1, n, v);
        logits.requiresGrad = true;
        // L = 2 * CE(logits) + sum(logits * w): the product's step runs first in backward (it was recorded last), so
        // the logits already hold w when cross-entropy's step adds 2 (softmax - onehot) / count on counted rows
        Tensor ce = LossOps.crossEntropy(logits, targets, ignore);
        Tensor loss = ElementwiseOps.add(ElementwiseOps.scale(ce, 2f), ShapeOps.sum(ElementwiseOps.mul(logits, w)));
        Autograd.backward(loss);
        int count = 4;
        for (int r = 0; r < n; r++) {
            double[] p = softmax64(logits.data, r * v, v);
            for (int j = 0; j < v; j++) {
                double expected = w.data[r * v + j];
                if (targets[r] != ignore) expected += 2.0 * (p[j] - (j == targets[r] ? 1 : 0)) / count;
                assertEquals(expected, logits.grad[r * v + j], 1e-6, "row " + r + " column " + j);
            }
        }
    }

    @Test
    void backwardReachesALossRecordedBeforeOtherSteps() {
        Tensor p = Tensor.parameter("p", 2);
        p.data[0] = 3f;
        p.data[1] = -2f;
        Tensor loss = ShapeOps.sum(ElementwiseOps.mul(p, p));          // d/dp = 2p
        Tensor later = ShapeOps.sum(ElementwiseOps.scale(p, 5f));      // recorded after the loss, not part of it
        assertEquals(13f, loss.item());
        assertEquals(5f, later.item());
        Autograd.backward(loss);
        assertArrayEquals(new float[] {6f, -4f}, p.grad);
        assertEquals(0, Autograd.tapeLength());
    }
}
