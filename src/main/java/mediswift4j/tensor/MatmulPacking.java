package mediswift4j.tensor;

/**
 * Copies the operands of {@link Matmul} into separate row arrays, the only layout HotSpot vectorizes (every array
 * in the inner loop indexed by the same j). Packing also absorbs the transposes: after it the kernel always sees
 * op(A) as rows of length k and op(B) as rows of length n. It costs O(m k + k n) copies against O(m k n) FMAs.
 */
final class MatmulPacking {
    private MatmulPacking() {}

    /** Square tile of the blocked transpose: 32 x 32 floats keep both the read and the written lines in L1. */
    private static final int TILE = 32;

    /** op(B) as k rows of length n; B is stored k x n, or n x k when transB. Split over threads by rows. */
    static float[][] packB(float[] b, int bOff, boolean transB, int k, int n) {
        float[][] rows = new float[k][n];
        int tiles = (k + TILE - 1) / TILE;
        Parallel.forRange(tiles, Math.max(1, (1 << 16) / (TILE * n)), (from, to) -> {
            for (int p0 = from * TILE; p0 < Math.min(k, to * TILE); p0 += TILE) {
                int p1 = Math.min(k, p0 + TILE);
                if (!transB) {
                    for (int p = p0; p < p1; p++) System.arraycopy(b, bOff + p * n, rows[p], 0, n);
                    continue;
                }
                // rows[p][j] = b[j][p], tile by tile so that neither side strides through memory a line at a time
                for (int j0 = 0; j0 < n; j0 += TILE) {
                    int j1 = Math.min(n, j0 + TILE);
                    for (int j = j0; j < j1; j++) {
                        int base = bOff + j * k;
                        for (int p = p0; p < p1; p++) rows[p][j] = b[base + p];
                    }
                }
            }
        });
        return rows;
    }

    /**
     * Rows [i0, i0 + rows) of op(A) into out[0..rows), each of length k; A is stored m x k, or k x m when transA.
     */
    static void packRowsOfA(float[] a, int aOff, boolean transA, int m, int k, int i0, int rows, float[][] out) {
        if (!transA) {
            for (int r = 0; r < rows; r++) System.arraycopy(a, aOff + (i0 + r) * k, out[r], 0, k);
        } else {
            // out[r][p] = a[p][i0 + r]: walk p outermost so each stored row of A is read contiguously
            for (int p = 0; p < k; p++) {
                int base = aOff + p * m + i0;
                for (int r = 0; r < rows; r++) out[r][p] = a[base + r];
            }
        }
    }
}
