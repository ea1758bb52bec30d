package mediswift4j.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import mediswift4j.tensor.Simd;
import mediswift4j.util.Rng;

/**
 * The register-blocked Vector API attention kernels (AttentionSimd) give the same bits as their plain twins in
 * AttentionKernels, on awkward ranges: empty, one, primes, and column counts around the vector widths.
 * Runs when the jdk.incubator.vector module is loaded (as under surefire).
 */
class AttentionSimdTest {
    /** rows x (cols + slack) with values in the masked tail region too (they must stay untouched). */
    static float[][] matrix(Rng rng, int rows, int cols) {
        float[][] m = new float[rows][cols + AttentionOp.SLACK];
        for (float[] r : m) for (int j = 0; j < r.length; j++) r[j] = (float) rng.nextGaussian();
        return m;
    }

    static float[][] copy(float[][] m) {
        float[][] c = new float[m.length][];
        for (int i = 0; i < m.length; i++) c[i] = m[i].clone();
        return c;
    }

    static void assertBits(float[][] x, float[][] y, String what) {
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x[i].length; j++) {
                assertEquals(Float.floatToRawIntBits(x[i][j]), Float.floatToRawIntBits(y[i][j]), what + " [" + i + "][" + j + "]");
            }
        }
    }

    @Property(tries = 60)
    void simdKernelsMatchPlainBitForBit(@ForAll @IntRange(min = 0, max = 37) int pLen, @ForAll @IntRange(min = 0, max = 3) int p0,
                                        @ForAll @IntRange(min = 0, max = 150) int jLen, @ForAll @IntRange(min = 0, max = 5) int j0,
                                        @ForAll long seed) {
        if (!Simd.ENABLED) return;
        Rng rng = new Rng(seed);
        int p1 = p0 + pLen, j1 = j0 + jLen, cols = j1;
        float[][] aRows = matrix(rng, 4, p1);        // rows form: a[aRow + r][p]
        float[][] aCols = matrix(rng, p1 + 1, 6);    // columns form: a[aRow + p][aCol + r]
        float[][] b = matrix(rng, p1 + 2, cols);
        float[][] c = matrix(rng, 5, cols);

        float[][] x = copy(c), y = copy(c);
        AttentionKernels.rowsProduct3Plain(aRows, 1, b, 2, x, 1, p0, p1, j0, j1);
        AttentionSimd.rowsProduct3(aRows, 1, b, 2, y, 1, p0, p1, j0, j1);
        assertBits(x, y, "rowsProduct3");

        x = copy(c);
        y = copy(c);
        AttentionKernels.colsProduct3Plain(aCols, 1, 2, b, 1, x, 2, p0, p1, j0, j1);
        AttentionSimd.colsProduct3(aCols, 1, 2, b, 1, y, 2, p0, p1, j0, j1);
        assertBits(x, y, "colsProduct3");

        x = copy(c);
        y = copy(c);
        AttentionKernels.rows1Plain(aRows, 3, b, 0, x, 4, p0, p1, j0, j1);
        AttentionSimd.rows1(aRows, 3, b, 0, y, 4, p0, p1, j0, j1);
        assertBits(x, y, "rows1");
    }
}
