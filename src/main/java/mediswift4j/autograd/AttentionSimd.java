package mediswift4j.autograd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API twins of {@link AttentionKernels}' rowsProduct3, colsProduct3 and rows1, for three rows (or one) of c:
 *
 *   rows form:    c[cRow + r][j] += sum_{p in [p0, p1)} a[aRow + r][p] * b[bRow + p][j]
 *   columns form: c[cRow + r][j] += sum_{p in [p0, p1)} a[aRow + p][aCol + r] * b[bRow + p][j]
 *
 * Register-blocked: a tile of c (three rows by up to four vectors of columns) stays in registers for the whole p
 * loop, so every p costs one load of b per column vector and three broadcasts, and c is read and written once.
 * (The plain kernels, which C2 vectorizes, reload and store c for every three values of p.) Each element is still
 * the chain c = fma(coefficient_p, b[p][j], c) for p = p0, p0 + 1, ..., p1 - 1, so the results are bit-identical
 * to the plain kernels (AttentionSimdTest). Column tails use masked loads and stores; callers give row arrays with
 * at least one vector of slack past j1, so the masked accesses stay inside the arrays (the fast path).
 * Loaded only when tensor.Simd.ENABLED.
 */
final class AttentionSimd {
    private AttentionSimd() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    /** Rows form for three consecutive rows of c. */
    static void rowsProduct3(float[][] a, int aRow, float[][] b, int bRow, float[][] c, int cRow,
                             int p0, int p1, int j0, int j1) {
        if (p0 >= p1) return;
        float[] a0 = a[aRow], a1 = a[aRow + 1], a2 = a[aRow + 2];
        float[] c0 = c[cRow], c1 = c[cRow + 1], c2 = c[cRow + 2];
        int j = rowsBlocks3(a0, a1, a2, b, bRow, c0, c1, c2, p0, p1, j0, j1);
        rowsTail3(a0, a1, a2, b, bRow, c0, c1, c2, p0, p1, j, j1);
    }

    /** The part of [j0, j1) that fills whole blocks of four vectors; returns where it stopped. */
    private static int rowsBlocks3(float[] a0, float[] a1, float[] a2, float[][] b, int bRow, float[] c0, float[] c1, float[] c2, int p0, int p1, int j0, int j1) {
        int j = j0;
        for (; j + 4 * L <= j1; j += 4 * L) {
            FloatVector x00 = FloatVector.fromArray(S, c0, j), x01 = FloatVector.fromArray(S, c0, j + L);
            FloatVector x02 = FloatVector.fromArray(S, c0, j + 2 * L), x03 = FloatVector.fromArray(S, c0, j + 3 * L);
            FloatVector x10 = FloatVector.fromArray(S, c1, j), x11 = FloatVector.fromArray(S, c1, j + L);
            FloatVector x12 = FloatVector.fromArray(S, c1, j + 2 * L), x13 = FloatVector.fromArray(S, c1, j + 3 * L);
            FloatVector x20 = FloatVector.fromArray(S, c2, j), x21 = FloatVector.fromArray(S, c2, j + L);
            FloatVector x22 = FloatVector.fromArray(S, c2, j + 2 * L), x23 = FloatVector.fromArray(S, c2, j + 3 * L);
            for (int p = p0; p < p1; p++) {
                float[] bp = b[bRow + p];
                FloatVector y0 = FloatVector.fromArray(S, bp, j), y1 = FloatVector.fromArray(S, bp, j + L);
                FloatVector y2 = FloatVector.fromArray(S, bp, j + 2 * L), y3 = FloatVector.fromArray(S, bp, j + 3 * L);
                FloatVector s0 = FloatVector.broadcast(S, a0[p]);
                x00 = s0.fma(y0, x00);
                x01 = s0.fma(y1, x01);
                x02 = s0.fma(y2, x02);
                x03 = s0.fma(y3, x03);
                FloatVector s1 = FloatVector.broadcast(S, a1[p]);
                x10 = s1.fma(y0, x10);
                x11 = s1.fma(y1, x11);
                x12 = s1.fma(y2, x12);
                x13 = s1.fma(y3, x13);
                FloatVector s2 = FloatVector.broadcast(S, a2[p]);
                x20 = s2.fma(y0, x20);
                x21 = s2.fma(y1, x21);
                x22 = s2.fma(y2, x22);
                x23 = s2.fma(y3, x23);
            }
            x00.intoArray(c0, j);
            x01.intoArray(c0, j + L);
            x02.intoArray(c0, j + 2 * L);
            x03.intoArray(c0, j + 3 * L);
            x10.intoArray(c1, j);
            x11.intoArray(c1, j + L);
            x12.intoArray(c1, j + 2 * L);
            x13.intoArray(c1, j + 3 * L);
            x20.intoArray(c2, j);
            x21.intoArray(c2, j + L);
            x22.intoArray(c2, j + 2 * L);
            x23.intoArray(c2, j + 3 * L);
        }
        return j;
    }

