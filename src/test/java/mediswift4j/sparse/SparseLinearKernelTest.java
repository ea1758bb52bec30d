package mediswift4j.sparse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import mediswift4j.nn.Masks;
import mediswift4j.tensor.MatmulReference;
import mediswift4j.tensor.Parallel;
import mediswift4j.util.Rng;

/**
 * The compressed kernels against the masked dense computation (MatmulReference on W * M): forward, input, weight
 * and bias gradients, over awkward shapes (1, primes, token counts across the 512-token block boundaries), sparsity
 * 0 .. 0.99, and masks with whole rows or columns masked.
 */
class SparseLinearKernelTest {
    /** One random problem: x (N, IN), w (OUT, IN) with stray values at masked positions, bias, dy (N, OUT). */
    static final class Case {
        final int n, in, out;
        final byte[] mask;
        final float[] x, w, wMasked, bias, dy;

        Case(int n, int in, int out, double sparsity, boolean emptyLines, long seed) {
            this.n = n;
            this.in = in;
            this.out = out;
            Rng rng = new Rng(seed);
            mask = Masks.random(seed, "test", out * in, sparsity);
            if (emptyLines) {
                // Mask a whole output row and a whole input column (when there is more than one of each).
                if (out > 1) { int i = (int) rng.nextLong(out); for (int j = 0; j < in; j++) mask[i * in + j] = 0; }
                if (in > 1) { int j = (int) rng.nextLong(in); for (int i = 0; i < out; i++) mask[i * in + j] = 0; }
            }
            x = uniform(rng, n * in);
            w = uniform(rng, out * in); // deliberately not zero at masked positions: the kernels must ignore them
            wMasked = w.clone();
            Masks.apply(wMasked, mask);
            bias = uniform(rng, out);
            dy = uniform(rng, n * out);
        }
    }

    static float[] uniform(Rng rng, int count) {
        float[] v = new float[count];
        for (int q = 0; q < count; q++) v[q] = 2 * rng.nextFloat() - 1;
        return v;
    }

    /** |a - b| <= 1e-5 * K + 1e-6 per element, K = length of the sums (inputs are in [-1, 1]). */
    static void assertClose(float[] expected, float[] actual, int k, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        double tol = 1e-5 * k + 1e-6;
        for (int q = 0; q < expected.length; q++) {
            double d = Math.abs(expected[q] - actual[q]);
            assertTrue(d <= tol, what + "[" + q + "]: expected " + expected[q] + ", got " + actual[q] + " (tol " + tol + ")");
        }
    }

    @Property(tries = 60)
    void matchesMaskedDense(@ForAll @IntRange(min = 1, max = 600) int n,
                            @ForAll @IntRange(min = 1, max = 37) int in,
                            @ForAll @IntRange(min = 1, max = 29) int out,
                            @ForAll @DoubleRange(min = 0, max = 0.99) double sparsity,
                            @ForAll boolean emptyLines, @ForAll long seed) {
        check(new Case(n, in, out, sparsity, emptyLines, seed));
    }

    @Test
    void extremeSparsities() {
        for (double s : new double[] {0, 0.99}) {
            check(new Case(513, 31, 17, s, false, 7));
            check(new Case(1, 1, 1, s, false, 8));
            check(new Case(512, 64, 5, s, true, 9));
            check(new Case(1543, 13, 11, s, true, 10));
            check(new Case(1024, 9, 7, s, false, 11));
        }
    }

