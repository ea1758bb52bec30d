package mediswift4j.sparse;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The compressed kernels' hot loops written with the JDK's incubating Vector API (module jdk.incubator.vector),
 * register-blocked over tokens. Used only when tensor/Simd.ENABLED, so the JVM never loads this class without the
 * module. Each kernel computes every output element with exactly the float operations, in exactly the order, of
 * its plain-Java twin in {@link SparseLoops} / {@link SparseLinearKernel} (SPEC.md section 15), so results are
 * bit-identical with and without the module; SparseSimdTest checks it.
 *
 * Why it is faster than the plain loops C2 vectorizes by itself (those stream every kept weight's x vector from
 * L2, ~55 GFLOP/s per core for the forward at most; measured per core, 768x3072 at 75% over 1024 tokens):
 *   forward / dx  the tile of x a thread works on (TILE_SIMD = 128 features x 128 tokens) is packed into an
 *                 aligned buffer (AlignedScratch), and eight vectors of one output line (128 tokens) stay in
 *                 registers while all the line's kept weights of that tile are applied: one load of x and one
 *                 fused multiply-add per vector and weight. ~78 GFLOP/s (plain twin: 55 forward, 43 dx).
 *   dW            per tile of 64 features and chunk of 256 tokens, x is packed the same way; a row's sixteen dy
 *                 vectors stay in registers while each kept weight's 32 lanes (two vectors) take the chunk,
 *                 loaded from and stored to the aligned accumulator area between chunks; the 32 lanes are folded
 *                 with lane rotations once per weight. ~58 GFLOP/s (the previous 512-lane form: 23).
 * C2 of JDK 17 boxes a vector carried around an outer loop (10-40x slower), so vectors live only within one
 * innermost loop and go through arrays in between.
 */
final class SparseSimd {
    private SparseSimd() {}

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();

    /** The dW kernel folds 32 lanes as two 16-lane vectors; other widths use the plain twin (same results). */
    static final boolean DW_USABLE = L == 16;

    /** Vectors per token chunk held in registers by forward and dx (eight accumulators, 128 tokens at 16 lanes). */
    static final int CHUNK_VECTORS = 8;

    // ------------------------------------------------------------------ forward and dx

    /** Tokens per packed chunk (eight vectors). */
    static final int CHUNK = CHUNK_VECTORS * L;

    /**
     * Packs token blocks src (F features) into the calling thread's aligned buffer, chunk-major: for the g-th whole
     * CHUNK-token chunk of the blocks (block by block, in token order), feature q's CHUNK tokens sit at
     * packed[OFFSET + (g F + q) CHUNK ..], so a tile of consecutive features of one chunk is one contiguous, 64-byte
     * aligned run. Read in place instead, the per-feature arrays (4 KB apart) would fight over the same L1 sets and
     * every 512-bit load would straddle two cache lines. Tokens past a block's last whole chunk are not packed.
     * Parallel over features; O(N F), against the kernels' O(N nnz).
     */
    static float[] pack(float[][][] src, int nb) {
        final int features = src.length;
        if (features == 0) return new float[0];
        int chunks = 0;
        for (int b = 0; b < nb; b++) chunks += src[0][b].length / CHUNK;
        final float[] packed = AlignedScratch.pack(chunks * features * CHUNK);
        mediswift4j.tensor.Parallel.forRange(features, 64, (q0, q1) -> {
            for (int q = q0; q < q1; q++) {
                int g = 0;
                for (int b = 0; b < nb; b++) {
                    float[] s = src[q][b];
                    for (int t0 = 0; t0 + CHUNK <= s.length; t0 += CHUNK, g++) {
                        System.arraycopy(s, t0, packed, AlignedScratch.OFFSET + (g * features + q) * CHUNK, CHUNK);
                    }
                }
            }
        });
        return packed;
    }

