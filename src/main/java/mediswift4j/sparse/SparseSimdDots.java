package mediswift4j.sparse;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

import mediswift4j.sparse.SparseLayout.TiledIndex;

/**
 * The compressed weight gradient on 8- and 4-lane vectors (AVX2, and 128-bit vectors such as NEON), the twin of
 * SparseLoops.dot32 per kept entry, on the packed layout of {@link SparseSimd}. Loaded only when tensor.Simd.ENABLED.
 *
 * The order is the 32-lane one of SPEC.md section 15 whatever the width: logical lane l (0..31) takes the tokens
 * t = l, l + 32, ... below N - (N mod 32) in increasing order as acc = fma(dy, x, acc); the 32 lanes are 32 / L
 * vectors (vector v holds lanes vL .. vL + L - 1), folded by the same halvings (acc[l] += acc[l + h],
 * h = 16, 8, 4, 2, 1): the halvings of at least L lanes are vector adds, the smaller ones lane rotations; then the
 * leftover tokens one by one.
 *
 * Why entry-major here, where the 16-lane kernel keeps dy in registers and passes each entry's lanes through
 * memory: with 8 lanes the 32 lanes are four vectors, so two entries' lanes (eight vectors) stay in registers over
 * all tokens, with one load of dy per two fused multiply-adds and no accumulator traffic; AVX2's sixteen registers
 * cannot hold sixteen dy vectors and the lanes as well. With 4 lanes one entry's eight vectors do.
 * Every vector lives inside one innermost loop (C2 of JDK 17 boxes a vector carried around an outer loop), so the
 * loop walks 32-token groups and derives the packed chunk from the group number.
 */
final class SparseSimdDots {
    private SparseSimdDots() {}

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    private static final int CHUNK = SparseSimd.CHUNK, OFFSET = SparseSimd.OFFSET;

    /** The widths this class serves (16 lanes use SparseSimd.rowChunk). */
    static final boolean SERVES = L == 8 || L == 4;

    /**
     * dwVal[pos[q]] for the kept entries q = (r, j) of rows [from, to): pdy (OUT features) and px (IN features) packed,
     * dy and x the rows-layout originals for the tokens past the lanes. Tiles of 64 features outermost, so the
     * tile's x stays in L2 while every row uses it.
     */
    static void weightGradient(float[] pdy, float[] px, float[] dy, float[] x, int n, int out, int in, int from, int to,
                               TiledIndex t, float[] dwVal) {
        final int groups = (n & ~31) / 32, dStride = out * CHUNK, xStride = in * CHUNK, n32 = n & ~31;
        final int[] colIdx = t.idx;
        for (int f = 0; f < t.tiles; f++) {
            for (int r = from; r < to; r++) {
                int q = t.start(r, f), q1 = t.end(r, f), dBase = OFFSET + r * CHUNK;
                for (; q < q1; q += L == 8 ? 2 : 1) {
                    int j0 = colIdx[q], j1 = q + 1 < q1 ? colIdx[q + 1] : j0;
                    float s0, s1;
                    if (L == 8) {
                        long both = pair8(pdy, dBase, dStride, px, OFFSET + j0 * CHUNK, OFFSET + j1 * CHUNK, xStride, groups);
                        s0 = Float.intBitsToFloat((int) both);
                        s1 = Float.intBitsToFloat((int) (both >>> 32));
                    } else {
                        s0 = single4(pdy, dBase, dStride, px, OFFSET + j0 * CHUNK, xStride, groups);
                        s1 = 0f;
                    }
                    dwVal[t.pos[q]] = tail(s0, dy, x, n32, n, out, in, r, j0);
                    if (L == 8 && q + 1 < q1) dwVal[t.pos[q + 1]] = tail(s1, dy, x, n32, n, out, in, r, j1);
                }
            }
        }
    }

    /** s, then s = fma(dy[t, r], x[t, j], s) for the tokens t = n32 .. n-1 in order. */
    private static float tail(float s, float[] dy, float[] x, int n32, int n, int out, int in, int r, int j) {
        for (int tok = n32; tok < n; tok++) s = Math.fma(dy[tok * out + r], x[tok * in + j], s);
        return s;
    }

    /** Where 32-token group g of a feature starts, relative to the feature's first chunk. */
    private static int at(int g, int stride) {
        return (g >>> 2) * stride + ((g & 3) << 5);
    }

