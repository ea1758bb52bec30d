package mediswift4j.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import mediswift4j.tensor.Parallel;
import mediswift4j.tensor.Tensor;
import mediswift4j.util.Rng;

/**
 * The optimized {@link AttentionOp} against its naive twin {@link AttentionReference} (the plain loops), outputs
 * and gradients, on awkward shapes: T = 1, primes, T across the query block (48) and several blocks, HS = 1,
 * NH = 1; bit-identical results for 1 and 2 threads; and the kernels of {@link AttentionKernels} equal to the
 * plain fma chain they promise, bit for bit.
 */
class AttentionPropertyTest {
    /** Sequence lengths: tiny, primes, just around the query block and its multiples. */
    @Provide
    Arbitrary<Integer> lengths() {
        return Arbitraries.of(1, 2, 3, 4, 5, 7, 11, 13, 17, 47, 48, 49, 53, 96, 97, 101);
    }

    /** Forward output and the gradient of sum(out * w) with respect to qkv. */
    private interface Attention {
        Tensor apply(Tensor qkv, int nh);
    }

    private static float[][] run(Attention op, Tensor qkv, Tensor w, int nh) {
        qkv.grad = null;
        qkv.requiresGrad = true;
        Tensor out = op.apply(qkv, nh);
        Autograd.backward(ShapeOps.sum(ElementwiseOps.mul(out, w)));
        return new float[][] {out.data.clone(), qkv.grad.clone()};
    }

    private static void assertClose(float[] expected, float[] actual, double tol, String what) {
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i], a = actual[i];
            assertTrue(Math.abs(e - a) <= tol * Math.max(1, Math.abs(e)),
                    what + " " + i + ": reference " + e + " fast " + a);
        }
    }

    @Property(tries = 40)
    void fastEqualsNaiveReference(@ForAll @IntRange(min = 1, max = 2) int b, @ForAll("lengths") int t,
                                  @ForAll @IntRange(min = 1, max = 3) int nh, @ForAll @IntRange(min = 1, max = 11) int hs,
                                  @ForAll @IntRange(min = 0, max = 2) int spread, @ForAll long seed) {
        Rng rng = new Rng(seed);
        // spread 0..2 scales q and k: scores of standard deviation 0.25, 1 and 4, softmax rows from nearly flat
        // to nearly one-hot. (Larger scores amplify float rounding of q . k beyond the 1e-5 bound: an error of
        // 1e-7 relative in a score of 50 moves the probabilities by 5e-6 relative.)
        float sigma = new float[] {0.5f, 1f, 2f}[spread];
        int c = nh * hs;
        Tensor qkv = Tensor.normal(rng, 0, 1, b, t, 3 * c);
        for (int row = 0; row < b * t; row++) for (int j = 0; j < 2 * c; j++) qkv.data[row * 3 * c + j] *= sigma;
        Tensor w = Tensor.normal(rng, 0, 1, b, t, nh * hs);
        float[][] naive = run(AttentionReference::causalSelfAttention, qkv, w, nh);
        float[][] fast = run(AttentionOp::causalSelfAttention, qkv, w, nh);
        assertClose(naive[0], fast[0], 1e-5, "output");
        assertClose(naive[1], fast[1], 1e-4, "gradient");
    }

    @Property(tries = 10)
    void oneAndTwoThreadsBitIdentical(@ForAll @IntRange(min = 1, max = 3) int b, @ForAll("lengths") int t,
                                      @ForAll @IntRange(min = 1, max = 4) int nh, @ForAll @IntRange(min = 1, max = 9) int hs,
                                      @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor qkv = Tensor.normal(rng, 0, 1, b, t, 3 * nh * hs);
        Tensor w = Tensor.normal(rng, 0, 1, b, t, nh * hs);
        int saved = Parallel.threads();
        try {
            Parallel.setThreads(1);
            float[][] one = run(AttentionOp::causalSelfAttention, qkv, w, nh);
            Parallel.setThreads(2);
            float[][] two = run(AttentionOp::causalSelfAttention, qkv, w, nh);
            assertArrayEquals(one[0], two[0], "output");
            assertArrayEquals(one[1], two[1], "gradient");
        } finally {
            Parallel.setThreads(saved);
        }
    }

    /** c[r][j] += sum_p coefficient(r, p) b[bRow + p][j] as one fma chain per element, p increasing. */
    private static float[][] plainChain(float[][] a, int aRow, int aCol, boolean columns, float[][] b, int bRow,
                                        float[][] c, int cRow, int p0, int p1, int j0, int j1) {
        float[][] out = new float[c.length][];
        for (int i = 0; i < c.length; i++) out[i] = c[i].clone();
        for (int r = 0; r < 3; r++) {
            for (int j = j0; j < j1; j++) {
                float acc = out[cRow + r][j];
                for (int p = p0; p < p1; p++) {
                    float coef = columns ? a[aRow + p][aCol + r] : a[aRow + r][aCol + p];
                    acc = Math.fma(coef, b[bRow + p][j], acc);
                }
                out[cRow + r][j] = acc;
            }
        }
        return out;
    }

    private static float[][] randomRows(Rng rng, int rows, int cols) {
        float[][] m = new float[rows][cols];
        for (float[] row : m) for (int i = 0; i < cols; i++) row[i] = (float) rng.nextGaussian();
        return m;
    }

    @Property(tries = 60)
    void kernelsEqualPlainFmaChain(@ForAll @IntRange(min = 0, max = 3) int aRow, @ForAll @IntRange(min = 0, max = 2) int bRow,
                                   @ForAll @IntRange(min = 0, max = 3) int cRow, @ForAll @IntRange(min = 0, max = 4) int p0,
                                   @ForAll @IntRange(min = 0, max = 11) int pLen, @ForAll @IntRange(min = 0, max = 3) int j0,
                                   @ForAll @IntRange(min = 0, max = 70) int jLen, @ForAll boolean columns, @ForAll long seed) {
        Rng rng = new Rng(seed);
        int p1 = p0 + pLen, j1 = j0 + jLen, aCol = columns ? 2 : 0;
        float[][] a = columns ? randomRows(rng, aRow + p1, aCol + 3) : randomRows(rng, aRow + 3, p1);
        float[][] b = randomRows(rng, bRow + p1, j1);
        float[][] c = randomRows(rng, cRow + 3, j1);
        float[][] expected = plainChain(a, aRow, aCol, columns, b, bRow, c, cRow, p0, p1, j0, j1);
        if (columns) {
            AttentionKernels.colsProduct3(a, aRow, aCol, b, bRow, c, cRow, p0, p1, j0, j1);
        } else {
            AttentionKernels.rowsProduct3(a, aRow, b, bRow, c, cRow, p0, p1, j0, j1);
        }
        for (int i = 0; i < c.length; i++) assertArrayEquals(expected[i], c[i], "row " + i);
    }
}
