package mediswift4j.autograd;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API twin of {@link LayerNormKernels#backwardRow}: 16 columns at a time (two 8-float halves, each widened
 * to 8 doubles), the same operations per element as the plain loop. Used only when tensor.Simd.ENABLED and the
 * preferred vector is 512 bits (PointwiseSimd.SUM16).
 */
final class LayerNormSimd {
    private LayerNormSimd() {}

    private static final VectorSpecies<Float> F8 = FloatVector.SPECIES_256;
    private static final VectorSpecies<Double> D8 = DoubleVector.SPECIES_512;

    static void backwardRow(float[] dy, float[] gamma, float[] x, float[] dx, int o, int c, float m, float rs) {
        DoubleVector gLo = DoubleVector.zero(D8), gHi = DoubleVector.zero(D8);
        DoubleVector hLo = DoubleVector.zero(D8), hHi = DoubleVector.zero(D8);
        int c16 = c - c % 16;
        for (int j = 0; j < c16; j += 16) {
            FloatVector g0 = FloatVector.fromArray(F8, dy, o + j).mul(FloatVector.fromArray(F8, gamma, j));
            FloatVector g1 = FloatVector.fromArray(F8, dy, o + j + 8).mul(FloatVector.fromArray(F8, gamma, j + 8));
            FloatVector xh0 = FloatVector.fromArray(F8, x, o + j).sub(m).mul(rs);
            FloatVector xh1 = FloatVector.fromArray(F8, x, o + j + 8).sub(m).mul(rs);
            gLo = gLo.add(g0.convertShape(VectorOperators.F2D, D8, 0));
            gHi = gHi.add(g1.convertShape(VectorOperators.F2D, D8, 0));
            hLo = hLo.add(g0.mul(xh0).convertShape(VectorOperators.F2D, D8, 0));
            hHi = hHi.add(g1.mul(xh1).convertShape(VectorOperators.F2D, D8, 0));
        }
        double[] p = new double[16];
        gLo.intoArray(p, 0);
        gHi.intoArray(p, 8);
        double sg = PointwiseKernels.tree16(p);
        hLo.intoArray(p, 0);
        hHi.intoArray(p, 8);
        double sgx = PointwiseKernels.tree16(p);
        for (int j = c16; j < c; j++) {
            float g = dy[o + j] * gamma[j];
            sg += g;
            sgx += g * ((x[o + j] - m) * rs);
        }
        double meanG = sg / c, meanGX = sgx / c;
        int j = 0;
        for (; j + 8 <= c; j += 8) {
            FloatVector xh = FloatVector.fromArray(F8, x, o + j).sub(m).mul(rs);
            FloatVector g = FloatVector.fromArray(F8, dy, o + j).mul(FloatVector.fromArray(F8, gamma, j));
            DoubleVector gd = (DoubleVector) g.convertShape(VectorOperators.F2D, D8, 0);
            DoubleVector xd = (DoubleVector) xh.convertShape(VectorOperators.F2D, D8, 0);
            DoubleVector v = gd.sub(meanG).sub(xd.mul(meanGX)).mul((double) rs);
            FloatVector f = (FloatVector) v.convertShape(VectorOperators.D2F, F8, 0);
            FloatVector.fromArray(F8, dx, o + j).add(f).intoArray(dx, o + j);
        }
        for (; j < c; j++) {
            float xhat = (x[o + j] - m) * rs;
            float g = dy[o + j] * gamma[j];
            dx[o + j] += (float) ((g - meanG - xhat * meanGX) * rs);
        }
    }
}
