package mediswift4j.sparse;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

import mediswift4j.sparse.SparseLayout.TiledIndex;
import mediswift4j.tensor.Parallel;

/**
 * The compressed kernels written with the JDK's incubating Vector API (module jdk.incubator.vector), on activations
 * in a packed, chunk-major layout, register-blocked over tokens. Used only when tensor/Simd.ENABLED and the preferred
 * float vector has 16, 8 or 4 lanes ({@link #USABLE}), so the JVM never loads this class without the module. Every output
 * element gets exactly the float operations, in exactly the order, of the plain-Java twin in SparseLinearKernel /
 * SparseLoops (SPEC.md section 15), so results are bit-identical with and without the module (SparseSimdTest).
 *
 * Packed layout (replaces token blocks on this path): tokens are cut into chunks of CHUNK = 128, the last one
 * padded with zeros, and
 *     packed[OFFSET + (g F + q) CHUNK + l] = a[(g CHUNK + l) F + q]        a rows-layout (N, F), l < CHUNK
 * so one feature's tokens of one chunk are one 512-byte run, and a tile of consecutive features of one chunk is
 * one contiguous run. Buffers come from {@link AlignedScratch}, so every run starts on a 64-byte boundary: a 512-bit
 * load that straddles two cache lines costs about twice as much, and separate per-feature arrays 4 KB apart would
 * also fight over the same L1 sets. Padded tokens are computed like the others and never stored back.
 *
 * Why it is faster than the plain loops (which stream every kept weight's x vector from L2; per-core rates of
 * both in docs/MEASUREMENTS.md):
 *   forward / dx  eight vectors of one output line (8 L tokens) stay in registers while all the line's kept
 *                 weights of one tile of TILE input features are applied: one aligned load of x and one fused
 *                 multiply-add per vector and weight; the 64 KB tile is reused by every line of the thread's rows.
 *   dW            per tile of 64 features and 256 tokens, a row's sixteen dy vectors stay in registers while each
 *                 kept weight's 32 lanes (two vectors) take the 256 tokens, loaded from and stored to an aligned
 *                 accumulator area between steps; the lanes are folded with lane rotations once per weight.
 *                 With 8 or 4 lanes, {@link SparseSimdDots} (entry-major, the lanes in registers) instead.
 * C2 of JDK 17 boxes a vector carried around an outer loop (an order of magnitude slower), so vectors live only
 * within one innermost loop and go through arrays in between.
 */
final class SparseSimd {
    private SparseSimd() {}

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();

    /**
     * The widths served: 16 lanes (AVX-512), 8 (AVX2) and 4 (128-bit: NEON, SSE, -XX:MaxVectorSize=16). Forward and
     * dx take a chunk as 128 / (8 L) groups of eight vectors; dW keeps 32 logical lanes (two, four or eight vectors;
     * {@link SparseSimdDots} below 16).
     */
    static final boolean USABLE = L == 16 || L == 8 || L == 4;

    /** Tokens per packed chunk: eight 16-lane vectors, sixteen of 8 lanes, thirty-two of 4. */
    static final int CHUNK = 128;

    static final int OFFSET = AlignedScratch.OFFSET;

    /** Chunks for n tokens, rounded up to an even count (dW takes two at a time; the extra one is all zeros). */
    static int chunks(int n) {
        int g = (n + CHUNK - 1) / CHUNK;
        return g + (g & 1);
    }

    // ------------------------------------------------------------------ layout

    /**
     * Packs rows-layout a (N, F) at a[off] into dest (this thread's aligned scratch slot), tokens t >= limit stored
     * as 0 (limit <= N), padded to chunks(N) chunks. Parallel over chunks and 16-feature tiles. Returns dest.
     */
    static float[] packRows(float[] a, int off, int n, int features, int limit, int slot) {
        return packRowsInto(AlignedScratch.pack(slot, chunks(n) * features * CHUNK), a, off, n, features, limit);
    }

    /** packRows into dest when it holds OFFSET + the packed size, else into a new aligned buffer; returns the one used. */
    static float[] packRowsInto(float[] dest, float[] a, int off, int n, int features, int limit) {
        final int g2 = chunks(n);
        final float[] into = dest != null && dest.length >= OFFSET + g2 * features * CHUNK ? dest : AlignedScratch.allocate(g2 * features * CHUNK);
        final int tiles = (features + 15) / 16;
        Parallel.forRange(g2 * tiles, 8, (from, to) -> {
            for (int job = from; job < to; job++) {
                int g = job / tiles, q0 = (job % tiles) * 16, w = Math.min(features, q0 + 16) - q0;
                int t0 = g * CHUNK, base = OFFSET + (g * features + q0) * CHUNK;
                int valid = Math.max(0, Math.min(CHUNK, limit - t0));
                for (int l = 0; l < valid; l++) {
                    int src = off + (t0 + l) * features + q0;
                    for (int k = 0; k < w; k++) into[base + k * CHUNK + l] = a[src + k];
                }
                if (valid < CHUNK) {
                    for (int k = 0; k < w; k++) java.util.Arrays.fill(into, base + k * CHUNK + valid, base + (k + 1) * CHUNK, 0f);
                }
            }
        });
        return into;
    }

