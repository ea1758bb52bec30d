package mediswift4j.tensor;

import java.util.Arrays;

/**
 * Dense single-precision matrix multiply, the kernel under every linear layer:
 *
 *   C[m x n] (+)= op(A)[m x k] * op(B)[k x n]
 *
 * where op(A) = A (stored m x k) or A^T (stored k x m), and likewise for B (stored k x n, or n x k when
 * transposed). Matrices are row-major slices of flat arrays starting at the given offsets. With accumulate the
 * product is added to C (gradient accumulation), otherwise C is overwritten. The naive twin is
 * {@link MatmulReference}; the two agree within float rounding, not bit for bit (see MatmulTest for the bound).
 *
 * Two kernels compute it, bit for bit the same: {@link MatmulSimd} with the JDK's Vector API when the JVM has it
 * ({@link Simd#ENABLED}, the normal case from the command line), and the plain-Java kernel below otherwise.
 *
 * How the plain-Java kernel is fast without the Vector API: HotSpot's C2 turns a float loop into SIMD code only when every
 * array in it is indexed by the same expression, `c0[j] = fma(a, b0[j], c0[j])`, and only when the loop body is
 * small enough to be unrolled. So:
 *   1. op(B) is packed once into k separate row arrays of length n ({@link MatmulPacking#packB}); op(A) is packed
 *      per block of rows into row arrays of length k, so transposes cost one copy, not a slow kernel.
 *   2. C is computed in row buffers of length n, three rows at a time against three packed rows of B: one sweep
 *      over j does 9 FMAs per 3 loads of B, 3 loads and 3 stores of C. 3 x 3 is the largest block C2 still
 *      vectorizes with default flags, and the fastest of the shapes tried; 4 x 2, 2 x 4, 4 x 3 and 6 x 2 stay scalar
 *      (the table is in docs/MEASUREMENTS.md). Bigger blocks would need -XX:LoopUnrollLimit, which `java -jar`
 *      cannot set.
 *   3. Loops are blocked: KC rows of B times NC columns (480 KB) stay in L2 while a block of MC rows of C sweeps
 *      over them; the C slice being updated (3 x NC floats) stays in L1. Measured on
 *      n = 1024, 2048: NC = 1024 beat 256 and 512 (longer j sweeps); KC in 60..240 and MC in 24..96 were within
 *      noise.
 *   4. Blocks of MC rows of C are split over threads ({@link Parallel}).
 *
 * Determinism: every kernel computes each element as the same chain, c = fma(a[i][p], b[p][j], c) for p = 0, 1,
 * ..., k-1 starting from 0 (the scalar and vector forms of Math.fma round identically), then adds the result to C
 * or stores it. Block sizes do not depend on the thread count, so C is bit-identical for any thread count.
 */
public final class Matmul {
    private Matmul() {}

    /** Rows of C handled by one task; also the granularity of the split over threads. */
    static final int MC = 48;
    /** Rows of op(B) per cache block, about (see multiplyBlock). */
    static final int KC = 120;
    /** Columns per cache block, about. */
    static final int NC = 1024;

    public static void matmul(float[] a, int aOff, boolean transA, float[] b, int bOff, boolean transB,
                              float[] c, int cOff, int m, int k, int n, boolean accumulate) {
        if (m < 0 || k < 0 || n < 0) {
            throw new IllegalArgumentException("negative matmul shape " + m + "x" + k + "x" + n);
        }
        if (m == 0 || n == 0) return;
        if (k == 0) {
            if (!accumulate) Arrays.fill(c, cOff, cOff + m * n, 0f);
            return;
        }
        if (Simd.ENABLED) {
            MatmulSimd.matmul(a, aOff, transA, b, bOff, transB, c, cOff, m, k, n, accumulate);
        } else {
            plain(a, aOff, transA, b, bOff, transB, c, cOff, m, k, n, accumulate);
        }
    }

    /** The plain-Java kernel (m, k, n > 0), also called directly by the test that compares it with MatmulSimd. */
    static void plain(float[] a, int aOff, boolean transA, float[] b, int bOff, boolean transB,
                      float[] c, int cOff, int m, int k, int n, boolean accumulate) {
        float[][] bRows = MatmulPacking.packB(b, bOff, transB, k, n);
        int blocks = (m + MC - 1) / MC;
        // A thread gets at least ~16 MFLOP (~0.2 ms) of blocks: handing over a task costs tens of microseconds.
        long flopsPerBlock = 2L * MC * k * n;
        int minBlocksPerThread = (int) Math.max(1, Math.min(blocks, 16_000_000L / Math.max(1, flopsPerBlock)));
        Parallel.forRange(blocks, minBlocksPerThread, (from, to) -> {
            float[][] aRows = new float[MC][k];
            float[][] cRows = new float[MC][n];
            for (int blk = from; blk < to; blk++) {
                int i0 = blk * MC, rows = Math.min(MC, m - i0);
                MatmulPacking.packRowsOfA(a, aOff, transA, m, k, i0, rows, aRows);
                for (int r = 0; r < rows; r++) Arrays.fill(cRows[r], 0f);
                multiplyBlock(aRows, bRows, cRows, rows, k, n);
                for (int r = 0; r < rows; r++) {
                    int ci = cOff + (i0 + r) * n;
                    float[] row = cRows[r];
                    if (accumulate) {
                        for (int j = 0; j < n; j++) c[ci + j] += row[j];
                    } else {
                        System.arraycopy(row, 0, c, ci, n);
                    }
                }
            }
        });
    }