    /**
     * The folded 32-lane sums of entries (r, j0) and (r, j1) with 8 lanes: dy of row r at d[dBase ..], x of j0 and
     * j1 at xs[x0 ..] and xs[x1 ..] (chunk strides dStride and xStride). Returns both floats' bits in one long
     * (j0 low), so no vector or array crosses the method boundary.
     */
    private static long pair8(float[] d, int dBase, int dStride, float[] xs, int x0, int x1, int xStride, int groups) {
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
        for (int g = 0; g < groups; g++) {
            int dt = dBase + at(g, dStride), xt = at(g, xStride), u = x0 + xt, v = x1 + xt;
            FloatVector y0 = FloatVector.fromArray(S, d, dt), y1 = FloatVector.fromArray(S, d, dt + 8);
            FloatVector y2 = FloatVector.fromArray(S, d, dt + 16), y3 = FloatVector.fromArray(S, d, dt + 24);
            a0 = y0.fma(FloatVector.fromArray(S, xs, u), a0);
            b0 = y0.fma(FloatVector.fromArray(S, xs, v), b0);
            a1 = y1.fma(FloatVector.fromArray(S, xs, u + 8), a1);
            b1 = y1.fma(FloatVector.fromArray(S, xs, v + 8), b1);
            a2 = y2.fma(FloatVector.fromArray(S, xs, u + 16), a2);
            b2 = y2.fma(FloatVector.fromArray(S, xs, v + 16), b2);
            a3 = y3.fma(FloatVector.fromArray(S, xs, u + 24), a3);
            b3 = y3.fma(FloatVector.fromArray(S, xs, v + 24), b3);
        }
        // halvings h = 16 and 8 as vector adds, then 4, 2, 1 as rotations
        FloatVector a = a0.add(a2).add(a1.add(a3)), b = b0.add(b2).add(b1.add(b3));
        a = a.add(a.rearrange(ROTATE[4]));
        b = b.add(b.rearrange(ROTATE[4]));
        a = a.add(a.rearrange(ROTATE[2]));
        b = b.add(b.rearrange(ROTATE[2]));
        a = a.add(a.rearrange(ROTATE[1]));
        b = b.add(b.rearrange(ROTATE[1]));
        return (Float.floatToRawIntBits(a.lane(0)) & 0xffffffffL) | ((long) Float.floatToRawIntBits(b.lane(0)) << 32);
    }

    /** The folded 32-lane sum of one entry with 4 lanes (eight vectors), as pair8. */
    private static float single4(float[] d, int dBase, int dStride, float[] xs, int x0, int xStride, int groups) {
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        for (int g = 0; g < groups; g++) {
            int dt = dBase + at(g, dStride), u = x0 + at(g, xStride);
            a0 = FloatVector.fromArray(S, d, dt).fma(FloatVector.fromArray(S, xs, u), a0);
            a1 = FloatVector.fromArray(S, d, dt + 4).fma(FloatVector.fromArray(S, xs, u + 4), a1);
            a2 = FloatVector.fromArray(S, d, dt + 8).fma(FloatVector.fromArray(S, xs, u + 8), a2);
            a3 = FloatVector.fromArray(S, d, dt + 12).fma(FloatVector.fromArray(S, xs, u + 12), a3);
            a4 = FloatVector.fromArray(S, d, dt + 16).fma(FloatVector.fromArray(S, xs, u + 16), a4);
            a5 = FloatVector.fromArray(S, d, dt + 20).fma(FloatVector.fromArray(S, xs, u + 20), a5);
            a6 = FloatVector.fromArray(S, d, dt + 24).fma(FloatVector.fromArray(S, xs, u + 24), a6);
            a7 = FloatVector.fromArray(S, d, dt + 28).fma(FloatVector.fromArray(S, xs, u + 28), a7);
        }
        // h = 16 (lanes 0-15 += 16-31), 8, 4 as vector adds, then 2, 1 as rotations
        FloatVector w0 = a0.add(a4).add(a2.add(a6)), w1 = a1.add(a5).add(a3.add(a7));
        FloatVector z = w0.add(w1);
        z = z.add(z.rearrange(ROTATE[2]));
        z = z.add(z.rearrange(ROTATE[1]));
        return z.lane(0);
    }

    /** ROTATE[h]: lane l takes lane (l + h) mod L (h < L); for lanes l < h the add is exactly acc[l] + acc[l + h]. */
    @SuppressWarnings("unchecked")
    private static final VectorShuffle<Float>[] ROTATE = new VectorShuffle[] {null, rotation(1), rotation(2), null, rotation(4)};

    private static VectorShuffle<Float> rotation(int h) {
        return VectorShuffle.fromOp(S, l -> (l + h) % L);
    }
}