    static void check(Case c) {
        SparseLinearKernel k = SparseLinearKernel.build(c.mask, c.out, c.in, c.w);
        assertEquals(c.out * c.in - Masks.zeros(c.mask), k.nnz);

        // forward: y = x Wm^T + b
        float[] yRef = new float[c.n * c.out];
        MatmulReference.matmul(c.x, 0, false, c.wMasked, 0, true, yRef, 0, c.n, c.in, c.out, false);
        for (int t = 0; t < c.n; t++) for (int i = 0; i < c.out; i++) yRef[t * c.out + i] += c.bias[i];
        TokenBlocks xt = TokenBlocks.fromRows(c.x, 0, c.n, c.in);
        float[] y = new float[c.n * c.out];
        k.forward(xt, c.bias, y, 0);
        assertClose(yRef, y, c.in, "y");

        // dx += dy Wm, accumulated onto existing values
        float[] dxRef = new float[c.n * c.in], dx = new float[c.n * c.in];
        java.util.Arrays.fill(dxRef, 0.5f);
        java.util.Arrays.fill(dx, 0.5f);
        MatmulReference.matmul(c.dy, 0, false, c.wMasked, 0, false, dxRef, 0, c.n, c.out, c.in, true);
        TokenBlocks dyt = TokenBlocks.fromRows(c.dy, 0, c.n, c.out);
        k.backwardInput(dyt, dx, 0);
        assertClose(dxRef, dx, c.out, "dx");

        // dW += (dy^T x) * M: masked positions keep whatever they held
        float[] dwRef = new float[c.out * c.in], dW = new float[c.out * c.in];
        java.util.Arrays.fill(dW, 0.25f);
        MatmulReference.matmul(c.dy, 0, true, c.x, 0, false, dwRef, 0, c.out, c.n, c.in, false);
        for (int q = 0; q < dwRef.length; q++) dwRef[q] = c.mask[q] != 0 ? dwRef[q] + 0.25f : 0.25f;
        k.backwardWeight(dyt, xt, dW);
        assertClose(dwRef, dW, c.n, "dW");

        // compressed dW scattered into a zero gradient: zeros exactly at masked positions
        float[] dwVal = new float[k.nnz], dW2 = new float[c.out * c.in];
        k.backwardWeightValues(dyt, xt, dwVal);
        k.scatterAdd(dwVal, dW2);
        for (int q = 0; q < dW2.length; q++) {
            if (c.mask[q] == 0) assertEquals(0f, dW2[q], "masked dW at " + q);
            else assertEquals(dW[q] - 0.25f, dW2[q], 1e-5 * c.n + 1e-6, "dW values at " + q);
        }

        // db += column sums of dy
        float[] dbRef = new float[c.out], db = new float[c.out];
        SparseLinearReference.backwardBias(c.dy, dbRef, c.n, c.out);
        k.backwardBias(dyt, db);
        assertClose(dbRef, db, c.n, "db");

        // the naive twin agrees with MatmulReference too
        float[] yTwin = new float[c.n * c.out];
        SparseLinearReference.forward(c.x, c.w, c.mask, c.bias, yTwin, c.n, c.in, c.out);
        assertClose(yRef, yTwin, c.in, "reference y");
    }

    @Test
    void bitIdenticalAcrossThreadsWithManyChunks() {
        // Large enough that rows are split into many self-scheduled chunks (>= 32 rows each).
        bitIdenticalForAnyThreadCount(600, 300, 260, 0.5, 17);
    }