    /**
     * dst[r][b][t] = fma(val[p], src[idx[p]][b][t], dst[r][b][t]) for the kept entries p of lines r in [from, to)
     * in increasing p, for every token t: the SIMD twin of SparseLinearKernel.accumulateTiled. tiles holds, per
     * line, the first entry of each feature tile (nt tiles of tileWidth features); packed is {@link #pack}(src).
     * Loop order: token block, chunk, feature tile, line, entry; the per-element order of the fused multiply-adds
     * is increasing p whatever the blocking.
     */
    static void accumulate(float[][][] dst, int from, int to, int[] tiles, int nt, int[] idx, float[] val,
                           float[][][] src, float[] packed, int nb) {
        if (from >= to) return;
        final int features = src.length;
        int g = 0;
        for (int b = 0; b < nb; b++) {
            int n = dst[from][b].length;
            int full = n - n % CHUNK;
            for (int t0 = 0; t0 < full; t0 += CHUNK, g++) {
                int shift = -(AlignedScratch.OFFSET + g * features * CHUNK);
                for (int f = 0; f < nt; f++) {
                    for (int r = from; r < to; r++) {
                        int p = tiles[r * (nt + 1) + f], p1 = tiles[r * (nt + 1) + f + 1];
                        if (p < p1) chunk8(dst[r][b], t0, p, p1, idx, val, packed, shift);
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

    /** Eight vectors of d starting at t0, in registers, take every entry p0 .. p1-1; x of feature q at xs[q * chunk - shift]. */
    private static void chunk8(float[] d, int t0, int p0, int p1, int[] idx, float[] val, float[] xs, int shift) {
        final int o1 = t0 + L, o2 = t0 + 2 * L, o3 = t0 + 3 * L, o4 = t0 + 4 * L, o5 = t0 + 5 * L, o6 = t0 + 6 * L, o7 = t0 + 7 * L;
        final int chunk = CHUNK;
        FloatVector a0 = FloatVector.fromArray(S, d, t0), a1 = FloatVector.fromArray(S, d, o1);
        FloatVector a2 = FloatVector.fromArray(S, d, o2), a3 = FloatVector.fromArray(S, d, o3);
        FloatVector a4 = FloatVector.fromArray(S, d, o4), a5 = FloatVector.fromArray(S, d, o5);
        FloatVector a6 = FloatVector.fromArray(S, d, o6), a7 = FloatVector.fromArray(S, d, o7);
        for (int p = p0; p < p1; p++) {
            FloatVector w = FloatVector.broadcast(S, val[p]);
            int o = idx[p] * chunk - shift;
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

    /** The 32 lanes at acc[off ..]: u[l] = acc[l] + acc[l + 16], SparseLoops.fold16, then the tail tokens. */
    private static float finish(float[] acc, int off, float[][] a, float[][] b) {
        FloatVector u = FloatVector.fromArray(S, acc, off).add(FloatVector.fromArray(S, acc, off + 16));
        // The halvings u[l] += u[l + h] of SparseLoops.fold16, as lane rotations: lanes l < h get exactly that sum.
        u = u.add(u.rearrange(ROTATE8));
        u = u.add(u.rearrange(ROTATE4));
        u = u.add(u.rearrange(ROTATE2));
        u = u.add(u.rearrange(ROTATE1));
        float s = u.lane(0);
        int k = a.length - 1;
        return k >= 0 && (a[k].length & 31) != 0 ? SparseLoops.dot32Tail(s, a, b) : s;
    }

    private static final VectorShuffle<Float> ROTATE8 = rotation(8), ROTATE4 = rotation(4), ROTATE2 = rotation(2), ROTATE1 = rotation(1);

    /** Lane l takes lane (l + h) mod L. */
    private static VectorShuffle<Float> rotation(int h) {
        return VectorShuffle.fromOp(S, l -> (l + h) % L);
    }

    /**
     * Compressed weight gradient of rows [from, to): dwVal[p] = SparseLoops.dot32(dy_i, x_j) for every kept entry
     * p = (i, j), bit for bit, blocked for L1: per feature tile (tileWidth features) and 128-token chunk, the tile of x
     * is packed contiguously (read in place, the 4 KB-apart feature arrays fight over L1 sets), the row's eight dy
     * vectors stay in registers, and each kept weight's two 16-lane accumulators (lanes 0-15 and 16-31 of the 32)
     * are loaded from and stored back to acc between chunks. Lane l still sees tokens l, l + 32, ... in increasing
     * order. Requires {@link #DW_USABLE}.
     */
    static void weightGradient(float[][][] dy, float[][][] x, float[] packed, int from, int to, int[] tiles, int nt,
                               int[] colIdx, float[] dwVal, int nb) {
        if (from >= to) return;
        final int features = x.length, stride = features * CHUNK;
        int[] base = new int[to - from + 1];
        int maxKept = 0;
        for (int f = 0; f < nt; f++) {
            int k = 0;
            for (int r = from; r < to; r++) k += tiles[r * (nt + 1) + f + 1] - tiles[r * (nt + 1) + f];
            maxKept = Math.max(maxKept, k);
        }
        final int ao = AlignedScratch.OFFSET;
        float[] acc = AlignedScratch.get(maxKept * 32);
        for (int f = 0; f < nt; f++) {
            for (int r = from; r < to; r++) {
                base[r - from + 1] = base[r - from] + tiles[r * (nt + 1) + f + 1] - tiles[r * (nt + 1) + f];
            }
            int kept = base[to - from];
            if (kept == 0) continue;
            java.util.Arrays.fill(acc, ao, ao + kept * 32, 0f);
            int g = 0; // packed chunk index of the block's first chunk
            for (int b = 0; b < nb; b++) {
                int n = dy[from][b].length, n32 = n & ~31, full = n - n % (2 * CHUNK);
                for (int t0 = 0, gc = g; t0 < full; t0 += 2 * CHUNK, gc += 2) {
                    int xo = AlignedScratch.OFFSET + gc * stride;
                    for (int r = from; r < to; r++) {
                        int p = tiles[r * (nt + 1) + f], p1 = tiles[r * (nt + 1) + f + 1];
                        if (p < p1) rowChunk(dy[r][b], t0, p, p1, colIdx, packed, xo, stride, acc, ao + base[r - from] * 32);
                    }
                }
                if (full < n32) {
                    for (int r = from; r < to; r++) {
                        int p0 = tiles[r * (nt + 1) + f], p1 = tiles[r * (nt + 1) + f + 1];
                        for (int p = p0; p < p1; p++) groups(dy[r][b], x[colIdx[p]][b], full, n32, acc, ao + (base[r - from] + p - p0) * 32);
                    }
                }
                g += n / CHUNK;
            }
            for (int r = from; r < to; r++) {
                int p0 = tiles[r * (nt + 1) + f], p1 = tiles[r * (nt + 1) + f + 1];
                for (int p = p0; p < p1; p++) dwVal[p] = finish(acc, ao + (base[r - from] + p - p0) * 32, dy[r], x[colIdx[p]]);
            }
        }
    }

    /**
     * 256 tokens (two packed chunks) of one row: each entry's 32 lanes at acc[a ..] take dy[t0 ..] times x of
     * feature j, at xs[xo + j * 128 ..] (first chunk) and xs[xo + stride + j * 128 ..] (second).
     */
    private static void rowChunk(float[] d, int t0, int p0, int p1, int[] colIdx, float[] xs, int xo, int stride, float[] acc, int a0) {
        FloatVector d0 = FloatVector.fromArray(S, d, t0), d1 = FloatVector.fromArray(S, d, t0 + 16);
        FloatVector d2 = FloatVector.fromArray(S, d, t0 + 32), d3 = FloatVector.fromArray(S, d, t0 + 48);
        FloatVector d4 = FloatVector.fromArray(S, d, t0 + 64), d5 = FloatVector.fromArray(S, d, t0 + 80);
        FloatVector d6 = FloatVector.fromArray(S, d, t0 + 96), d7 = FloatVector.fromArray(S, d, t0 + 112);
        FloatVector d8 = FloatVector.fromArray(S, d, t0 + 128), d9 = FloatVector.fromArray(S, d, t0 + 144);
        FloatVector d10 = FloatVector.fromArray(S, d, t0 + 160), d11 = FloatVector.fromArray(S, d, t0 + 176);
        FloatVector d12 = FloatVector.fromArray(S, d, t0 + 192), d13 = FloatVector.fromArray(S, d, t0 + 208);
        FloatVector d14 = FloatVector.fromArray(S, d, t0 + 224), d15 = FloatVector.fromArray(S, d, t0 + 240);
        int p = p0, a = a0;
        for (; p + 2 <= p1; p += 2, a += 64) {
            int o = xo + colIdx[p] * 128, u = xo + colIdx[p + 1] * 128, o2 = o + stride - 128, u2 = u + stride - 128;
            FloatVector lo = FloatVector.fromArray(S, acc, a), hi = FloatVector.fromArray(S, acc, a + 16);
            FloatVector lo2 = FloatVector.fromArray(S, acc, a + 32), hi2 = FloatVector.fromArray(S, acc, a + 48);
            lo = d0.fma(FloatVector.fromArray(S, xs, o), lo);
            hi = d1.fma(FloatVector.fromArray(S, xs, o + 16), hi);
            lo2 = d0.fma(FloatVector.fromArray(S, xs, u), lo2);
            hi2 = d1.fma(FloatVector.fromArray(S, xs, u + 16), hi2);
            lo = d2.fma(FloatVector.fromArray(S, xs, o + 32), lo);
            hi = d3.fma(FloatVector.fromArray(S, xs, o + 48), hi);
            lo2 = d2.fma(FloatVector.fromArray(S, xs, u + 32), lo2);
            hi2 = d3.fma(FloatVector.fromArray(S, xs, u + 48), hi2);
            lo = d4.fma(FloatVector.fromArray(S, xs, o + 64), lo);
            hi = d5.fma(FloatVector.fromArray(S, xs, o + 80), hi);
            lo2 = d4.fma(FloatVector.fromArray(S, xs, u + 64), lo2);
            hi2 = d5.fma(FloatVector.fromArray(S, xs, u + 80), hi2);
            lo = d6.fma(FloatVector.fromArray(S, xs, o + 96), lo);
            hi = d7.fma(FloatVector.fromArray(S, xs, o + 112), hi);
            lo2 = d6.fma(FloatVector.fromArray(S, xs, u + 96), lo2);
            hi2 = d7.fma(FloatVector.fromArray(S, xs, u + 112), hi2);
            lo = d8.fma(FloatVector.fromArray(S, xs, o2 + 128), lo);
            hi = d9.fma(FloatVector.fromArray(S, xs, o2 + 144), hi);
            lo2 = d8.fma(FloatVector.fromArray(S, xs, u2 + 128), lo2);
            hi2 = d9.fma(FloatVector.fromArray(S, xs, u2 + 144), hi2);
            lo = d10.fma(FloatVector.fromArray(S, xs, o2 + 160), lo);
            hi = d11.fma(FloatVector.fromArray(S, xs, o2 + 176), hi);
            lo2 = d10.fma(FloatVector.fromArray(S, xs, u2 + 160), lo2);
            hi2 = d11.fma(FloatVector.fromArray(S, xs, u2 + 176), hi2);
            lo = d12.fma(FloatVector.fromArray(S, xs, o2 + 192), lo);
            hi = d13.fma(FloatVector.fromArray(S, xs, o2 + 208), hi);
            lo2 = d12.fma(FloatVector.fromArray(S, xs, u2 + 192), lo2);
            hi2 = d13.fma(FloatVector.fromArray(S, xs, u2 + 208), hi2);
            lo = d14.fma(FloatVector.fromArray(S, xs, o2 + 224), lo);
            hi = d15.fma(FloatVector.fromArray(S, xs, o2 + 240), hi);
            lo2 = d14.fma(FloatVector.fromArray(S, xs, u2 + 224), lo2);
            hi2 = d15.fma(FloatVector.fromArray(S, xs, u2 + 240), hi2);
            lo.intoArray(acc, a);
            hi.intoArray(acc, a + 16);
            lo2.intoArray(acc, a + 32);
            hi2.intoArray(acc, a + 48);
        }
        for (; p < p1; p++, a += 32) {
            int o = xo + colIdx[p] * 128, o2 = o + stride - 128;
            FloatVector lo = FloatVector.fromArray(S, acc, a), hi = FloatVector.fromArray(S, acc, a + 16);
            lo = d0.fma(FloatVector.fromArray(S, xs, o), lo);
            hi = d1.fma(FloatVector.fromArray(S, xs, o + 16), hi);
            lo = d2.fma(FloatVector.fromArray(S, xs, o + 32), lo);
            hi = d3.fma(FloatVector.fromArray(S, xs, o + 48), hi);
            lo = d4.fma(FloatVector.fromArray(S, xs, o + 64), lo);
            hi = d5.fma(FloatVector.fromArray(S, xs, o + 80), hi);
            lo = d6.fma(FloatVector.fromArray(S, xs, o + 96), lo);
            hi = d7.fma(FloatVector.fromArray(S, xs, o + 112), hi);
            lo = d8.fma(FloatVector.fromArray(S, xs, o2 + 128), lo);
            hi = d9.fma(FloatVector.fromArray(S, xs, o2 + 144), hi);
            lo = d10.fma(FloatVector.fromArray(S, xs, o2 + 160), lo);
            hi = d11.fma(FloatVector.fromArray(S, xs, o2 + 176), hi);
            lo = d12.fma(FloatVector.fromArray(S, xs, o2 + 192), lo);
            hi = d13.fma(FloatVector.fromArray(S, xs, o2 + 208), hi);
            lo = d14.fma(FloatVector.fromArray(S, xs, o2 + 224), lo);
            hi = d15.fma(FloatVector.fromArray(S, xs, o2 + 240), hi);
            lo.intoArray(acc, a);
            hi.intoArray(acc, a + 16);
        }
    }

    /** Whole 32-token groups [t0, t1) of one entry, read in place, into its 32 lanes at acc[a ..]. */
    private static void groups(float[] d, float[] xj, int t0, int t1, float[] acc, int a) {
        FloatVector lo = FloatVector.fromArray(S, acc, a), hi = FloatVector.fromArray(S, acc, a + 16);
        for (int t = t0; t < t1; t += 32) {
            lo = FloatVector.fromArray(S, d, t).fma(FloatVector.fromArray(S, xj, t), lo);
            hi = FloatVector.fromArray(S, d, t + 16).fma(FloatVector.fromArray(S, xj, t + 16), hi);
        }
        lo.intoArray(acc, a);
        hi.intoArray(acc, a + 16);
    }
}