    /** Columns [j, j1) one vector at a time, the last one masked. (A separate method: C1 cannot compile the whole
     * kernel in one piece, "out of virtual registers", and a method it gives up on can stay unoptimized.) */
    private static void rowsTail3(float[] a0, float[] a1, float[] a2, float[][] b, int bRow, float[] c0, float[] c1, float[] c2, int p0, int p1, int j, int j1) {
        for (; j + L <= j1; j += L) {
            FloatVector x0 = FloatVector.fromArray(S, c0, j), x1 = FloatVector.fromArray(S, c1, j);
            FloatVector x2 = FloatVector.fromArray(S, c2, j);
            for (int p = p0; p < p1; p++) {
                FloatVector y = FloatVector.fromArray(S, b[bRow + p], j);
                x0 = FloatVector.broadcast(S, a0[p]).fma(y, x0);
                x1 = FloatVector.broadcast(S, a1[p]).fma(y, x1);
                x2 = FloatVector.broadcast(S, a2[p]).fma(y, x2);
            }
            x0.intoArray(c0, j);
            x1.intoArray(c1, j);
            x2.intoArray(c2, j);
        }
        if (j < j1) {
            VectorMask<Float> m = S.indexInRange(j, j1);
            FloatVector x0 = FloatVector.fromArray(S, c0, j, m), x1 = FloatVector.fromArray(S, c1, j, m);
            FloatVector x2 = FloatVector.fromArray(S, c2, j, m);
            for (int p = p0; p < p1; p++) {
                FloatVector y = FloatVector.fromArray(S, b[bRow + p], j, m);
                x0 = FloatVector.broadcast(S, a0[p]).fma(y, x0);
                x1 = FloatVector.broadcast(S, a1[p]).fma(y, x1);
                x2 = FloatVector.broadcast(S, a2[p]).fma(y, x2);
            }
            x0.intoArray(c0, j, m);
            x1.intoArray(c1, j, m);
            x2.intoArray(c2, j, m);
        }
    }

    /** Columns form for three consecutive rows of c (coefficients a[aRow + p][aCol + r]). */
    static void colsProduct3(float[][] a, int aRow, int aCol, float[][] b, int bRow, float[][] c, int cRow,
                             int p0, int p1, int j0, int j1) {
        if (p0 >= p1) return;
        float[] c0 = c[cRow], c1 = c[cRow + 1], c2 = c[cRow + 2];
        int j = colsBlocks3(a, aRow, aCol, b, bRow, c0, c1, c2, p0, p1, j0, j1);
        colsTail3(a, aRow, aCol, b, bRow, c0, c1, c2, p0, p1, j, j1);
    }

    /** The part of [j0, j1) that fills whole blocks of four vectors; returns where it stopped. */
    private static int colsBlocks3(float[][] a, int aRow, int aCol, float[][] b, int bRow, float[] c0, float[] c1, float[] c2, int p0, int p1, int j0, int j1) {
        int j = j0;
        for (; j + 4 * L <= j1; j += 4 * L) {
            FloatVector x00 = FloatVector.fromArray(S, c0, j), x01 = FloatVector.fromArray(S, c0, j + L);
            FloatVector x02 = FloatVector.fromArray(S, c0, j + 2 * L), x03 = FloatVector.fromArray(S, c0, j + 3 * L);
            FloatVector x10 = FloatVector.fromArray(S, c1, j), x11 = FloatVector.fromArray(S, c1, j + L);
            FloatVector x12 = FloatVector.fromArray(S, c1, j + 2 * L), x13 = FloatVector.fromArray(S, c1, j + 3 * L);
            FloatVector x20 = FloatVector.fromArray(S, c2, j), x21 = FloatVector.fromArray(S, c2, j + L);
            FloatVector x22 = FloatVector.fromArray(S, c2, j + 2 * L), x23 = FloatVector.fromArray(S, c2, j + 3 * L);
            for (int p = p0; p < p1; p++) {
                float[] bp = b[bRow + p], ap = a[aRow + p];
                FloatVector y0 = FloatVector.fromArray(S, bp, j), y1 = FloatVector.fromArray(S, bp, j + L);
                FloatVector y2 = FloatVector.fromArray(S, bp, j + 2 * L), y3 = FloatVector.fromArray(S, bp, j + 3 * L);
                FloatVector s0 = FloatVector.broadcast(S, ap[aCol]);
                x00 = s0.fma(y0, x00);
                x01 = s0.fma(y1, x01);
                x02 = s0.fma(y2, x02);
                x03 = s0.fma(y3, x03);
                FloatVector s1 = FloatVector.broadcast(S, ap[aCol + 1]);
                x10 = s1.fma(y0, x10);
                x11 = s1.fma(y1, x11);
                x12 = s1.fma(y2, x12);
                x13 = s1.fma(y3, x13);
                FloatVector s2 = FloatVector.broadcast(S, ap[aCol + 2]);
                x20 = s2.fma(y0, x20);
                x21 = s2.fma(y1, x21);
                x22 = s2.fma(y2, x22);
                x23 = s2.fma(y3, x23);
            }
            x00.intoArray(c0, j);
            x01.intoArray(c0, j + L);
            x02.intoArray(c0, j + 2 * L);
            x03.intoArray(c0, j + 3 * L);
            x10.intoArray(c1, j);
            x11.intoArray(c1, j + L);
            x12.intoArray(c1, j + 2 * L);
            x13.intoArray(c1, j + 3 * L);
            x20.intoArray(c2, j);
            x21.intoArray(c2, j + L);
            x22.intoArray(c2, j + 2 * L);
            x23.intoArray(c2, j + 3 * L);
        }
        return j;
    }