    @Property(tries = 15)
    void bitIdenticalForAnyThreadCount(@ForAll @IntRange(min = 1, max = 700) int n,
                                       @ForAll @IntRange(min = 1, max = 64) int in,
                                       @ForAll @IntRange(min = 1, max = 64) int out,
                                       @ForAll @DoubleRange(min = 0, max = 0.95) double sparsity, @ForAll long seed) {
        Case c = new Case(n, in, out, sparsity, false, seed);
        SparseLinearKernel k = SparseLinearKernel.build(c.mask, c.out, c.in, c.w);
        float[][] first = null;
        int saved = Parallel.threads();
        try {
            for (int threads : new int[] {1, 2, 3}) {
                Parallel.setThreads(threads);
                TokenBlocks xt = TokenBlocks.fromRows(c.x, 0, c.n, c.in), dyt = TokenBlocks.fromRows(c.dy, 0, c.n, c.out);
                float[] y = new float[c.n * c.out], dx = new float[c.n * c.in], dW = new float[c.out * c.in];
                k.forward(xt, c.bias, y, 0);
                k.backwardInput(dyt, dx, 0);
                k.backwardWeight(dyt, xt, dW);
                float[][] now = {y, dx, dW};
                if (first == null) first = now;
                else for (int q = 0; q < 3; q++) assertArrayEquals(first[q], now[q], "threads " + threads + " output " + q);
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    void refreshValuesFollowsTheDenseWeights() {
        Case c = new Case(300, 23, 19, 0.75, false, 3);
        SparseLinearKernel k = SparseLinearKernel.build(c.mask, c.out, c.in);
        // an optimizer step on the dense weights, then a refresh
        for (int q = 0; q < c.w.length; q++) c.w[q] *= -1.5f;
        k.refreshValues(c.w);
        float[] wm = c.w.clone();
        Masks.apply(wm, c.mask);
        float[] yRef = new float[c.n * c.out], y = new float[c.n * c.out];
        MatmulReference.matmul(c.x, 0, false, wm, 0, true, yRef, 0, c.n, c.in, c.out, false);
        k.forward(TokenBlocks.fromRows(c.x, 0, c.n, c.in), null, y, 0);
        assertClose(yRef, y, c.in, "y after refresh");
    }

    @Property(tries = 20)
    void sparseLinearFacadeMatchesMaskedDense(@ForAll @IntRange(min = 1, max = 1100) int n,
                                              @ForAll @IntRange(min = 1, max = 23) int in,
                                              @ForAll @IntRange(min = 1, max = 19) int out,
                                              @ForAll @DoubleRange(min = 0, max = 0.99) double sparsity,
                                              @ForAll long seed) {
        // Both weight-gradient paths (dense-then-masked below SPARSE_DW_PAYS_FROM, compressed above) are covered.
        Case c = new Case(n, in, out, sparsity, false, seed);
        CompressedKernel.Compressed sl = new CompressedKernel.Compressed(c.mask, c.out, c.in);
        sl.refresh(c.w);
        float[] y = new float[c.n * c.out], yRef = new float[c.n * c.out];
        CompressedKernel.Compressed.Saved saved = sl.forward(c.x, c.n, c.bias, y);
        SparseLinearReference.forward(c.x, c.w, c.mask, c.bias, yRef, c.n, c.in, c.out);
        assertClose(yRef, y, c.in, "y");
        float[] dx = new float[c.n * c.in], dW = new float[c.out * c.in], db = new float[c.out];
        float[] dxRef = new float[c.n * c.in], dwRef = new float[c.out * c.in], dbRef = new float[c.out];
        sl.backward(saved, c.x, c.dy, dx, dW, db);
        SparseLinearReference.backwardInput(c.dy, c.w, c.mask, dxRef, c.n, c.in, c.out);
        SparseLinearReference.backwardWeight(c.dy, c.x, c.mask, dwRef, c.n, c.in, c.out);
        SparseLinearReference.backwardBias(c.dy, dbRef, c.n, c.out);
        assertClose(dxRef, dx, c.out, "dx");
        assertClose(dwRef, dW, c.n, "dW");
        for (int q = 0; q < dW.length; q++) if (c.mask[q] == 0) assertEquals(0f, dW[q], "masked dW at " + q);
        assertClose(dbRef, db, c.n, "db");
        sl.backward(saved, c.x, c.dy, null, null, null); // gradients not wanted: nothing to do, no failure
        if (CompressedKernel.weightGradientPays(sl.sparsity())) {
            // the weight gradient from the input the forward packed (reused) has the plain twin's bits
            float[] dwVal = new float[sl.kernel.nnz], dwPlain = new float[c.out * c.in];
            sl.kernel.backwardRows(c.x, c.dy, c.n, null, dwVal, null, false);
            sl.kernel.scatterAdd(dwVal, dwPlain);
            assertArrayEquals(dwPlain, dW, "dW from the reused packed input");
            // a later forward overwrites the layer's packed input: an older Saved packs x again, same bits
            float[] other = c.x.clone();
            for (int q = 0; q < other.length; q++) other[q] = -other[q];
            sl.forward(other, c.n, c.bias, new float[c.n * c.out]);
            float[] dW2 = new float[c.out * c.in];
            sl.backward(saved, c.x, c.dy, null, dW2, null);
            assertArrayEquals(dwPlain, dW2, "dW after a newer forward of the layer");
        }
    }

    @Test
    void tokenBlocksRoundTrip() {
        Rng rng = new Rng(5);
        for (int n : new int[] {1, 511, 512, 513, 1537}) {
            float[] a = uniform(rng, n * 7);
            TokenBlocks t = TokenBlocks.fromRows(a, 0, n, 7);
            for (int tok = 0; tok < n; tok++) for (int f = 0; f < 7; f++) assertEquals(a[tok * 7 + f], t.get(f, tok));
            float[] back = new float[n * 7];
            t.storeRows(back, 0, false);
            assertArrayEquals(a, back);
        }
    }

    @Test
    void rejectsWrongShapes() {
        assertThrows(IllegalArgumentException.class, () -> SparseLinearKernel.build(new byte[5], 2, 3));
        SparseLinearKernel k = SparseLinearKernel.build(new byte[] {1, 0, 1, 1, 1, 0}, 2, 3);
        assertThrows(IllegalArgumentException.class, () -> k.refreshValues(new float[5]));
        assertThrows(IllegalArgumentException.class, () -> k.forward(new TokenBlocks(2, 4), null, new TokenBlocks(2, 4)));
        assertThrows(IllegalArgumentException.class, () -> k.forward(new TokenBlocks(3, 4), null, new TokenBlocks(2, 5)));
    }
}
