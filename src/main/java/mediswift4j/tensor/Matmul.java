package mediswift4j.tensor;

/**
 * Dense single-precision matrix multiply, the kernel under every linear layer:
 *
 *   C[m x n] (+)= op(A)[m x k] * op(B)[k x n]
 *
 * where op(A) = A (stored m x k) or A^T (stored k x m), and likewise for B (stored k x n, or n x k when
 * transposed). Matrices are row-major slices of flat arrays starting at the given offsets. With accumulate the
 * product is added to C (gradient accumulation), otherwise C is overwritten.
 *
 * Why the packing: HotSpot's C2 vectorizes `c[j] += a * b[j]` only when both arrays are indexed by the same
 * expression; with offsets into one flat array the loop stays scalar. So B is copied once into one array per row
 * (k rows of n) and C rows are computed in separate row buffers. Rows of C are split over threads (see
 * {@link Parallel}), so the result does not depend on the thread count. The naive twin is {@link MatmulReference}.
 */
public final class Matmul {
    private Matmul() {}

    public static void matmul(float[] a, int aOff, boolean transA, float[] b, int bOff, boolean transB,
                              float[] c, int cOff, int m, int k, int n, boolean accumulate) {
        if (m == 0 || n == 0) return;
        if (k == 0) {
            if (!accumulate) java.util.Arrays.fill(c, cOff, cOff + m * n, 0f);
            return;
        }
        float[][] bRows = packB(b, bOff, transB, k, n);
        Parallel.forRange(m, Math.max(1, 32768 / Math.max(1, k * n / 64 + 1)), (from, to) -> {
            float[] row = new float[n];
            for (int i = from; i < to; i++) {
                java.util.Arrays.fill(row, 0f);
                for (int p = 0; p < k; p++) {
                    float av = transA ? a[aOff + p * m + i] : a[aOff + i * k + p];
                    float[] bRow = bRows[p];
                    for (int j = 0; j < n; j++) row[j] += av * bRow[j];
                }
                int ci = cOff + i * n;
                if (accumulate) {
                    for (int j = 0; j < n; j++) c[ci + j] += row[j];
                } else {
                    System.arraycopy(row, 0, c, ci, n);
                }
            }
        });
    }

    /** op(B) as k separate rows of length n. */
    static float[][] packB(float[] b, int bOff, boolean transB, int k, int n) {
        float[][] rows = new float[k][n];
        if (!transB) {
            for (int p = 0; p < k; p++) System.arraycopy(b, bOff + p * n, rows[p], 0, n);
        } else {
            for (int j = 0; j < n; j++) {
                int base = bOff + j * k;
                for (int p = 0; p < k; p++) rows[p][j] = b[base + p];
            }
        }
        return rows;
    }
}
