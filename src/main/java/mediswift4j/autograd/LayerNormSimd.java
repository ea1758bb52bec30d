package mediswift4j.autograd;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API twin of {@link LayerNormKernels#backwardRow}: 16 columns at a time (two 8-float halves, each widened
 * to 8 doubles) with 16 float lanes, through NarrowSums with 8 or 4; the same operations per element as the plain
 * loop. Used only when tensor.Simd.ENABLED.
 */
final class LayerNormSimd {
    private LayerNormSimd() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> D8 = DoubleVector.SPECIES_512;

    static void backwardRow(float[] dy, float[] gamma, float[] x, float[] dx, int o, int c, float m, float rs) {
        if (!PointwiseSimd.SUM16) {
            double[] pg = new double[16], pgx = new double[16];
            int c16 = c - c % 16;
            NarrowSums.layerNormPartials(dy, gamma, x, o, c16, m, rs, pg, pgx);
            finish(dy, gamma, x, dx, o, c, m, rs, c16, PointwiseKernels.tree16(pg), PointwiseKernels.tree16(pgx));
            return;
        }
        DoubleVector gLo = DoubleVector.zero(D8), gHi = DoubleVector.zero(D8);
        DoubleVector hLo = DoubleVector.zero(D8), hHi = DoubleVector.zero(D8);
        int c16 = c - c % 16;
        for (int j = 0; j < c16; j += 16) {
            FloatVector g = FloatVector.fromArray(S, dy, o + j).mul(FloatVector.fromArray(S, gamma, j));
            FloatVector gx = g.mul(FloatVector.fromArray(S, x, o + j).sub(m).mul(rs));
            gLo = gLo.add(g.convertShape(VectorOperators.F2D, D8, 0));
            gHi = gHi.add(g.convertShape(VectorOperators.F2D, D8, 1));
            hLo = hLo.add(gx.convertShape(VectorOperators.F2D, D8, 0));
            hHi = hHi.add(gx.convertShape(VectorOperators.F2D, D8, 1));
        }
        double[] p = new double[16];
        gLo.intoArray(p, 0);
        gHi.intoArray(p, 8);
        double sg = PointwiseKernels.tree16(p);
        hLo.intoArray(p, 0);
        hHi.intoArray(p, 8);
        double sgx = PointwiseKernels.tree16(p);
        finish(dy, gamma, x, dx, o, c, m, rs, c16, sg, sgx);
    }

    /** The tail of both sums from c16 on, the means, and dx += ..., at the preferred width (any lane count). */
    private static void finish(float[] dy, float[] gamma, float[] x, float[] dx, int o, int c, float m, float rs, int c16,
                               double sg, double sgx) {
        for (int j = c16; j < c; j++) {
            float g = dy[o + j] * gamma[j];
            sg += g;
            sgx += g * ((x[o + j] - m) * rs);
        }
        float meanG = (float) (sg / c), meanGX = (float) (sgx / c);
        int j = 0;
        for (int cv = c - c % S.length(); j < cv; j += S.length()) {
            FloatVector xh = FloatVector.fromArray(S, x, o + j).sub(m).mul(rs);
            FloatVector g = FloatVector.fromArray(S, dy, o + j).mul(FloatVector.fromArray(S, gamma, j));
            FloatVector d = g.sub(meanG).sub(xh.mul(meanGX)).mul(rs);
            FloatVector.fromArray(S, dx, o + j).add(d).intoArray(dx, o + j);
        }
        for (; j < c; j++) {
            float xhat = (x[o + j] - m) * rs;
            float g = dy[o + j] * gamma[j];
            dx[o + j] += (g - meanG - xhat * meanGX) * rs;
        }
    }
}
