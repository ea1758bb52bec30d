package mediswift4j.autograd;

import mediswift4j.tensor.Simd;

/**
 * The small matrix-product kernels under {@link AttentionOp}, on matrices stored as arrays of rows (float[][]):
 *
 *   rows form:    c[cRow + r][j] += sum_{p in [p0, p1)} a[aRow + r][p] * b[bRow + p][j]
 *   columns form: c[cRow + r][j] += sum_{p in [p0, p1)} a[aRow + p][aCol + r] * b[bRow + p][j]
 *
 * for j in [j0, j1). The columns form reads its coefficients from a transposed, so attention's dK = dS^T Q and
 * dV = P^T dO need no transposed copy of dS or P. The naive twin is AttentionReference (the whole op written as
 * plain loops).
 *
 * Why this shape: HotSpot C2 (JDK 17) turns the j loop into SIMD code only when every array in it is indexed by
 * the same expression (`c0[j] = fma(a, b0[j], c0[j])`, separate row arrays, no offsets into one flat array) and the
 * loop body is small; dot-product reductions (sum += x[i] * y[i]) stay scalar. Three rows of c against three rows
 * of b per sweep (9 FMAs per 3 loads of b, 3 loads and 3 stores of c) is the largest block it still vectorizes
 * with default flags (measured for tensor/Matmul, which uses the same kernel). The kernels must keep this exact
 * form: row arrays fetched inside the method, the p loop written `p + 3 <= p1`, one j loop per method.
 *
 * Determinism: each element of c is the chain c = fma(coefficient_p, b[p][j], c) for p = p0, p0 + 1, ..., p1 - 1,
 * whichever kernel runs it (the scalar and vector forms of Math.fma round identically), so results do not depend
 * on how rows are grouped.
 */
final class AttentionKernels {
    private AttentionKernels() {}

    /**
     * Rows form for three consecutive rows of c; p in [p0, p1) in increasing order for every element. With the
     * Vector API (tensor.Simd.ENABLED) the register-blocked twin in AttentionSimd runs instead (same bits); it
     * needs row arrays with one vector (16 floats) of slack past j1.
     */
    static void rowsProduct3(float[][] a, int aRow, float[][] b, int bRow, float[][] c, int cRow,
                             int p0, int p1, int j0, int j1) {
        if (Simd.ENABLED) {
            AttentionSimd.rowsProduct3(a, aRow, b, bRow, c, cRow, p0, p1, j0, j1);
            return;
        }
        rowsProduct3Plain(a, aRow, b, bRow, c, cRow, p0, p1, j0, j1);
    }

    static void rowsProduct3Plain(float[][] a, int aRow, float[][] b, int bRow, float[][] c, int cRow,
                                  int p0, int p1, int j0, int j1) {
        int p3 = p0 + Math.max(0, p1 - p0) / 3 * 3;
        rows3(a, aRow, b, bRow, c, cRow, p0, p3, j0, j1);
        if (p3 < p1) for (int r = 0; r < 3; r++) rows1Plain(a, aRow + r, b, bRow, c, cRow + r, p3, p1, j0, j1);
    }

    /** Columns form for three consecutive rows of c; p in [p0, p1) in increasing order for every element. */
    static void colsProduct3(float[][] a, int aRow, int aCol, float[][] b, int bRow, float[][] c, int cRow,
                             int p0, int p1, int j0, int j1) {
        if (Simd.ENABLED) {
            AttentionSimd.colsProduct3(a, aRow, aCol, b, bRow, c, cRow, p0, p1, j0, j1);
            return;
        }
        colsProduct3Plain(a, aRow, aCol, b, bRow, c, cRow, p0, p1, j0, j1);
    }

    static void colsProduct3Plain(float[][] a, int aRow, int aCol, float[][] b, int bRow, float[][] c, int cRow,
                                  int p0, int p1, int j0, int j1) {
        int p3 = p0 + Math.max(0, p1 - p0) / 3 * 3;
        cols3(a, aRow, aCol, b, bRow, c, cRow, p0, p3, j0, j1);
        if (p3 < p1) for (int r = 0; r < 3; r++) cols1(a, aRow, aCol + r, b, bRow, c, cRow + r, p3, p1, j0, j1);
    }

