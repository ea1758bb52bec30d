package mediswift4j.sparse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import mediswift4j.tensor.Parallel;
import mediswift4j.util.Rng;

/**
 * The Vector API kernels (SparseSimd) against their plain-Java twins, bit for bit: forward, input gradient and
 * compressed weight and bias gradients through the rows-layout entry points, over token counts across the SIMD
 * chunk (128, 256), lane group (32) and block (1024) boundaries, awkward feature counts and sparsities 0 .. 0.99,
 * with 1 and 2 threads, at the JVM's vector width (forked with 4 lanes by VectorWidthTwinsTest).
 */
class SparseSimdTest {
    @Test
    void vectorKernelsRunAtThisVectorWidth() {
        // 16, 8 and 4 float lanes all run SparseSimd: no silent fall-back to the plain twins
        assertTrue(mediswift4j.tensor.Simd.ENABLED, "tests must run with --add-modules jdk.incubator.vector");
        assertTrue(SparseLinearKernel.SIMD, "SparseSimd unusable with " + mediswift4j.tensor.Simd.floatLanes() + " float lanes");
    }

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
        SparseLinearKernelTest.Case c = new SparseLinearKernelTest.Case(n, in, out, sparsity, emptyLines, seed);
        SparseLinearKernel k = SparseLinearKernel.build(c.mask, out, in, c.w);
        int saved = Parallel.threads();
        try {
            for (int threads : new int[] {1, 2}) {
                Parallel.setThreads(threads);
                float[] y0 = new float[n * out], y1 = new float[n * out];
                k.forwardRows(c.x, n, c.bias, y0, false);
                k.forwardRows(c.x, n, c.bias, y1, true);
                assertBits(y0, y1, "y n=" + n);
                // dx and db accumulate: start both from the same non-zero values.
                float[] dx0 = SparseLinearKernelTest.uniform(new Rng(seed), n * in), dx1 = dx0.clone();
                float[] db0 = SparseLinearKernelTest.uniform(new Rng(seed + 1), out), db1 = db0.clone();
                float[] dw0 = new float[k.nnz], dw1 = new float[k.nnz];
                k.backwardRows(c.x, c.dy, n, dx0, dw0, db0, false);
                k.backwardRows(c.x, c.dy, n, dx1, dw1, db1, true);
                assertBits(dx0, dx1, "dx n=" + n);
                assertBits(dw0, dw1, "dW n=" + n);
                assertBits(db0, db1, "db n=" + n);
                // Each result alone (the Vector API path shares packed dy between them).
                float[] dw2 = new float[k.nnz];
                k.backwardRows(c.x, c.dy, n, null, dw2, null, true);
                assertBits(dw0, dw2, "dW alone n=" + n);
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    /** a and b hold the same floats bit for bit (so -0 differs from +0 and NaN payloads count). */
    static void assertBits(float[] a, float[] b, String what) {
        assertEquals(a.length, b.length, what + " length");
        for (int q = 0; q < a.length; q++) {
            assertEquals(Float.floatToRawIntBits(a[q]), Float.floatToRawIntBits(b[q]), what + " entry " + q);
        }
    }
}
