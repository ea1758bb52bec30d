package mediswift4j.sparse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import mediswift4j.tensor.Parallel;
import mediswift4j.tensor.Simd;

/**
 * The Vector API kernels (SparseSimd) against their plain-Java twins, bit for bit: forward, input gradient and
 * compressed weight gradient, over token counts across the SIMD chunk (128), lane group (32) and block (1024)
 * boundaries, awkward feature counts and sparsities 0 .. 0.99, with 1 and 2 threads. Skipped without the module.
 */
class SparseSimdTest {
    @Property(tries = 40)
    void simdEqualsPlainBitForBit(@ForAll @IntRange(min = 1, max = 1300) int n, @ForAll @IntRange(min = 1, max = 300) int in,
                                  @ForAll @IntRange(min = 1, max = 70) int out, @ForAll @DoubleRange(min = 0, max = 0.99) double sparsity,
                                  @ForAll boolean emptyLines) {
        check(n, in, out, sparsity, emptyLines, 1000L * n + in);
    }

    @Test
    void simdEqualsPlainOnChosenShapes() {
        int[][] shapes = {{1, 1, 1}, {31, 5, 3}, {32, 17, 9}, {127, 129, 33}, {128, 256, 64}, {129, 131, 7}, {1024, 97, 40},
                          {1025, 40, 97}, {2048, 65, 5}, {2080, 3, 130}, {384, 50, 20}, {1408, 33, 17}, {2432, 129, 3}};
        for (int[] s : shapes) {
            for (double sp : new double[] {0, 0.5, 0.9, 0.99}) check(s[0], s[1], s[2], sp, sp > 0.4, s[0] + s[1]);
        }
    }

    private static void check(int n, int in, int out, double sparsity, boolean emptyLines, long seed) {
        Assumptions.assumeTrue(Simd.ENABLED, "Vector API module not loaded");
        SparseLinearKernelTest.Case c = new SparseLinearKernelTest.Case(n, in, out, sparsity, emptyLines, seed);
        SparseLinearKernel k = SparseLinearKernel.build(c.mask, out, in, c.w);
        TokenBlocks x = TokenBlocks.fromRows(c.x, 0, n, in), dy = TokenBlocks.fromRows(c.dy, 0, n, out);
        int saved = Parallel.threads();
        try {
            for (int threads : new int[] {1, 2}) {
                Parallel.setThreads(threads);
                TokenBlocks y0 = new TokenBlocks(out, n), y1 = new TokenBlocks(out, n);
                k.forward(x, c.bias, y0, false);
                k.forward(x, c.bias, y1, true);
                assertSame(y0, y1, "y");
                TokenBlocks dx0 = new TokenBlocks(in, n), dx1 = new TokenBlocks(in, n);
                k.backwardInput(dy, dx0, false);
                k.backwardInput(dy, dx1, true);
                assertSame(dx0, dx1, "dx");
                float[] dw0 = new float[k.nnz], dw1 = new float[k.nnz];
                k.backwardWeightValues(dy, x, dw0, false);
                k.backwardWeightValues(dy, x, dw1, true);
                for (int p = 0; p < k.nnz; p++) {
                    assertEquals(Float.floatToRawIntBits(dw0[p]), Float.floatToRawIntBits(dw1[p]), "dW entry " + p + " n=" + n);
                }
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    private static void assertSame(TokenBlocks a, TokenBlocks b, String what) {
        for (int f = 0; f < a.features; f++) {
            for (int t = 0; t < a.tokens; t++) {
                assertEquals(Float.floatToRawIntBits(a.get(f, t)), Float.floatToRawIntBits(b.get(f, t)), what + " f=" + f + " t=" + t);
            }
        }
    }
}
