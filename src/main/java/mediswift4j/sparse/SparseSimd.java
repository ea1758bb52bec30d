package mediswift4j.sparse;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The compressed kernels' hot loops written with the JDK's incubating Vector API (module jdk.incubator.vector),
 * register-blocked over tokens. Touched only when {@link #USABLE} (which requires tensor/Simd.ENABLED), so the
 * JVM never loads this class without the module. Each kernel computes every output element with exactly the float
 * operations, in exactly the order, of its plain-Java twin in {@link SparseLoops} / {@link SparseLinearKernel}
 * (SPEC.md section 15), so results are bit-identical with and without the module; SparseSimdTest checks it.
 *
 * Why it is faster than the plain loops C2 vectorizes by itself:
 *   forward / dx  a chunk of CHUNK_VECTORS vectors of one output line's tokens (128 tokens at 16 lanes) stays in
 *                 registers while all kept weights of the line in one feature tile are applied to it (one load
 *                 of x and one fused multiply-add per vector and weight; the output is loaded and stored once per
 *                 tile instead of once per six weights), and the tile of x it reads (TILE features x 128 tokens,
 *                 32 KB) stays in L1 while every line of the thread's chunk uses it.
 *   dW            four kept weights of a row at a time: each dy vector is loaded once for four x vectors, into
 *                 eight independent 16-lane accumulators (32 lanes per weight), so the multiply-adds are not
 *                 serialised on one accumulator; the 32 lanes are folded once per weight.
 */
final class SparseSimd {
    private SparseSimd() {}

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();

    /** The dW kernel folds 32 lanes as two 16-lane vectors; other widths use the plain twin (same results). */
    static final boolean DW_USABLE = L == 16;

    /** Vectors per token chunk held in registers by forward and dx. */
    static final int CHUNK_VECTORS = 8;

    // ------------------------------------------------------------------ forward and dx

    /**
     * dst[r][b][t] = fma(val[p], src[idx[p]][b][t], dst[r][b][t]) for the kept entries p of lines r in [from, to)
     * in increasing p, for every token t: the SIMD twin of SparseLinearKernel.accumulateTiled. tiles holds, per
     * line, the first entry of each feature tile (nt tiles). Loop order: token block, token chunk, feature tile,
     * line, entry; the per-element order of the fused multiply-adds is increasing p whatever the blocking.
     */
    static void accumulate(float[][][] dst, int from, int to, int[] tiles, int nt, int tileWidth, int[] idx, float[] val,
                           float[][][] src, int nb) {
        if (from >= to) return;
        final int chunk = CHUNK_VECTORS * L, features = src.length;
        float[] xs = new float[tileWidth * chunk];
        for (int b = 0; b < nb; b++) {
            int n = dst[from][b].length;
            int full = n - n % chunk;
            for (int t0 = 0; t0 < full; t0 += chunk) {
                for (int f = 0; f < nt; f++) {
                    // Pack the tile (tileWidth features x one chunk of tokens) contiguously: read from the separate
                    // per-feature arrays, 4 KB apart, its pieces would fight over the same L1 sets.
                    int f0 = f * tileWidth, f1 = Math.min(features, f0 + tileWidth);
                    for (int q = f0; q < f1; q++) System.arraycopy(src[q][b], t0, xs, (q - f0) * chunk, chunk);
                    for (int r = from; r < to; r++) {
                        int p = tiles[r * (nt + 1) + f], p1 = tiles[r * (nt + 1) + f + 1];
                        if (p < p1) chunk8(dst[r][b], t0, p, p1, idx, val, xs, f0);
                    }
                }
            }
            if (full < n) {
                for (int r = from; r < to; r++) {
                    int p0 = tiles[r * (nt + 1)], p1 = tiles[r * (nt + 1) + nt];
                    if (p0 < p1) rest(dst[r][b], full, n, p0, p1, idx, val, src, b);
                }
            }
        }
    }

    /** Eight vectors of d starting at t0, in registers, take every entry p0 .. p1-1; x of feature q at xs[(q - f0) * chunk]. */
    private static void chunk8(float[] d, int t0, int p0, int p1, int[] idx, float[] val, float[] xs, int f0) {
        final int o1 = t0 + L, o2 = t0 + 2 * L, o3 = t0 + 3 * L, o4 = t0 + 4 * L, o5 = t0 + 5 * L, o6 = t0 + 6 * L, o7 = t0 + 7 * L;
        final int chunk = CHUNK_VECTORS * L;
        FloatVector a0 = FloatVector.fromArray(S, d, t0), a1 = FloatVector.fromArray(S, d, o1);
        FloatVector a2 = FloatVector.fromArray(S, d, o2), a3 = FloatVector.fromArray(S, d, o3);
        FloatVector a4 = FloatVector.fromArray(S, d, o4), a5 = FloatVector.fromArray(S, d, o5);
        FloatVector a6 = FloatVector.fromArray(S, d, o6), a7 = FloatVector.fromArray(S, d, o7);
        for (int p = p0; p < p1; p++) {
            FloatVector w = FloatVector.broadcast(S, val[p]);
            int o = (idx[p] - f0) * chunk;
            a0 = FloatVector.fromArray(S, xs, o).fma(w, a0);
            a1 = FloatVector.fromArray(S, xs, o + L).fma(w, a1);
            a2 = FloatVector.fromArray(S, xs, o + 2 * L).fma(w, a2);
            a3 = FloatVector.fromArray(S, xs, o + 3 * L).fma(w, a3);
            a4 = FloatVector.fromArray(S, xs, o + 4 * L).fma(w, a4);
            a5 = FloatVector.fromArray(S, xs, o + 5 * L).fma(w, a5);
            a6 = FloatVector.fromArray(S, xs, o + 6 * L).fma(w, a6);
            a7 = FloatVector.fromArray(S, xs, o + 7 * L).fma(w, a7);
        }
        a0.intoArray(d, t0);
        a1.intoArray(d, o1);
        a2.intoArray(d, o2);
        a3.intoArray(d, o3);
        a4.intoArray(d, o4);
        a5.intoArray(d, o5);
        a6.intoArray(d, o6);
        a7.intoArray(d, o7);
    }

    /** Tokens [t0, n) of one line (fewer than a chunk): one vector at a time, then scalar, same per-element order. */
    private static void rest(float[] d, int t0, int n, int p0, int p1, int[] idx, float[] val, float[][][] src, int b) {
        int t = t0;
        for (; t + L <= n; t += L) {
            FloatVector a = FloatVector.fromArray(S, d, t);
            for (int p = p0; p < p1; p++) a = FloatVector.fromArray(S, src[idx[p]][b], t).fma(FloatVector.broadcast(S, val[p]), a);
            a.intoArray(d, t);
        }
        for (; t < n; t++) {
            float a = d[t];
            for (int p = p0; p < p1; p++) a = Math.fma(val[p], src[idx[p]][b][t], a);
            d[t] = a;
        }
    }

    // ------------------------------------------------------------------ dW

    /*
     * The dW accumulators live in registers only within one token block and go through the scratch array between
     * blocks: a vector carried around an outer loop (a loop phi of the block loop) makes C2 of JDK 17 box it on
     * every iteration, measured 10-40x slower.
     */

    /**
     * dwVal[p0 .. p0+3] = the 32-lane dot products (SparseLoops.dot32) of a with b0 .. b3, over all token blocks.
     * scratch holds at least 128 floats. Requires {@link #DW_USABLE}.
     */
    static void dot32x4(float[] scratch, float[][] a, float[][] b0, float[][] b1, float[][] b2, float[][] b3,
                        float[] dwVal, int p0) {
        int nb = a.length;
        for (int k = 0; k < nb; k++) block4(scratch, k == 0, a[k], b0[k], b1[k], b2[k], b3[k]);
        if (nb == 0) java.util.Arrays.fill(scratch, 0, 128, 0f);
        dwVal[p0] = finish(scratch, 0, a, b0);
        dwVal[p0 + 1] = finish(scratch, 32, a, b1);
        dwVal[p0 + 2] = finish(scratch, 64, a, b2);
        dwVal[p0 + 3] = finish(scratch, 96, a, b3);
    }

    /** One token block of dot32x4: the four 32-lane accumulators scratch[32 q ..] (zero when first) take block a. */
    private static void block4(float[] acc, boolean first, float[] a, float[] x0, float[] x1, float[] x2, float[] x3) {
        FloatVector c0l, c0h, c1l, c1h, c2l, c2h, c3l, c3h;
        if (first) {
            c0l = c0h = c1l = c1h = c2l = c2h = c3l = c3h = FloatVector.zero(S);
        } else {
            c0l = FloatVector.fromArray(S, acc, 0);
            c0h = FloatVector.fromArray(S, acc, 16);
            c1l = FloatVector.fromArray(S, acc, 32);
            c1h = FloatVector.fromArray(S, acc, 48);
            c2l = FloatVector.fromArray(S, acc, 64);
            c2h = FloatVector.fromArray(S, acc, 80);
            c3l = FloatVector.fromArray(S, acc, 96);
            c3h = FloatVector.fromArray(S, acc, 112);
        }
        int n32 = a.length & ~31;
        for (int t = 0; t < n32; t += 32) {
            FloatVector al = FloatVector.fromArray(S, a, t), ah = FloatVector.fromArray(S, a, t + 16);
            c0l = al.fma(FloatVector.fromArray(S, x0, t), c0l);
            c0h = ah.fma(FloatVector.fromArray(S, x0, t + 16), c0h);
            c1l = al.fma(FloatVector.fromArray(S, x1, t), c1l);
            c1h = ah.fma(FloatVector.fromArray(S, x1, t + 16), c1h);
            c2l = al.fma(FloatVector.fromArray(S, x2, t), c2l);
            c2h = ah.fma(FloatVector.fromArray(S, x2, t + 16), c2h);
            c3l = al.fma(FloatVector.fromArray(S, x3, t), c3l);
            c3h = ah.fma(FloatVector.fromArray(S, x3, t + 16), c3h);
        }
        c0l.intoArray(acc, 0);
        c0h.intoArray(acc, 16);
        c1l.intoArray(acc, 32);
        c1h.intoArray(acc, 48);
        c2l.intoArray(acc, 64);
        c2h.intoArray(acc, 80);
        c3l.intoArray(acc, 96);
        c3h.intoArray(acc, 112);
    }

    /** One 32-lane dot product (SparseLoops.dot32); scratch holds at least 32 floats. Requires {@link #DW_USABLE}. */
    static float dot32(float[] scratch, float[][] a, float[][] b) {
        int nb = a.length;
        for (int k = 0; k < nb; k++) block1(scratch, k == 0, a[k], b[k]);
        if (nb == 0) java.util.Arrays.fill(scratch, 0, 32, 0f);
        return finish(scratch, 0, a, b);
    }

    private static void block1(float[] acc, boolean first, float[] a, float[] b) {
        FloatVector cl, ch;
        if (first) {
            cl = ch = FloatVector.zero(S);
        } else {
            cl = FloatVector.fromArray(S, acc, 0);
            ch = FloatVector.fromArray(S, acc, 16);
        }
        int n32 = a.length & ~31;
        for (int t = 0; t < n32; t += 32) {
            cl = FloatVector.fromArray(S, a, t).fma(FloatVector.fromArray(S, b, t), cl);
            ch = FloatVector.fromArray(S, a, t + 16).fma(FloatVector.fromArray(S, b, t + 16), ch);
        }
        cl.intoArray(acc, 0);
        ch.intoArray(acc, 16);
    }

    /** The 32 lanes at acc[off ..]: u[l] = acc[l] + acc[l + 16], SparseLoops.fold16, then the tail tokens. */
    private static float finish(float[] acc, int off, float[][] a, float[][] b) {
        for (int l = 0; l < 16; l++) acc[off + l] += acc[off + l + 16];
        return SparseLoops.dot32Tail(SparseLoops.fold16(acc, off), a, b);
    }
}
