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

    /** Half a token block: the bias gradient sums tokens in chunks of HALF. */
    static final int HALF = TokenBlocks.BLOCK / 2;

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

    // ------------------------------------------------------------------ the weight gradient's dot product

    /** Lanes of the weight gradient's accumulator: token t goes to lane t mod 32. */
    static final int LANES = 32;

    /**
     * Dot product of two token-blocked vectors (same block lengths) in the fixed order of SPEC.md section 15:
     * lane l (< 32) accumulates acc[l] = fma(a[t], b[t], acc[l]) from 0 over the tokens t = l, l + 32, ... of every
     * whole group of 32 (block lengths are multiples of 32 except the last block's), then u[l] = acc[l] + acc[l + 16],
     * {@link #fold16}, and the last block's leftover tokens are added one at a time by {@link #dot32Tail}. The
     * plain twin of SparseSimd.dot32 (acc is 32 floats of scratch).
     */
    static float dot32(float[] acc, float[][] a, float[][] b) {
        java.util.Arrays.fill(acc, 0, LANES, 0f);
        for (int k = 0; k < a.length; k++) {
            float[] ak = a[k], bk = b[k];
            int n32 = ak.length & ~(LANES - 1), t = 0;
            // Whole 1024-token blocks through fmaBlock (constant offsets, which C2 vectorizes; an offset held in a
            // variable, ak[t + l], keeps the loop scalar, several times slower); a short last block lane group by
            // group.
            if (n32 == TokenBlocks.BLOCK) {
                fmaBlock(acc, ak, bk);
                t = n32;
            }
            for (; t < n32; t += LANES) {
                for (int l = 0; l < LANES; l++) acc[l] = Math.fma(ak[t + l], bk[t + l], acc[l]);
            }
        }
        for (int l = 0; l < 16; l++) acc[l] += acc[l + 16];
        return dot32Tail(fold16(acc, 0), a, b);
    }

    /** acc[l] = fma(a[t], b[t], acc[l]) for t = l, l + 32, ..., l + 992 in order, l < 32: one whole block. */
    private static void fmaBlock(float[] acc, float[] a, float[] b) {
        for (int l = 0; l < LANES; l++) {
            float s = acc[l];
            s = Math.fma(a[l], b[l], s);
            s = Math.fma(a[l + 32], b[l + 32], s);
            s = Math.fma(a[l + 64], b[l + 64], s);
            s = Math.fma(a[l + 96], b[l + 96], s);
            s = Math.fma(a[l + 128], b[l + 128], s);
            s = Math.fma(a[l + 160], b[l + 160], s);
            s = Math.fma(a[l + 192], b[l + 192], s);
            s = Math.fma(a[l + 224], b[l + 224], s);
            s = Math.fma(a[l + 256], b[l + 256], s);
            s = Math.fma(a[l + 288], b[l + 288], s);
            s = Math.fma(a[l + 320], b[l + 320], s);
            s = Math.fma(a[l + 352], b[l + 352], s);
            s = Math.fma(a[l + 384], b[l + 384], s);
            s = Math.fma(a[l + 416], b[l + 416], s);
            s = Math.fma(a[l + 448], b[l + 448], s);
            s = Math.fma(a[l + 480], b[l + 480], s);
            s = Math.fma(a[l + 512], b[l + 512], s);
            s = Math.fma(a[l + 544], b[l + 544], s);
            s = Math.fma(a[l + 576], b[l + 576], s);
            s = Math.fma(a[l + 608], b[l + 608], s);
            s = Math.fma(a[l + 640], b[l + 640], s);
            s = Math.fma(a[l + 672], b[l + 672], s);
            s = Math.fma(a[l + 704], b[l + 704], s);
            s = Math.fma(a[l + 736], b[l + 736], s);
            s = Math.fma(a[l + 768], b[l + 768], s);
            s = Math.fma(a[l + 800], b[l + 800], s);
            s = Math.fma(a[l + 832], b[l + 832], s);
            s = Math.fma(a[l + 864], b[l + 864], s);
            s = Math.fma(a[l + 896], b[l + 896], s);
            s = Math.fma(a[l + 928], b[l + 928], s);
            s = Math.fma(a[l + 960], b[l + 960], s);
            s = Math.fma(a[l + 992], b[l + 992], s);
            acc[l] = s;
        }
    }

    /** Sum of u[off .. off+15] by in-place halvings u[l] += u[l + h], h = 8, 4, 2, 1; returns u[off]. Destroys u. */
    static float fold16(float[] u, int off) {
        for (int h = 8; h >= 1; h /= 2) {
            for (int l = off; l < off + h; l++) u[l] += u[l + h];
        }
        return u[off];
    }

    /** s, then s = fma(a[t], b[t], s) over the last block's tokens past its last whole group of 32, in order. */
    static float dot32Tail(float s, float[][] a, float[][] b) {
        int k = a.length - 1;
        if (k < 0) return s;
        float[] ak = a[k], bk = b[k];
        for (int t = ak.length & ~(LANES - 1); t < ak.length; t++) s = Math.fma(ak[t], bk[t], s);
        return s;
    }
}
