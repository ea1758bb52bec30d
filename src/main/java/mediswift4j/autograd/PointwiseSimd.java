package mediswift4j.autograd;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API twins of {@link PointwiseKernels}' range kernels: the same float32 operations in the same order
 * per element, FloatVector.SPECIES_PREFERRED lanes at a time (16 with AVX-512), the tail through the scalar
 * versions. Loaded only when tensor.Simd.ENABLED (the jdk.incubator.vector module is present).
 */
final class PointwiseSimd {
    private PointwiseSimd() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /** {@link PointwiseKernels#exp} on every lane. */
    static FloatVector exp(FloatVector x) {
        FloatVector t = x.fma(PointwiseKernels.LOG2E, PointwiseKernels.SHIFTER);
        FloatVector n = t.sub(PointwiseKernels.SHIFTER);
        FloatVector r = n.fma(FloatVector.broadcast(S, -PointwiseKernels.LN2_HI), x);
        r = n.fma(FloatVector.broadcast(S, -PointwiseKernels.LN2_LO), r);
        FloatVector p = r.fma(PointwiseKernels.C7, PointwiseKernels.C6);
        p = p.fma(r, FloatVector.broadcast(S, PointwiseKernels.C5));
        p = p.fma(r, FloatVector.broadcast(S, PointwiseKernels.C4));
        p = p.fma(r, FloatVector.broadcast(S, PointwiseKernels.C3));
        p = p.fma(r, FloatVector.broadcast(S, PointwiseKernels.C2));
        FloatVector one = FloatVector.broadcast(S, 1f);
        p = p.fma(r, one);
        p = p.fma(r, one);
        FloatVector scale = t.reinterpretAsInts()
                .sub(PointwiseKernels.SHIFTER_BITS - 127)
                .lanewise(VectorOperators.LSHL, 23)
                .reinterpretAsFloats();
        FloatVector y = p.mul(scale);
        y = y.blend(0f, x.lt(PointwiseKernels.EXP_LO));
        return y.blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.GT, PointwiseKernels.EXP_HI));
    }

    static void expShifted(float[] src, int sOff, float[] dst, int dOff, int n, float shift) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            exp(FloatVector.fromArray(S, src, sOff + i).sub(shift)).intoArray(dst, dOff + i);
        }
        for (; i < n; i++) dst[dOff + i] = PointwiseKernels.exp(src[sOff + i] - shift);
    }

    /** s = 1 / (1 + exp(K u)), u = ((A v) v) v + v. */
    private static FloatVector sigmoidPart(FloatVector v) {
        FloatVector u = v.mul(PointwiseKernels.GELU_A).mul(v).mul(v).add(v);
        FloatVector e = exp(u.mul(PointwiseKernels.GELU_K));
        return FloatVector.broadcast(S, 1f).div(e.add(1f));
    }

    static void geluForward(float[] x, float[] y, int from, int to) {
        int i = from;
        for (int bound = from + S.loopBound(to - from); i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            v.mul(sigmoidPart(v)).intoArray(y, i);
        }
        for (; i < to; i++) y[i] = PointwiseKernels.gelu(x[i]);
    }

    static void geluBackward(float[] x, float[] dy, float[] dx, int from, int to) {
        int i = from;
        for (int bound = from + S.loopBound(to - from); i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            FloatVector s = sigmoidPart(v);
            // s + v s (1 - s) 2C (1 + 3A v v), left to right as in the scalar geluGrad
            FloatVector slope = v.mul(PointwiseKernels.GELU_3A).mul(v).add(1f);
            FloatVector grad = v.mul(s).mul(FloatVector.broadcast(S, 1f).sub(s)).mul(PointwiseKernels.GELU_2C).mul(slope).add(s);
            FloatVector g = FloatVector.fromArray(S, dx, i);
            g.add(FloatVector.fromArray(S, dy, i).mul(grad)).intoArray(dx, i);
        }
        for (; i < to; i++) dx[i] = dx[i] + dy[i] * PointwiseKernels.geluGrad(x[i]);
    }

    static void addInto(float[] src, int sOff, float[] dst, int dOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector.fromArray(S, dst, dOff + i).add(FloatVector.fromArray(S, src, sOff + i)).intoArray(dst, dOff + i);
        }
        for (; i < n; i++) dst[dOff + i] += src[sOff + i];
    }

    private static final VectorSpecies<Double> D8 = DoubleVector.SPECIES_512;

    /**
     * The 16-partial double sums split one 16-float vector into two 8-double vectors (AVX-512 only). Only the
     * preferred float species is ever used: mixing vector shapes (e.g. 256-bit floats for the halves) made C2 give
     * up intrinsics in shared Vector API code and slowed every SIMD kernel by an order of magnitude (measured).
     */
    static final boolean SUM16 = S.length() == 16;

    /** 8 or 4 float lanes: the sums go through {@link NarrowSums} (the same sixteen partials). */
    static final boolean NARROW = !SUM16 && NarrowSums.SERVES;

    /** The sums with 8 or 4 lanes: NarrowSums' partials, then the same tree and tail as the plain loops. */
    static double narrow(float[] a, int off, int n, int what, float m) {
        double[] p = new double[16];
        int n16 = n - n % 16;
        NarrowSums.partials(a, off, n16, what, m, p);
        double s = PointwiseKernels.tree16(p);
        for (int i = n16; i < n; i++) {
            if (what == NarrowSums.PLAIN) {
                s += a[off + i];
            } else if (what == NarrowSums.SQUARES) {
                double v = a[off + i];
                s += v * v;
            } else {
                float d = a[off + i] - m;
                s += d * d;
            }
        }
        return s;
    }

    /** {@link PointwiseKernels#sum}: partials 0-7 in lo's lanes, 8-15 in hi's, then the same tree and tail. */
    static double sum(float[] a, int off, int n) {
        DoubleVector lo = DoubleVector.zero(D8), hi = DoubleVector.zero(D8);
        int n16 = n - n % 16;
        for (int i = 0; i < n16; i += 16) {
            FloatVector v = FloatVector.fromArray(S, a, off + i);
            lo = lo.add(v.convertShape(VectorOperators.F2D, D8, 0));
            hi = hi.add(v.convertShape(VectorOperators.F2D, D8, 1));
        }
        double[] p = new double[16];
        lo.intoArray(p, 0);
        hi.intoArray(p, 8);
        double s = PointwiseKernels.tree16(p);
        for (int i = n16; i < n; i++) s += a[off + i];
        return s;
    }

    static double sumOfSquares(float[] a, int off, int n) {
        DoubleVector lo = DoubleVector.zero(D8), hi = DoubleVector.zero(D8);
        int n16 = n - n % 16;
        for (int i = 0; i < n16; i += 16) {
            FloatVector v = FloatVector.fromArray(S, a, off + i);
            DoubleVector x = (DoubleVector) v.convertShape(VectorOperators.F2D, D8, 0);
            DoubleVector y = (DoubleVector) v.convertShape(VectorOperators.F2D, D8, 1);
            lo = lo.add(x.mul(x));
            hi = hi.add(y.mul(y));
        }
        double[] p = new double[16];
        lo.intoArray(p, 0);
        hi.intoArray(p, 8);
        double s = PointwiseKernels.tree16(p);
        for (int i = n16; i < n; i++) {
            double v = a[off + i];
            s += v * v;
        }
        return s;
    }

    static double sumOfCenteredSquares(float[] a, int off, int n, float m) {
        DoubleVector lo = DoubleVector.zero(D8), hi = DoubleVector.zero(D8);
        int n16 = n - n % 16;
        for (int i = 0; i < n16; i += 16) {
            FloatVector d = FloatVector.fromArray(S, a, off + i).sub(m);
            FloatVector sq = d.mul(d);
            lo = lo.add(sq.convertShape(VectorOperators.F2D, D8, 0));
            hi = hi.add(sq.convertShape(VectorOperators.F2D, D8, 1));
        }
        double[] p = new double[16];
        lo.intoArray(p, 0);
        hi.intoArray(p, 8);
        double s = PointwiseKernels.tree16(p);
        for (int i = n16; i < n; i++) {
            float d = a[off + i] - m;
            s += d * d;
        }
        return s;
    }

    static float max(float[] a, int off, int n) {
        float m = a[off];
        int i = 0;
        int bound = S.loopBound(n);
        if (bound > 0) {
            FloatVector acc = FloatVector.fromArray(S, a, off);
            for (i = S.length(); i < bound; i += S.length()) acc = acc.max(FloatVector.fromArray(S, a, off + i));
            m = acc.reduceLanes(VectorOperators.MAX);
        }
        for (; i < n; i++) m = Math.max(m, a[off + i]);
        return m;
    }
}
