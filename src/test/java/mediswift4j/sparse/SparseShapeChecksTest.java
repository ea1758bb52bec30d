package mediswift4j.sparse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import mediswift4j.tensor.Tensor;
import mediswift4j.util.Rng;

/**
 * Every entry point of the compressed kernels refuses wrong sizes with an IllegalArgumentException that names the
 * argument and what it needs, before computing anything. The wrong arrays here are one value or one feature too
 * large, which the loops would otherwise accept silently (too small ones fail anyway, with an index error). Also
 * the edge shapes that are valid: zero tokens, zero features, an empty layout (sparsity 0 by definition), a single
 * token given as a rank-1 tensor, no bias; and the sparsity that layouts, kernels and compressed layers report
 * (a closed form: masked / total).
 */
class SparseShapeChecksTest {
    /** out = 2, in = 3, four of six kept. */
    static final byte[] MASK = {1, 0, 1, 1, 1, 0};
    static final int OUT = 2, IN = 3, N = 4;

    static SparseLinearKernel kernel() {
        return SparseLinearKernel.build(MASK, OUT, IN, new float[] {0.5f, 9f, -1f, 2f, 0.25f, 9f});
    }

    static void assertRefused(String message, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call, message);
        assertEquals(message, e.getMessage());
    }

    static float[] values(int n, long seed) {
        return SparseLinearKernelTest.uniform(new Rng(seed), n);
    }

    @Test
    void tokenBlockEntryPointsNameTheWrongArgument() {
        SparseLinearKernel k = kernel();
        TokenBlocks x = new TokenBlocks(IN, N), y = new TokenBlocks(OUT, N);
        assertRefused("x has 4 features, needs 3", () -> k.forward(new TokenBlocks(4, N), null, y));
        assertRefused("y has 3 features, needs 2", () -> k.forward(x, null, new TokenBlocks(3, N)));
        assertRefused("token counts differ: 4 vs 5", () -> k.forward(x, null, new TokenBlocks(OUT, 5)));
        assertRefused("bias has 3 values, needs 2", () -> k.forward(x, new float[3], y));

        assertRefused("dy has 3 features, needs 2", () -> k.backwardInput(new TokenBlocks(3, N), x));
        assertRefused("dx has 4 features, needs 3", () -> k.backwardInput(y, new TokenBlocks(4, N)));
        assertRefused("token counts differ: 4 vs 5", () -> k.backwardInput(y, new TokenBlocks(IN, 5)));

        float[] dwVal = new float[k.nnz];
        assertRefused("dy has 3 features, needs 2", () -> k.backwardWeightValues(new TokenBlocks(3, N), x, dwVal));
        assertRefused("x has 4 features, needs 3", () -> k.backwardWeightValues(y, new TokenBlocks(4, N), dwVal));
        assertRefused("token counts differ: 4 vs 5", () -> k.backwardWeightValues(y, new TokenBlocks(IN, 5), dwVal));
        assertRefused("dwVal has 5 values, needs 4", () -> k.backwardWeightValues(y, x, new float[5]));

        assertRefused("dW has 7 values, needs 6", () -> k.backwardWeight(y, x, new float[7]));
        assertRefused("dy has 3 features, needs 2", () -> k.backwardWeight(new TokenBlocks(3, N), x, new float[6]));
        assertRefused("x has 4 features, needs 3", () -> k.backwardWeight(y, new TokenBlocks(4, N), new float[6]));
        assertRefused("token counts differ: 4 vs 5", () -> k.backwardWeight(y, new TokenBlocks(IN, 5), new float[6]));

        assertRefused("dy has 3 features, needs 2", () -> k.backwardBias(new TokenBlocks(3, N), new float[OUT]));
        assertRefused("db has 3 values, needs 2", () -> k.backwardBias(y, new float[3]));
    }

    @Test
    void rowsLayoutEntryPointsNameTheWrongArgument() {
        SparseLinearKernel k = kernel();
        float[] x = values(N * IN, 1), dy = values(N * OUT, 2);
        for (boolean simd : new boolean[] {false, true}) {
            assertRefused("x has 13 values, needs 4 x 3", () -> k.forwardRows(new float[N * IN + 1], N, null, new float[N * OUT], simd));
            assertRefused("y has 9 values, needs 4 x 2", () -> k.forwardRows(x, N, null, new float[N * OUT + 1], simd));
            assertRefused("bias has 3 values, needs 2", () -> k.forwardRows(x, N, new float[3], new float[N * OUT], simd));

            assertRefused("dy has 9 values, needs 4 x 2", () -> k.backwardRows(x, new float[N * OUT + 1], N, new float[N * IN], null, null, simd));
            assertRefused("dx has 13 values, needs 4 x 3", () -> k.backwardRows(x, dy, N, new float[N * IN + 1], null, null, simd));
            assertRefused("x has 13 values, needs 4 x 3", () -> k.backwardRows(new float[N * IN + 1], dy, N, null, new float[k.nnz], null, simd));
            assertRefused("dwVal has 3 values, needs 4", () -> k.backwardRows(x, dy, N, null, new float[3], null, simd));
            assertRefused("db has 1 values, needs 2", () -> k.backwardRows(x, dy, N, null, null, new float[1], simd));
        }
        TokenBlocks xt = TokenBlocks.fromRows(x, 0, N, IN);
        assertRefused("dy has 9 values, needs 4 x 2", () -> k.backwardPlain(xt, new float[N * OUT + 1], N, new float[N * IN], null, null));
        assertRefused("dx has 13 values, needs 4 x 3", () -> k.backwardPlain(xt, dy, N, new float[N * IN + 1], null, null));
        assertRefused("dwVal has 5 values, needs 4", () -> k.backwardPlain(xt, dy, N, null, new float[5], null));
        assertRefused("db has 3 values, needs 2", () -> k.backwardPlain(xt, dy, N, null, null, new float[3]));

        assertRefused("x has 13 values, needs 4 x 3", () -> k.packInput(new float[N * IN + 1], N, null));
        float[] px = k.packInput(x, N, null);
        assertRefused("y has 9 values, needs 4 x 2", () -> k.forwardPacked(px, N, null, new float[N * OUT + 1]));
        assertRefused("bias has 1 values, needs 2", () -> k.forwardPacked(px, N, new float[1], new float[N * OUT]));
    }

    @Test
    void rowsLayoutEntryPointsComputeTheMaskedLayer() {
        // the public forms (Vector API when available) and backwardPlain with only some results wanted, against
        // the naive twin
        SparseLinearKernel k = kernel();
        float[] w = {0.5f, 9f, -1f, 2f, 0.25f, 9f};
        float[] x = values(N * IN, 3), dy = values(N * OUT, 4), bias = {0.125f, -0.5f};
        float[] y = new float[N * OUT], yRef = new float[N * OUT];
        k.forwardRows(x, N, bias, y);
        SparseLinearReference.forward(x, w, MASK, bias, yRef, N, IN, OUT);
        SparseLinearKernelTest.assertClose(yRef, y, IN, "y");
        k.forwardRows(x, N, null, y);
        SparseLinearReference.forward(x, w, MASK, null, yRef, N, IN, OUT);
        SparseLinearKernelTest.assertClose(yRef, y, IN, "y without bias");

        float[] dx = new float[N * IN], dxRef = new float[N * IN], dwVal = new float[k.nnz], dW = new float[OUT * IN];
        float[] dwRef = new float[OUT * IN], db = new float[OUT], dbRef = new float[OUT];
        k.backwardRows(x, dy, N, dx, dwVal, db);
        SparseLinearReference.backwardInput(dy, w, MASK, dxRef, N, IN, OUT);
        SparseLinearReference.backwardWeight(dy, x, MASK, dwRef, N, IN, OUT);
        SparseLinearReference.backwardBias(dy, dbRef, N, OUT);
        k.scatterAdd(dwVal, dW);
        SparseLinearKernelTest.assertClose(dxRef, dx, OUT, "dx");
        SparseLinearKernelTest.assertClose(dwRef, dW, N, "dW");
        SparseLinearKernelTest.assertClose(dbRef, db, N, "db");

        float[] dxPlain = new float[N * IN];
        k.backwardPlain(null, dy, N, dxPlain, null, null); // x is not needed without dW
        SparseLinearKernelTest.assertClose(dxRef, dxPlain, OUT, "dx alone");
        float[] dbPlain = new float[OUT];
        k.backwardPlain(null, dy, N, null, null, dbPlain);
        SparseLinearKernelTest.assertClose(dbRef, dbPlain, N, "db alone");
    }

    @Test
    void compressedLayerNamesTheWrongArgument() {
        CompressedKernel.Compressed c = new CompressedKernel.Compressed(MASK, OUT, IN);
        float[] x = values(N * IN, 5), dy = values(N * OUT, 6);
        assertRefused("x has 13 values, needs 12", () -> c.forward(new float[N * IN + 1], N, null, new float[N * OUT]));
        assertRefused("y has 9 values, needs 8", () -> c.forward(x, N, null, new float[N * OUT + 1]));
        CompressedKernel.Compressed.Saved saved = c.forward(x, N, null, new float[N * OUT]);
        assertRefused("dy has 9 values, needs 8", () -> c.backward(saved, x, new float[N * OUT + 1], null, null, null));
        // sparsity 1/3 is below SPARSE_DW_PAYS_FROM: dW = dy^T x dense, then masked, which reads x
        assertRefused("x has 13 values, needs 12", () -> c.backward(saved, new float[N * IN + 1], dy, null, new float[OUT * IN], null));
    }

    @Test
    void compressedBackwardOnPlainTokenBlocksEqualsTheVectorPath() {
        // A Saved holding token blocks is what the plain forward keeps (JVMs without the Vector API): the plain
        // backward then runs, and gives the Vector API backward's bits (SparseSimdTest), here at sparsity 0.75
        int n = 300, in = 21, out = 13;
        SparseLinearKernelTest.Case cs = new SparseLinearKernelTest.Case(n, in, out, 0.75, false, 9);
        CompressedKernel.Compressed c = new CompressedKernel.Compressed(cs.mask, out, in);
        c.refresh(cs.w);
        CompressedKernel.Compressed.Saved vector = c.forward(cs.x, n, cs.bias, new float[n * out]);
        CompressedKernel.Compressed.Saved plain = new CompressedKernel.Compressed.Saved(TokenBlocks.fromRows(cs.x, 0, n, in), n, null, 0);
        float[][] a = backward(c, vector, cs), b = backward(c, plain, cs);
        for (int q = 0; q < 3; q++) SparseSimdTest.assertBits(a[q], b[q], "gradient " + q);
    }

    private static float[][] backward(CompressedKernel.Compressed c, CompressedKernel.Compressed.Saved s, SparseLinearKernelTest.Case cs) {
        float[] dx = new float[cs.n * cs.in], dW = new float[cs.out * cs.in], db = new float[cs.out];
        c.backward(s, cs.x, cs.dy, dx, dW, db);
        return new float[][] {dx, dW, db};
    }

    @Test
    void sparsityIsTheMaskedFraction() {
        byte[] mask = new byte[12]; // 3 x 4 with three kept: 9 / 12 masked
        mask[1] = mask[6] = mask[11] = 1;
        assertEquals(0.75, SparseLayout.build(mask, 3, 4).sparsity(), 1e-12);
        assertEquals(0.75, SparseLinearKernel.build(mask, 3, 4).sparsity(), 1e-12);
        assertEquals(0.75, new CompressedKernel.Compressed(mask, 3, 4).sparsity(), 1e-12);
        assertEquals(1.0 / 3, new CompressedKernel.Compressed(MASK, OUT, IN).sparsity(), 1e-12);
        assertEquals(0.0, SparseLayout.build(new byte[0], 0, 5).sparsity(), "no weights: sparsity 0");
        assertEquals(0.0, SparseLayout.build(new byte[0], 5, 0).sparsity());
    }

    @Test
    void layoutAndTokenBlocksAcceptEmptyShapesAndRefuseNegativeOnes() {
        assertEquals(0, SparseLayout.build(new byte[0], 0, 5).nnz);
        assertEquals(0, SparseLayout.build(new byte[0], 4, 0).nnz);
        assertRefused("negative shape -1 x 3", () -> SparseLayout.build(new byte[0], -1, 3));
        assertRefused("negative shape 3 x -1", () -> SparseLayout.build(new byte[0], 3, -1));
        assertRefused("mask has 5 entries, shape 2 x 3 needs 6", () -> SparseLayout.build(new byte[5], 2, 3));
        assertRefused("weight has 5 values, needs 6", () -> SparseLayout.build(MASK, 2, 3).refreshValues(new float[5]));

        assertEquals(0, new TokenBlocks(3, 0).blockCount());
        assertEquals(3, new TokenBlocks(0, 2049).blockCount(), "no features: still ceil(2049 / 1024) blocks");
        assertEquals(0, new TokenBlocks(0, 0).features);
        assertRefused("negative size -1 x 5", () -> new TokenBlocks(-1, 5));
        assertRefused("negative size 5 x -1", () -> new TokenBlocks(5, -1));

        // zero tokens: every gradient is an empty sum, exactly 0
        SparseLinearKernel k = kernel();
        float[] dwVal = {7f, 7f, 7f, 7f}, db = new float[OUT];
        k.backwardWeightValues(new TokenBlocks(OUT, 0), new TokenBlocks(IN, 0), dwVal);
        assertArrayEquals(new float[4], dwVal);
        k.backwardBias(new TokenBlocks(OUT, 0), db);
        assertArrayEquals(new float[OUT], db);
    }

    @Test
    void sumOfTheFirstNValuesFollowsTheEightPartialSums() {
        float[] v = values(1100, 11);
        for (int n : new int[] {0, 1, 7, 8, 9, 17, 512, 1100}) {
            assertEquals(Float.floatToRawIntBits(SpecOrderTest.eightSum(v, 0, n)), Float.floatToRawIntBits(SparseLoops.sum(v, n)), "n=" + n);
        }
    }

    @Test
    void linearTakesASingleTokenAsARankOneInputAndRefusesABiasOfAnotherShape() {
        CompressedKernel.Compressed c = new CompressedKernel.Compressed(MASK, OUT, IN);
        float[] wv = {0.5f, 9f, -1f, 2f, 0.25f, 9f}, xv = {1f, 2f, 3f};
        Tensor w = Tensor.of(wv.clone(), OUT, IN), x = Tensor.of(xv.clone(), IN);
        Tensor y = CompressedKernel.linear(x, w, null, c);
        assertArrayEquals(new int[] {OUT}, y.shape);
        // by hand: row 0 keeps columns 0 and 2: 0.5 - 3 = -2.5; row 1 keeps 0 and 1: 2 + 0.5 = 2.5
        assertArrayEquals(new float[] {-2.5f, 2.5f}, y.data);
        Tensor yb = CompressedKernel.linear(x, w, Tensor.of(new float[] {1f, -1f}, OUT), c);
        assertArrayEquals(new float[] {-1.5f, 1.5f}, yb.data);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CompressedKernel.linear(x, w, Tensor.zeros(1, OUT), c));
        assertTrue(e.getMessage().startsWith("sparse linear: bias"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CompressedKernel.linear(Tensor.zeros(2), w, null, c));
        assertNull(CompressedKernel.Mode.parse("sparse!"));
    }
}