    /** cRows[0..rows) += aRows[0..rows) (rows x k) * bRows (k x n), blocked for the caches. */
    static void multiplyBlock(float[][] aRows, float[][] bRows, float[][] cRows, int rows, int k, int n) {
        // Split k and n into near-equal blocks of about KC and NC (k = 128: 66 + 62, not 120 + 8; n = 1536:
        // 768 + 768), rounded up to whole vectors in n and to multiples of 3 in k,
        // so that only the last k block has k % 3 leftovers for kernel1.
        int kBlock = roundUp(ceilDiv(k, ceilDiv(k, KC)), 3);
        int nBlock = roundUp(ceilDiv(n, ceilDiv(n, NC)), 16);
        for (int p0 = 0; p0 < k; p0 += kBlock) {
            int p1 = Math.min(k, p0 + kBlock);
            int p3 = p0 + (p1 - p0) / 3 * 3; // kernel3 takes [p0, p3), kernel1 the k % 3 leftovers
            for (int j0 = 0; j0 < n; j0 += nBlock) {
                int j1 = Math.min(n, j0 + nBlock);
                int r = 0;
                for (; r + 3 <= rows; r += 3) {
                    kernel3(aRows, cRows, r, bRows, p0, p3, j0, j1);
                    if (p3 < p1) for (int rr = r; rr < r + 3; rr++) kernel1(aRows, cRows, rr, bRows, p3, p1, j0, j1);
                }
                for (; r < rows; r++) kernel1(aRows, cRows, r, bRows, p0, p1, j0, j1);
            }
        }
    }

    private static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }

    private static int roundUp(int x, int multiple) {
        return ceilDiv(x, multiple) * multiple;
    }

    /**
     * Three rows of C, columns [j0, j1), updated with rows [p0, p1) of op(B), three p at a time. Each element
     * still sees its FMAs in increasing p, the same chain as {@link #kernel1}.
     */
    static void kernel3(float[][] aRows, float[][] cRows, int r, float[][] bRows, int p0, int p1, int j0, int j1) {
        // C2 (JDK 17) vectorizes the j loop only in this exact shape, measured: the row arrays fetched here, not
        // passed in as six float[] parameters; the p loop written `p + 3 <= p1`, not `p < p1`; and no second
        // j loop in the method (the k % 3 leftovers go to kernel1). Each variant falls back to scalar code.
        float[] a0 = aRows[r], a1 = aRows[r + 1], a2 = aRows[r + 2];
        float[] c0 = cRows[r], c1 = cRows[r + 1], c2 = cRows[r + 2];
        for (int p = p0; p + 3 <= p1; p += 3) {
            float a00 = a0[p], a01 = a0[p + 1], a02 = a0[p + 2];
            float a10 = a1[p], a11 = a1[p + 1], a12 = a1[p + 2];
            float a20 = a2[p], a21 = a2[p + 1], a22 = a2[p + 2];
            float[] b0 = bRows[p], b1 = bRows[p + 1], b2 = bRows[p + 2];
            for (int j = j0; j < j1; j++) {
                float x0 = b0[j], x1 = b1[j], x2 = b2[j];
                c0[j] = Math.fma(a02, x2, Math.fma(a01, x1, Math.fma(a00, x0, c0[j])));
                c1[j] = Math.fma(a12, x2, Math.fma(a11, x1, Math.fma(a10, x0, c1[j])));
                c2[j] = Math.fma(a22, x2, Math.fma(a21, x1, Math.fma(a20, x0, c2[j])));
            }
        }
    }

    /** One row of C (the last rows when the block's row count is not a multiple of 3). */
    static void kernel1(float[][] aRows, float[][] cRows, int r, float[][] bRows, int p0, int p1, int j0, int j1) {
        float[] a0 = aRows[r], c0 = cRows[r];
        for (int p = p0; p < p1; p++) {
            float a00 = a0[p];
            float[] b0 = bRows[p];
            for (int j = j0; j < j1; j++) c0[j] = Math.fma(a00, b0[j], c0[j]);
        }
    }
}