    /** Writes packed (F features) back to rows-layout dst (N, F) at dst[off]: overwrite, or add when accumulate. */
    static void unpackRows(float[] packed, int n, int features, float[] dst, int off, boolean accumulate) {
        final int g1 = (n + CHUNK - 1) / CHUNK, tiles = (features + 15) / 16;
        Parallel.forRange(g1 * tiles, 8, (from, to) -> {
            for (int job = from; job < to; job++) {
                int g = job / tiles, q0 = (job % tiles) * 16, w = Math.min(features, q0 + 16) - q0;
                int t0 = g * CHUNK, base = OFFSET + (g * features + q0) * CHUNK, valid = Math.min(CHUNK, n - t0);
                for (int l = 0; l < valid; l++) {
                    int d = off + (t0 + l) * features + q0;
                    if (accumulate) {
                        for (int k = 0; k < w; k++) dst[d + k] += packed[base + k * CHUNK + l];
                    } else {
                        for (int k = 0; k < w; k++) dst[d + k] = packed[base + k * CHUNK + l];
                    }
                }
            }
        });
    }

    // ------------------------------------------------------------------ forward and dx

    /**
     * dst line r, every token t of chunks [gFrom, gTo): start at init[r] (0 when init is null), then
     * fma(val[q], src_idx[q][t], .) for the kept entries q of line r in increasing index order: the forward (CSR,
     * init = bias) and the input gradient (CSC, init = null) for lines [from, to). dst and src are packed with dstF
     * and srcF features. Loop order: chunk, tile, line, entry (t walks its entries tile by tile, each tile's
     * entries one contiguous run); the per-element order is increasing index whatever the blocking.
     */
    static void accumulate(float[] dst, int dstF, float[] init, int from, int to, TiledIndex t, float[] src, int srcF,
                           int gFrom, int gTo) {
        final int[] idx = t.idx;
        final float[] val = t.val;
        for (int g = gFrom; g < gTo; g++) {
            for (int r = from; r < to; r++) {
                int o = OFFSET + (g * dstF + r) * CHUNK;
                java.util.Arrays.fill(dst, o, o + CHUNK, init == null ? 0f : init[r]);
            }
            int shift = -(OFFSET + g * srcF * CHUNK);
            for (int f = 0; f < t.tiles; f++) {
                for (int r = from; r < to; r++) {
                    int p = t.start(r, f), p1 = t.end(r, f);
                    if (p >= p1) continue;
                    for (int k = 0; k < CHUNK; k += GROUP) chunk8(dst, OFFSET + (g * dstF + r) * CHUNK + k, p, p1, idx, val, src, shift - k);
                }
            }
        }
    }

    /** Tokens per register group: eight vectors (all of a chunk with 16 lanes, half with 8, a quarter with 4). */
    static final int GROUP = 8 * L;

