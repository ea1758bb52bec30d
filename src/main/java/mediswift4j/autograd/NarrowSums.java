package mediswift4j.autograd;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The double sums of {@link PointwiseKernels} (sum, sum of squares, sum of centred squares) and LayerNorm's two
 * backward sums on 8- and 4-lane float vectors (AVX2; 128-bit NEON, SSE): the same sixteen partial sums as the
 * plain loops (element i to partial i mod 16), then the same tree and tail, so the same bits. With L float lanes a
 * double vector of the same size holds L / 2 doubles, so the sixteen partials are 32 / L double vectors: four with
 * 8 lanes, eight with 4 (partial k in vector k / (L / 2), lane k mod (L / 2)). Only same-size vectors are mixed
 * (see PointwiseSimd.SUM16 on why). Loaded only when tensor.Simd.ENABLED.
 */
final class NarrowSums {
    private NarrowSums() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    /** The widths served here (16 lanes: PointwiseSimd and LayerNormSimd). */
    static final boolean SERVES = (L == 8 || L == 4) && D.vectorBitSize() == S.vectorBitSize();

    /** What a sum adds per element: a, (double) a squared, or the float (a - m) squared. */
    static final int PLAIN = 0, SQUARES = 1, CENTERED = 2;

    /** The sixteen partials of `what` over a[off .. off + n16), n16 a multiple of 16, into p. */
    static void partials(float[] a, int off, int n16, int what, float m, double[] p) {
        if (L == 8) partials8(a, off, n16, what, m, p);
        else partials4(a, off, n16, what, m, p);
    }

    private static DoubleVector widen(FloatVector v, int part, int what) {
        DoubleVector d = (DoubleVector) v.convertShape(VectorOperators.F2D, D, part);
        return what == SQUARES ? d.mul(d) : d;
    }

    private static FloatVector load(float[] a, int at, int what, float m) {
        FloatVector v = FloatVector.fromArray(S, a, at);
        if (what != CENTERED) return v;
        FloatVector d = v.sub(m);
        return d.mul(d);
    }

    private static void partials8(float[] a, int off, int n16, int what, float m, double[] p) {
        DoubleVector s0 = DoubleVector.zero(D), s1 = s0, s2 = s0, s3 = s0;
        for (int i = 0; i < n16; i += 16) {
            FloatVector v0 = load(a, off + i, what, m), v1 = load(a, off + i + 8, what, m);
            s0 = s0.add(widen(v0, 0, what));
            s1 = s1.add(widen(v0, 1, what));
            s2 = s2.add(widen(v1, 0, what));
            s3 = s3.add(widen(v1, 1, what));
        }
        s0.intoArray(p, 0);
        s1.intoArray(p, 4);
        s2.intoArray(p, 8);
        s3.intoArray(p, 12);
    }

    private static void partials4(float[] a, int off, int n16, int what, float m, double[] p) {
        DoubleVector s0 = DoubleVector.zero(D), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0;
        for (int i = 0; i < n16; i += 16) {
            FloatVector v0 = load(a, off + i, what, m), v1 = load(a, off + i + 4, what, m);
            FloatVector v2 = load(a, off + i + 8, what, m), v3 = load(a, off + i + 12, what, m);
            s0 = s0.add(widen(v0, 0, what));
            s1 = s1.add(widen(v0, 1, what));
            s2 = s2.add(widen(v1, 0, what));
            s3 = s3.add(widen(v1, 1, what));
            s4 = s4.add(widen(v2, 0, what));
            s5 = s5.add(widen(v2, 1, what));
            s6 = s6.add(widen(v3, 0, what));
            s7 = s7.add(widen(v3, 1, what));
        }
        s0.intoArray(p, 0);
        s1.intoArray(p, 2);
        s2.intoArray(p, 4);
        s3.intoArray(p, 6);
        s4.intoArray(p, 8);
        s5.intoArray(p, 10);
        s6.intoArray(p, 12);
        s7.intoArray(p, 14);
    }

    /**
     * LayerNorm backward's partials over columns [0, c16) of the row at o: g = dy gamma (float) into pg, and
     * g ((x - m) rs) (float products) into pgx. Two passes over the row, one per sum (each partial is its own
     * chain, so the passes do not change the order); g is recomputed, exactly.
     */
    static void layerNormPartials(float[] dy, float[] gamma, float[] x, int o, int c16, float m, float rs,
                                  double[] pg, double[] pgx) {
        float[] g = new float[c16];
        for (int j = 0; j < c16; j += L) {
            FloatVector.fromArray(S, dy, o + j).mul(FloatVector.fromArray(S, gamma, j)).intoArray(g, j);
        }
        partials(g, 0, c16, PLAIN, 0f, pg);
        for (int j = 0; j < c16; j += L) {
            FloatVector xh = FloatVector.fromArray(S, x, o + j).sub(m).mul(rs);
            FloatVector.fromArray(S, g, j).mul(xh).intoArray(g, j);
        }
        partials(g, 0, c16, PLAIN, 0f, pgx);
    }
}