    /** Columns [j, j1) one vector at a time, the last one masked. (A separate method: C1 cannot compile the whole
     * kernel in one piece, "out of virtual registers", and a method it gives up on can stay unoptimized.) */
    private static void colsTail3(float[][] a, int aRow, int aCol, float[][] b, int bRow, float[] c0, float[] c1, float[] c2, int p0, int p1, int j, int j1) {
        for (; j + L <= j1; j += L) {
            FloatVector x0 = FloatVector.fromArray(S, c0, j), x1 = FloatVector.fromArray(S, c1, j);
            FloatVector x2 = FloatVector.fromArray(S, c2, j);
            for (int p = p0; p < p1; p++) {
                float[] ap = a[aRow + p];
                FloatVector y = FloatVector.fromArray(S, b[bRow + p], j);
                x0 = FloatVector.broadcast(S, ap[aCol]).fma(y, x0);
                x1 = FloatVector.broadcast(S, ap[aCol + 1]).fma(y, x1);
                x2 = FloatVector.broadcast(S, ap[aCol + 2]).fma(y, x2);
            }
            x0.intoArray(c0, j);
            x1.intoArray(c1, j);
            x2.intoArray(c2, j);
        }
        if (j < j1) {
            VectorMask<Float> m = S.indexInRange(j, j1);
            FloatVector x0 = FloatVector.fromArray(S, c0, j, m), x1 = FloatVector.fromArray(S, c1, j, m);
            FloatVector x2 = FloatVector.fromArray(S, c2, j, m);
            for (int p = p0; p < p1; p++) {
                float[] ap = a[aRow + p];
                FloatVector y = FloatVector.fromArray(S, b[bRow + p], j, m);
                x0 = FloatVector.broadcast(S, ap[aCol]).fma(y, x0);
                x1 = FloatVector.broadcast(S, ap[aCol + 1]).fma(y, x1);
                x2 = FloatVector.broadcast(S, ap[aCol + 2]).fma(y, x2);
            }
            x0.intoArray(c0, j, m);
            x1.intoArray(c1, j, m);
            x2.intoArray(c2, j, m);
        }
    }

    /** Rows form for one row of c. */
    static void rows1(float[][] a, int aRow, float[][] b, int bRow, float[][] c, int cRow, int p0, int p1, int j0, int j1) {
        if (p0 >= p1) return;
        float[] a0 = a[aRow], c0 = c[cRow];
        int j = j0;
        for (; j + 2 * L <= j1; j += 2 * L) {
            FloatVector x0 = FloatVector.fromArray(S, c0, j), x1 = FloatVector.fromArray(S, c0, j + L);
            for (int p = p0; p < p1; p++) {
                float[] bp = b[bRow + p];
                FloatVector s = FloatVector.broadcast(S, a0[p]);
                x0 = s.fma(FloatVector.fromArray(S, bp, j), x0);
                x1 = s.fma(FloatVector.fromArray(S, bp, j + L), x1);
            }
            x0.intoArray(c0, j);
            x1.intoArray(c0, j + L);
        }
        for (; j + L <= j1; j += L) {
            FloatVector x0 = FloatVector.fromArray(S, c0, j);
            for (int p = p0; p < p1; p++) x0 = FloatVector.broadcast(S, a0[p]).fma(FloatVector.fromArray(S, b[bRow + p], j), x0);
            x0.intoArray(c0, j);
        }
        if (j < j1) {
            VectorMask<Float> m = S.indexInRange(j, j1);
            FloatVector x0 = FloatVector.fromArray(S, c0, j, m);
            for (int p = p0; p < p1; p++) x0 = FloatVector.broadcast(S, a0[p]).fma(FloatVector.fromArray(S, b[bRow + p], j, m), x0);
            x0.intoArray(c0, j, m);
        }
    }
}