    static void rows3(float[][] a, int aRow, float[][] b, int bRow, float[][] c, int cRow, int p0, int p1, int j0, int j1) {
        float[] a0 = a[aRow], a1 = a[aRow + 1], a2 = a[aRow + 2];
        float[] c0 = c[cRow], c1 = c[cRow + 1], c2 = c[cRow + 2];
        for (int p = p0; p + 3 <= p1; p += 3) {
            float a00 = a0[p], a01 = a0[p + 1], a02 = a0[p + 2];
            float a10 = a1[p], a11 = a1[p + 1], a12 = a1[p + 2];
            float a20 = a2[p], a21 = a2[p + 1], a22 = a2[p + 2];
            float[] b0 = b[bRow + p], b1 = b[bRow + p + 1], b2 = b[bRow + p + 2];
            for (int j = j0; j < j1; j++) {
                float x0 = b0[j], x1 = b1[j], x2 = b2[j];
                c0[j] = Math.fma(a02, x2, Math.fma(a01, x1, Math.fma(a00, x0, c0[j])));
                c1[j] = Math.fma(a12, x2, Math.fma(a11, x1, Math.fma(a10, x0, c1[j])));
                c2[j] = Math.fma(a22, x2, Math.fma(a21, x1, Math.fma(a20, x0, c2[j])));
            }
        }
    }

    /** Rows form for one row of c (SIMD twin when enabled, as rowsProduct3). */
    static void rows1(float[][] a, int aRow, float[][] b, int bRow, float[][] c, int cRow, int p0, int p1, int j0, int j1) {
        if (Simd.ENABLED) {
            AttentionSimd.rows1(a, aRow, b, bRow, c, cRow, p0, p1, j0, j1);
            return;
        }
        rows1Plain(a, aRow, b, bRow, c, cRow, p0, p1, j0, j1);
    }

    static void rows1Plain(float[][] a, int aRow, float[][] b, int bRow, float[][] c, int cRow, int p0, int p1, int j0, int j1) {
        float[] a0 = a[aRow], c0 = c[cRow];
        for (int p = p0; p < p1; p++) {
            float a00 = a0[p];
            float[] b0 = b[bRow + p];
            for (int j = j0; j < j1; j++) c0[j] = Math.fma(a00, b0[j], c0[j]);
        }
    }

    static void cols3(float[][] a, int aRow, int aCol, float[][] b, int bRow, float[][] c, int cRow,
                      int p0, int p1, int j0, int j1) {
        float[] c0 = c[cRow], c1 = c[cRow + 1], c2 = c[cRow + 2];
        for (int p = p0; p + 3 <= p1; p += 3) {
            float[] ap0 = a[aRow + p], ap1 = a[aRow + p + 1], ap2 = a[aRow + p + 2];
            float a00 = ap0[aCol], a01 = ap1[aCol], a02 = ap2[aCol];
            float a10 = ap0[aCol + 1], a11 = ap1[aCol + 1], a12 = ap2[aCol + 1];
            float a20 = ap0[aCol + 2], a21 = ap1[aCol + 2], a22 = ap2[aCol + 2];
            float[] b0 = b[bRow + p], b1 = b[bRow + p + 1], b2 = b[bRow + p + 2];
            for (int j = j0; j < j1; j++) {
                float x0 = b0[j], x1 = b1[j], x2 = b2[j];
                c0[j] = Math.fma(a02, x2, Math.fma(a01, x1, Math.fma(a00, x0, c0[j])));
                c1[j] = Math.fma(a12, x2, Math.fma(a11, x1, Math.fma(a10, x0, c1[j])));
                c2[j] = Math.fma(a22, x2, Math.fma(a21, x1, Math.fma(a20, x0, c2[j])));
            }
        }
    }

    static void cols1(float[][] a, int aRow, int aCol, float[][] b, int bRow, float[][] c, int cRow,
                      int p0, int p1, int j0, int j1) {
        float[] c0 = c[cRow];
        for (int p = p0; p < p1; p++) {
            float a00 = a[aRow + p][aCol];
            float[] b0 = b[bRow + p];
            for (int j = j0; j < j1; j++) c0[j] = Math.fma(a00, b0[j], c0[j]);
        }
    }
}