    /** Eight vectors of d starting at t0, in registers, take every entry p0 .. p1-1; x of feature q at xs[q * CHUNK - shift]. */
    private static void chunk8(float[] d, int t0, int p0, int p1, int[] idx, float[] val, float[] xs, int shift) {
        final int o1 = t0 + L, o2 = t0 + 2 * L, o3 = t0 + 3 * L, o4 = t0 + 4 * L, o5 = t0 + 5 * L, o6 = t0 + 6 * L, o7 = t0 + 7 * L;
        FloatVector a0 = FloatVector.fromArray(S, d, t0), a1 = FloatVector.fromArray(S, d, o1);
        FloatVector a2 = FloatVector.fromArray(S, d, o2), a3 = FloatVector.fromArray(S, d, o3);
        FloatVector a4 = FloatVector.fromArray(S, d, o4), a5 = FloatVector.fromArray(S, d, o5);
        FloatVector a6 = FloatVector.fromArray(S, d, o6), a7 = FloatVector.fromArray(S, d, o7);
        for (int p = p0; p < p1; p++) {
            FloatVector w = FloatVector.broadcast(S, val[p]);
            int o = idx[p] * CHUNK - shift;
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

    // ------------------------------------------------------------------ dW

    /**
     * Zeroes the packed tokens t >= from (of n) of every feature: the weight gradient's lanes take only the tokens
     * below N - (N mod 32) (the rest are added one by one after the fold), and a zero product leaves a lane exactly
     * as it was (a lane sum starts at +0 and never becomes -0, and +0 + (+-0) = +0).
     */
    static void zeroTokensFrom(float[] packed, int features, int n, int from) {
        int g2 = chunks(n);
        for (int g = from / CHUNK; g < g2; g++) {
            int l0 = Math.max(0, from - g * CHUNK);
            for (int q = 0; q < features; q++) {
                int o = OFFSET + (g * features + q) * CHUNK;
                java.util.Arrays.fill(packed, o + l0, o + CHUNK, 0f);
            }
        }
    }

    /**
     * Compressed weight gradient of rows [from, to): dwVal[p] = SparseLoops.dot32 order for every kept entry
     * p = (i, j). pdy (OUT features) and px (IN features) are packed with the tokens from N - (N mod 32) on zeroed;
     * dy and x are the rows-layout originals, for those leftover tokens. Per tile of 64 features (t) and
     * pair of chunks, each row's 16 dy vectors stay in registers and each kept weight's 32 lanes go through acc.
     * Lane l still sees tokens l, l + 32, ... in increasing order.
     */
    static void weightGradient(float[] pdy, float[] px, float[] dy, float[] x, int n, int out, int in, int from, int to,
                               TiledIndex t, float[] dwVal) {
        if (from >= to) return;
        if (L != 16) {
            SparseSimdDots.weightGradient(pdy, px, dy, x, n, out, in, from, to, t, dwVal);
            return;
        }
        final int g2 = chunks(n), dStride = out * CHUNK, xStride = in * CHUNK, n32 = n & ~31;
        final int[] colIdx = t.idx;
        int maxKept = 0;
        for (int f = 0; f < t.tiles; f++) maxKept = Math.max(maxKept, t.start(to, f) - t.start(from, f));
        float[] acc = AlignedScratch.get(maxKept * 32);
        for (int f = 0; f < t.tiles; f++) {
            // the entries of rows [from, to) in tile f are one run, q0 .. q0 + kept; entry q's lanes at acc[(q - q0) 32]
            int q0 = t.start(from, f), kept = t.start(to, f) - q0;
            if (kept == 0) continue;
            java.util.Arrays.fill(acc, OFFSET, OFFSET + kept * 32, 0f);
            for (int g = 0; g < g2; g += 2) {
                int xo = OFFSET + g * xStride;
                for (int r = from; r < to; r++) {
                    int p = t.start(r, f), p1 = t.end(r, f);
                    if (p < p1) rowChunk(pdy, OFFSET + (g * out + r) * CHUNK, dStride, p, p1, colIdx, px, xo, xStride, acc, OFFSET + (p - q0) * 32);
                }
            }
            for (int r = from; r < to; r++) {
                for (int q = t.start(r, f), q1 = t.end(r, f); q < q1; q++) {
                    float s = fold(acc, OFFSET + (q - q0) * 32);
                    for (int tok = n32, j = colIdx[q]; tok < n; tok++) s = Math.fma(dy[tok * out + r], x[tok * in + j], s);
                    dwVal[t.pos[q]] = s;
                }
            }
        }
    }

    /** The 32 lanes at acc[off ..]: u[l] = acc[l] + acc[l + 16], then the halvings of SparseLoops.fold16. */
    private static float fold(float[] acc, int off) {
        FloatVector u = FloatVector.fromArray(S, acc, off).add(FloatVector.fromArray(S, acc, off + 16));
        // The halvings u[l] += u[l + h] as lane rotations: lanes l < h get exactly that sum.
        u = u.add(u.rearrange(ROTATE8));
        u = u.add(u.rearrange(ROTATE4));
        u = u.add(u.rearrange(ROTATE2));
        u = u.add(u.rearrange(ROTATE1));
        return u.lane(0);
    }

    private static final VectorShuffle<Float> ROTATE8 = rotation(8), ROTATE4 = rotation(4), ROTATE2 = rotation(2), ROTATE1 = rotation(1);

    /** Lane l takes lane (l + h) mod L. */
    private static VectorShuffle<Float> rotation(int h) {
        return VectorShuffle.fromOp(S, l -> (l + h) % L);
    }

    /**
     * db[i] += the bias gradient of SparseLinearKernel.backwardBias, from dy packed with OUT features (all N
     * tokens present): per 512-token chunk in order, SparseLoops.sum of its tokens (gathered from four packed chunks).
     */
    static void bias(float[] pdy, int n, int out, float[] db) {
        float[] tmp = new float[SparseLoops.HALF];
        for (int i = 0; i < out; i++) {
            float s = 0f;
            for (int c0 = 0; c0 < n; c0 += SparseLoops.HALF) {
                int len = Math.min(SparseLoops.HALF, n - c0);
                for (int l = 0; l < len; l += CHUNK) {
                    int g = (c0 + l) / CHUNK;
                    System.arraycopy(pdy, OFFSET + (g * out + i) * CHUNK, tmp, l, Math.min(CHUNK, len - l));
                }
                s += SparseLoops.sum(tmp, 0, len);
            }
            db[i] += s;
        }
    }

    /**
     * 256 tokens (two packed chunks) of one row: each entry's 32 lanes at acc[a ..] take dy, at d[t0 ..] (first
     * chunk) and d[t0 + dStride ..] (second), times x of feature j, at xs[xo + j * 128 ..] and
     * xs[xo + stride + j * 128 ..]; every lane sees its tokens in increasing order. The row's sixteen dy vectors
     * stay in registers and each entry's lanes go through acc once per 256 tokens: the loads and stores of acc
     * were the weight gradient's bottleneck, so they happen once per 256 tokens rather than per 128
     * (docs/MEASUREMENTS.md). One entry per iteration keeps
     * the method small enough for C1 (654 bytecode bytes; with two entries per iteration C1 ran out of virtual
     * registers, and a method C1 gives up on while it runs a long loop can stay unoptimized for the whole run).
     */
    private static void rowChunk(float[] d, int t0, int dStride, int p0, int p1, int[] colIdx, float[] xs, int xo,
                                 int stride, float[] acc, int a0) {
        FloatVector d0 = FloatVector.fromArray(S, d, t0), d1 = FloatVector.fromArray(S, d, t0 + 16);
        FloatVector d2 = FloatVector.fromArray(S, d, t0 + 32), d3 = FloatVector.fromArray(S, d, t0 + 48);
        FloatVector d4 = FloatVector.fromArray(S, d, t0 + 64), d5 = FloatVector.fromArray(S, d, t0 + 80);
        FloatVector d6 = FloatVector.fromArray(S, d, t0 + 96), d7 = FloatVector.fromArray(S, d, t0 + 112);
        int t1 = t0 + dStride;
        FloatVector e0 = FloatVector.fromArray(S, d, t1), e1 = FloatVector.fromArray(S, d, t1 + 16);
        FloatVector e2 = FloatVector.fromArray(S, d, t1 + 32), e3 = FloatVector.fromArray(S, d, t1 + 48);
        FloatVector e4 = FloatVector.fromArray(S, d, t1 + 64), e5 = FloatVector.fromArray(S, d, t1 + 80);
        FloatVector e6 = FloatVector.fromArray(S, d, t1 + 96), e7 = FloatVector.fromArray(S, d, t1 + 112);
        for (int p = p0, a = a0; p < p1; p++, a += 32) {
            int o = xo + colIdx[p] * 128, u = o + stride;
            FloatVector lo = FloatVector.fromArray(S, acc, a), hi = FloatVector.fromArray(S, acc, a + 16);
            lo = d0.fma(FloatVector.fromArray(S, xs, o), lo);
            hi = d1.fma(FloatVector.fromArray(S, xs, o + 16), hi);
            lo = d2.fma(FloatVector.fromArray(S, xs, o + 32), lo);
            hi = d3.fma(FloatVector.fromArray(S, xs, o + 48), hi);
            lo = d4.fma(FloatVector.fromArray(S, xs, o + 64), lo);
            hi = d5.fma(FloatVector.fromArray(S, xs, o + 80), hi);
            lo = d6.fma(FloatVector.fromArray(S, xs, o + 96), lo);
            hi = d7.fma(FloatVector.fromArray(S, xs, o + 112), hi);
            lo = e0.fma(FloatVector.fromArray(S, xs, u), lo);
            hi = e1.fma(FloatVector.fromArray(S, xs, u + 16), hi);
            lo = e2.fma(FloatVector.fromArray(S, xs, u + 32), lo);
            hi = e3.fma(FloatVector.fromArray(S, xs, u + 48), hi);
            lo = e4.fma(FloatVector.fromArray(S, xs, u + 64), lo);
            hi = e5.fma(FloatVector.fromArray(S, xs, u + 80), hi);
            lo = e6.fma(FloatVector.fromArray(S, xs, u + 96), lo);
            hi = e7.fma(FloatVector.fromArray(S, xs, u + 112), hi);
            lo.intoArray(acc, a);
            hi.intoArray(acc, a + 16);
        }
    }
}
