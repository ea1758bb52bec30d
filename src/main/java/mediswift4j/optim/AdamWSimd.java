package mediswift4j.optim;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API twin of AdamW's element update (used only when tensor.Simd.ENABLED, so this class is never loaded
 * without the jdk.incubator.vector module). Same float operations in the same order as AdamW.update, lane by lane:
 * IEEE multiply, add, divide and square root are correctly rounded whether scalar or vector, and
 * (float) Math.sqrt((double) v) is the correctly rounded float square root, so the bits agree (AdamWTest).
 * Why a twin at all: the plain loop stays scalar in C2, a visible share of a small model's training step
 * (docs/MEASUREMENTS.md).
 */
final class AdamWSimd {
    private AdamWSimd() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /** Entries [from, to) of one dense parameter; the tail past the last whole vector goes through AdamW.update. */
    static void dense(float[] w, float[] g, float[] m, float[] v, int from, int to, float b1, float b2, float decay,
                      float stepSize, float bc2sqrt, float eps) {
        int j = from;
        for (int end = from + S.loopBound(to - from); j < end; j += S.length()) {
            FloatVector gj = FloatVector.fromArray(S, g, j);
            FloatVector mj = FloatVector.fromArray(S, m, j).mul(b1).add(gj.mul(1f - b1));
            FloatVector vj = FloatVector.fromArray(S, v, j).mul(b2).add(gj.mul(1f - b2).mul(gj));
            FloatVector wj = FloatVector.fromArray(S, w, j).mul(decay);
            FloatVector den = vj.lanewise(VectorOperators.SQRT).div(bc2sqrt).add(eps);
            wj = wj.sub(mj.mul(stepSize).div(den));
            mj.intoArray(m, j);
            vj.intoArray(v, j);
            wj.intoArray(w, j);
        }
        for (; j < to; j++) AdamW.update(j, w, g, m, v, b1, b2, decay, stepSize, bc2sqrt, eps);
    }

    /**
     * Entries [from, to) of one masked parameter, keep[j] = 1f where kept, 0f where masked: every lane is computed,
     * then the masked lanes get their old weight and moments back (a blend, exact), so they stay untouched. The
     * tail goes through AdamW.update for kept entries only.
     */
    static void masked(float[] keep, float[] w, float[] g, float[] m, float[] v, int from, int to, float b1, float b2,
                       float decay, float stepSize, float bc2sqrt, float eps) {
        int j = from;
        for (int end = from + S.loopBound(to - from); j < end; j += S.length()) {
            VectorMask<Float> kept = FloatVector.fromArray(S, keep, j).compare(VectorOperators.NE, 0f);
            FloatVector gj = FloatVector.fromArray(S, g, j);
            FloatVector m0 = FloatVector.fromArray(S, m, j), v0 = FloatVector.fromArray(S, v, j), w0 = FloatVector.fromArray(S, w, j);
            FloatVector mj = m0.mul(b1).add(gj.mul(1f - b1));
            FloatVector vj = v0.mul(b2).add(gj.mul(1f - b2).mul(gj));
            FloatVector den = vj.lanewise(VectorOperators.SQRT).div(bc2sqrt).add(eps);
            FloatVector wj = w0.mul(decay).sub(mj.mul(stepSize).div(den));
            m0.blend(mj, kept).intoArray(m, j);
            v0.blend(vj, kept).intoArray(v, j);
            w0.blend(wj, kept).intoArray(w, j);
        }
        for (; j < to; j++) if (keep[j] != 0f) AdamW.update(j, w, g, m, v, b1, b2, decay, stepSize, bc2sqrt, eps);
    }
}
