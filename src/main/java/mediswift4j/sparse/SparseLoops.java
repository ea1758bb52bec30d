package mediswift4j.sparse;

/**
 * The innermost loops of the sparse kernels, kept tiny and separate so C2 compiles each into a vectorized loop.
 *
 * Every loop indexes all its arrays by the same expression `l` (see {@link TokenBlocks} for why) and has one
 * store. The multi-way axpy forms read several weights' token vectors per pass over the output vector, so the output
 * block is loaded and stored once per six (four, two) multiply-adds instead of once per one; they chain Math.fma
 * (one rounding per multiply-add, and C2 emits vector FMA instructions). Float operations happen in the order
 * written, so results are fixed for given inputs (no dependence on threads or vector width).
 */
final class SparseLoops {
    private SparseLoops() {}

    /** y[l] = fma(w, x[l], y[l]) for l < n. */
    static void axpy(float[] y, float w, float[] x, int n) {
        for (int l = 0; l < n; l++) y[l] = Math.fma(w, x[l], y[l]);
    }

    /** y[l] = fma(w1, x1[l], fma(w0, x0[l], y[l])) for l < n. */
    static void axpy2(float[] y, float w0, float[] x0, float w1, float[] x1, int n) {
        for (int l = 0; l < n; l++) y[l] = Math.fma(w1, x1[l], Math.fma(w0, x0[l], y[l]));
    }

    /** Four fused multiply-adds into y[l], w0 x0 first, for l < n. */
    static void axpy4(float[] y, float w0, float[] x0, float w1, float[] x1, float w2, float[] x2, float w3, float[] x3,
                      int n) {
        for (int l = 0; l < n; l++) y[l] = Math.fma(w3, x3[l], Math.fma(w2, x2[l], Math.fma(w1, x1[l], Math.fma(w0, x0[l], y[l]))));
    }

    /**
     * Six fused multiply-adds into y[l], w0 x0 first, for l < n: one load and store of y per six multiply-adds.
     * The widest form C2 (JDK 17) still vectorizes, measured: with eight source arrays the loop stays scalar.
     */
    static void axpy6(float[] y, float w0, float[] x0, float w1, float[] x1, float w2, float[] x2, float w3, float[] x3,
                      float w4, float[] x4, float w5, float[] x5, int n) {
        for (int l = 0; l < n; l++) {
            y[l] = Math.fma(w5, x5[l], Math.fma(w4, x4[l], Math.fma(w3, x3[l], Math.fma(w2, x2[l], Math.fma(w1, x1[l], Math.fma(w0, x0[l], y[l]))))));
        }
    }

    /** Half a token block: the weight gradient's lane-wise accumulator is HALF wide. */
    static final int HALF = TokenBlocks.BLOCK / 2;

    /** acc[l] += a[l] * b[l] for l < n (lower half of a block). */
    static void mulAdd(float[] acc, float[] a, float[] b, int n) {
        for (int l = 0; l < n; l++) acc[l] += a[l] * b[l];
    }

    /** acc[l] += a[HALF + l] * b[HALF + l] for l < n (upper half of a block; constant offset, so C2 vectorizes). */
    static void mulAddUpper(float[] acc, float[] a, float[] b, int n) {
        for (int l = 0; l < n; l++) acc[l] += a[l + HALF] * b[l + HALF];
    }

    /** acc[l] += a[l] b[l] + a[HALF + l] b[HALF + l] for l < HALF: both halves of a full block. */
    static void mulAddHalves(float[] acc, float[] a, float[] b) {
        for (int l = 0; l < HALF; l++) acc[l] += a[l] * b[l] + a[l + HALF] * b[l + HALF];
    }

    /** acc[l] = a[l] b[l] + a[HALF + l] b[HALF + l] for l < HALF (first full block of a dot product: no zero fill). */
    static void mulSetHalves(float[] acc, float[] a, float[] b) {
        for (int l = 0; l < HALF; l++) acc[l] = a[l] * b[l] + a[l + HALF] * b[l + HALF];
    }

    /** Sum of v[0 .. n-1] in eight interleaved partial sums, combined pairwise. */
    static float sum(float[] v, int n) {
        return sum(v, 0, n);
    }

    /** Sum of v[off .. off+n-1], as {@link #sum(float[], int)}. */
    static float sum(float[] v, int off, int n) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int l = off, end = off + n;
        for (; l + 8 <= end; l += 8) {
            s0 += v[l];
            s1 += v[l + 1];
            s2 += v[l + 2];
            s3 += v[l + 3];
            s4 += v[l + 4];
            s5 += v[l + 5];
            s6 += v[l + 6];
            s7 += v[l + 7];
        }
        for (; l < end; l++) s0 += v[l];
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    private static final int H1 = HALF / 2, H2 = H1 / 2, H3 = H2 / 2, H4 = H3 / 2;

    /**
     * Sum of a full HALF-wide (512) accumulator, destroying it: four in-place halvings acc[l] += acc[l + h] for
     * h = 256, 128, 64, 32, then the eight-way sum of the last 32 lanes. The offsets are compile-time constants,
     * which C2 vectorizes (an offset held in a variable keeps the loop scalar); measured ~2x faster than the
     * scalar sum of 512 lanes, which would otherwise dominate the weight gradient.
     */
    static float foldSum(float[] acc) {
        for (int l = 0; l < H1; l++) acc[l] += acc[l + H1];
        for (int l = 0; l < H2; l++) acc[l] += acc[l + H2];
        for (int l = 0; l < H3; l++) acc[l] += acc[l + H3];
        for (int l = 0; l < H4; l++) acc[l] += acc[l + H4];
        return sum(acc, H4);
    }

    /**
     * Dot product of two token-blocked vectors (same block lengths) over all tokens, accumulated lane-wise into
     * the HALF-wide acc (vectorized) and summed once. Each block is taken as its two halves of HALF tokens, which
     * gives the fixed order: a full block adds both halves per lane (the first full block assigns), a short last
     * block adds its lower half and then its upper half, and the lanes are summed by foldSum when the first half
     * is full (N >= HALF), else by sum over N lanes.
     */
    static float blockedDot(float[] acc, float[][] a, float[][] b) {
        int nb = a.length;
        if (nb == 0) return 0f;
        int first = a[0].length, full = Math.min(HALF, first);
        int k;
        if (first == TokenBlocks.BLOCK) {
            mulSetHalves(acc, a[0], b[0]);
            k = 1;
        } else {
            java.util.Arrays.fill(acc, 0, full, 0f);
            k = 0;
        }
        for (; k < nb && a[k].length == TokenBlocks.BLOCK; k++) mulAddHalves(acc, a[k], b[k]);
        if (k < nb) { // the short last block
            int len = a[k].length;
            mulAdd(acc, a[k], b[k], Math.min(len, HALF));
            if (len > HALF) mulAddUpper(acc, a[k], b[k], len - HALF);
        }
        return full == HALF ? foldSum(acc) : sum(acc, full);
    }
}
