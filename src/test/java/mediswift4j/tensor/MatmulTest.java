package mediswift4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import mediswift4j.util.Rng;

/**
 * The fast {@link Matmul} against its naive twin {@link MatmulReference} on awkward shapes: sizes 1, primes and
 * non-multiples of the kernel's blocks (3 rows, 3 steps of k, MC = 48 rows, KC = 120, NC = 1024), all four transpose
 * combinations, accumulate on and off, nonzero offsets.
 *
 * Tolerance, per element: |fast - reference| <= 1e-4 * (sum_p |op(A)[i][p]| |op(B)[p][j]| + |C_before[i][j]|).
 * Why: the reference sums in double; the fast kernel rounds once per FMA in float, so its error is at most about
 * k * 2^-24 times that sum (~1.6e-5 for the k <= 260 used here). Summation order is not part of the contract.
 */
class MatmulTest {

    @Property(tries = 80)
    void fastMatchesReference(@ForAll @IntRange(min = 1, max = 110) int m,
                              @ForAll @IntRange(min = 1, max = 260) int k,
                              @ForAll @IntRange(min = 1, max = 140) int n,
                              @ForAll boolean transA, @ForAll boolean transB, @ForAll boolean accumulate,
                              @ForAll @IntRange(min = 0, max = 7) int off, @ForAll long seed) {
        checkAgainstReference(m, k, n, transA, transB, accumulate, off, seed);
    }

    /** Columns beyond one NC block and rows beyond one MC block, kept to a few cases because they are large. */
    @Property(tries = 8)
    void wideShapesMatchReference(@ForAll @IntRange(min = 1020, max = 1040) int n,
                                  @ForAll @IntRange(min = 45, max = 100) int m,
                                  @ForAll @IntRange(min = 118, max = 245) int k,
                                  @ForAll boolean transA, @ForAll boolean transB, @ForAll boolean accumulate,
                                  @ForAll long seed) {
        checkAgainstReference(m, k, n, transA, transB, accumulate, 3, seed);
    }

    @Test
    void degenerateShapes() {
        int[][] shapes = {{1, 1, 1}, {1, 7, 1}, {3, 1, 3}, {2, 3, 5}, {1, 1, 1100}, {97, 1, 1}, {1, 241, 1}};
        for (int[] s : shapes) {
            for (int t = 0; t < 8; t++) {
                checkAgainstReference(s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0, (t & 4) != 0, 1, 42 + t);
            }
        }
    }

    @Test
    void emptyInnerDimensionZeroesOrKeepsC() {
        float[] c = {1, 2, 3, 4, 5};
        Matmul.matmul(new float[0], 0, false, new float[0], 0, false, c, 1, 2, 0, 2, true);
        assertArrayEquals(new float[] {1, 2, 3, 4, 5}, c);
        Matmul.matmul(new float[0], 0, false, new float[0], 0, false, c, 1, 2, 0, 2, false);
        assertArrayEquals(new float[] {1, 0, 0, 0, 0}, c);
    }

    @Test
    void identicalBitsForOneAndTwoThreads() {
        int saved = Parallel.threads();
        try {
            // 7 row blocks of 48 and enough work per block that forRange really splits them over two threads
            int m = 311, k = 263, n = 331;
            for (int t = 0; t < 4; t++) {
                boolean transA = (t & 1) != 0, transB = (t & 2) != 0;
                float[] a = random(m * k, 1 + t), b = random(k * n, 11 + t), c0 = random(m * n, 21 + t);
                float[] one = c0.clone(), two = c0.clone();
                Parallel.setThreads(1);
                Matmul.matmul(a, 0, transA, b, 0, transB, one, 0, m, k, n, true);
                Parallel.setThreads(2);
                Matmul.matmul(a, 0, transA, b, 0, transB, two, 0, m, k, n, true);
                for (int i = 0; i < one.length; i++) {
                    assertEquals(Float.floatToRawIntBits(one[i]), Float.floatToRawIntBits(two[i]), "element " + i);
                }
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    private static void checkAgainstReference(int m, int k, int n, boolean transA, boolean transB,
                                              boolean accumulate, int off, long seed) {
        float[] a = random(off + m * k + 2, seed), b = random(off + k * n + 2, seed + 1);
        float[] cInit = random(off + m * n + 3, seed + 2);
        float[] fast = cInit.clone(), ref = cInit.clone();
        Matmul.matmul(a, off, transA, b, off, transB, fast, off, m, k, n, accumulate);
        MatmulReference.matmul(a, off, transA, b, off, transB, ref, off, m, k, n, accumulate);
        for (int idx = 0; idx < fast.length; idx++) {
            int rel = idx - off;
            if (rel < 0 || rel >= m * n) {
                assertEquals(cInit[idx], fast[idx], "element outside C changed at " + idx);
                continue;
            }
            int i = rel / n, j = rel % n;
            double scale = accumulate ? Math.abs(cInit[idx]) : 0;
            for (int p = 0; p < k; p++) {
                float av = transA ? a[off + p * m + i] : a[off + i * k + p];
                float bv = transB ? b[off + j * k + p] : b[off + p * n + j];
                scale += Math.abs((double) av * bv);
            }
            double diff = Math.abs((double) fast[idx] - ref[idx]);
            if (!(diff <= 1e-4 * scale + 1e-30)) {
                throw new AssertionError(String.format(
                        "m=%d k=%d n=%d transA=%b transB=%b acc=%b off=%d: C[%d][%d] fast %s ref %s (scale %s)",
                        m, k, n, transA, transB, accumulate, off, i, j, fast[idx], ref[idx], scale));
            }
        }
    }

    private static float[] random(int count, long seed) {
        Rng rng = new Rng(seed);
        float[] x = new float[count];
        for (int i = 0; i < count; i++) x[i] = (float) (2 * rng.nextDouble() - 1);
        return x;
    }
}
