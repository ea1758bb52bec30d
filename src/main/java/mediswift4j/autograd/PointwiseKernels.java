package mediswift4j.autograd;

import mediswift4j.tensor.Simd;

/**
 * The elementwise kernels under softmax, cross-entropy, attention, GELU, LayerNorm and the gradient norm: a
 * float32 exponential, GELU forward and backward, row reductions (maximum; sums in double in one fixed order of 16
 * interleaved partial sums, see {@link #sum}) and an elementwise add. Each range kernel has a plain loop here and a
 * Vector API twin in PointwiseSimd, used when tensor.Simd.ENABLED, that gives the same bits.
 *
 * Why our own exp: Math.exp and Math.tanh are scalar library calls (~4 ns and ~20 ns here) that no JIT can
 * vectorize, and they were a third of a training step (GELU alone a quarter). {@link #exp} is a short chain of
 * float32 operations (below) that runs 16 lanes at a time with the Vector API (PointwiseSimd) and one element at
 * a time here; both compute every element with the same operations in the same order, so they give the same bits
 * (PointwiseKernelsTest). Accuracy: within 2 ulp of the exact exponential for x in [-87, 88] (tested).
 *
 *   exp(x):  n = round(x log2 e)                    via t = fma(x, log2 e, 1.5 * 2^23), n = t - 1.5 * 2^23
 *            r = fma(n, -LN2_HI, x); r = fma(n, -LN2_LO, r)      (x - n ln 2, ln 2 split in two, Cody and Waite)
 *            p = 1 + r + r^2/2! + ... + r^7/7!                  (Horner, one fma per degree, from r^7 down)
 *            exp(x) = p * 2^n                                    (2^n built from n's bits, exact)
 *   x < -87 gives 0 (the exact value is below 1.7e-38), x > 88 gives +Infinity (above 1.6e38), NaN gives NaN.
 *
 * GELU (tanh approximation, GPT-2) written with the identity 0.5 (1 + tanh(z)) = 1 / (1 + exp(-2 z)):
 *   u = v + 0.044715 v^3 (as ((0.044715 v) v) v + v);  s = 1 / (1 + exp(-2 sqrt(2/pi) u));  gelu(v) = v s
 *   gelu'(v) = s + v s (1 - s) 2 sqrt(2/pi) (1 + 3 * 0.044715 v^2)      (1 - tanh^2 = 4 s (1 - s))
 *
 * Every method here takes a range, so callers can split big arrays over threads (each element is independent).
 */
public final class PointwiseKernels {
    private PointwiseKernels() {}

    static final float LOG2E = 1.44269504088896341f;
    static final float SHIFTER = 12582912f; // 1.5 * 2^23: adding it rounds to an integer, held in the low bits
    static final int SHIFTER_BITS = Float.floatToRawIntBits(SHIFTER);
    static final float LN2_HI = 0.693359375f;       // 355/512, exact in 9 bits: n * LN2_HI is exact
    static final float LN2_LO = -2.12194440e-4f;    // ln 2 - LN2_HI
    static final float EXP_LO = -87f, EXP_HI = 88f;
    static final float C2 = 1f / 2, C3 = 1f / 6, C4 = 1f / 24, C5 = 1f / 120, C6 = 1f / 720, C7 = 1f / 5040;

    static final float GELU_A = 0.044715f;
    static final float GELU_K = (float) (-2.0 * Math.sqrt(2.0 / Math.PI)); // exp argument factor
    static final float GELU_2C = (float) (2.0 * Math.sqrt(2.0 / Math.PI));
    static final float GELU_3A = 3f * GELU_A;

    /** e^x in float32 as described in the class comment. */
    public static float exp(float x) {
        float t = Math.fma(x, LOG2E, SHIFTER);
        float n = t - SHIFTER;
        float r = Math.fma(n, -LN2_HI, x);
        r = Math.fma(n, -LN2_LO, r);
        float p = Math.fma(C7, r, C6);
        p = Math.fma(p, r, C5);
        p = Math.fma(p, r, C4);
        p = Math.fma(p, r, C3);
        p = Math.fma(p, r, C2);
        p = Math.fma(p, r, 1f);
        p = Math.fma(p, r, 1f);
        float scale = Float.intBitsToFloat((Float.floatToRawIntBits(t) - SHIFTER_BITS + 127) << 23);
        float y = p * scale;
        if (x < EXP_LO) y = 0f;
        if (x > EXP_HI) y = Float.POSITIVE_INFINITY;
        return y;
    }

    /** GELU of one value (tanh approximation), as in the class comment. */
    static float gelu(float v) {
        float u = GELU_A * v * v * v + v;
        float s = 1f / (1f + exp(GELU_K * u));
        return v * s;
    }

    /** d gelu(v) / dv, as in the class comment. */
    static float geluGrad(float v) {
        float u = GELU_A * v * v * v + v;
        float s = 1f / (1f + exp(GELU_K * u));
        return s + v * s * (1f - s) * GELU_2C * (1f + GELU_3A * v * v);
    }

    // ------------------------------------------------------------ range kernels (SIMD when enabled)

    /** dst[dOff + i] = exp(src[sOff + i] - shift) for i in [0, n). src and dst may be the same array. */
    static void expShifted(float[] src, int sOff, float[] dst, int dOff, int n, float shift) {
        if (Simd.ENABLED) {
            PointwiseSimd.expShifted(src, sOff, dst, dOff, n, shift);
            return;
        }
        expShiftedPlain(src, sOff, dst, dOff, n, shift);
    }

    static void expShiftedPlain(float[] src, int sOff, float[] dst, int dOff, int n, float shift) {
        for (int i = 0; i < n; i++) dst[dOff + i] = exp(src[sOff + i] - shift);
    }

    /** y[i] = gelu(x[i]) for i in [from, to). */
    static void geluForward(float[] x, float[] y, int from, int to) {
        if (Simd.ENABLED) {
            PointwiseSimd.geluForward(x, y, from, to);
            return;
        }
        geluForwardPlain(x, y, from, to);
    }

    static void geluForwardPlain(float[] x, float[] y, int from, int to) {
        for (int i = from; i < to; i++) y[i] = gelu(x[i]);
    }

    /** dx[i] += dy[i] * gelu'(x[i]) for i in [from, to). */
    static void geluBackward(float[] x, float[] dy, float[] dx, int from, int to) {
        if (Simd.ENABLED) {
            PointwiseSimd.geluBackward(x, dy, dx, from, to);
            return;
        }
        geluBackwardPlain(x, dy, dx, from, to);
    }

    static void geluBackwardPlain(float[] x, float[] dy, float[] dx, int from, int to) {
        for (int i = from; i < to; i++) dx[i] = dx[i] + dy[i] * geluGrad(x[i]);
    }

    /** max of a[off .. off + n), n >= 1 (max is exact, so any grouping gives the same value). */
    static float max(float[] a, int off, int n) {
        if (Simd.ENABLED) return PointwiseSimd.max(a, off, n);
        return maxPlain(a, off, n);
    }

    static float maxPlain(float[] a, int off, int n) {
        float m0 = a[off], m1 = m0, m2 = m0, m3 = m0;
        int i = 1;
        for (; i + 4 <= n; i += 4) {
            m0 = Math.max(m0, a[off + i]);
            m1 = Math.max(m1, a[off + i + 1]);
            m2 = Math.max(m2, a[off + i + 2]);
            m3 = Math.max(m3, a[off + i + 3]);
        }
        for (; i < n; i++) m0 = Math.max(m0, a[off + i]);
        return Math.max(Math.max(m0, m1), Math.max(m2, m3));
    }

    /**
     * Sum of a[off .. off + n) in double, in a fixed order: sixteen interleaved partial sums (element i goes to
     * partial i mod 16, for the elements before the last n mod 16), combined as the balanced tree
     * ((p0 + p1) + (p2 + p3)) + ((p4 + p5) + (p6 + p7)) + ... (see {@link #tree16}), then the last n mod 16
     * elements added in order. Sixteen chains instead of one: one 512-bit vector of floats is sixteen doubles,
     * summed as two 8-lane double vectors by PointwiseSimd, as four or eight smaller ones by NarrowSums with 8 or
     * 4 float lanes (same bits at every width); the plain loop keeps 16 locals.
     */
    static double sum(float[] a, int off, int n) {
        if (Simd.ENABLED && PointwiseSimd.SUM16) return PointwiseSimd.sum(a, off, n);
        if (Simd.ENABLED && PointwiseSimd.NARROW) return PointwiseSimd.narrow(a, off, n, NarrowSums.PLAIN, 0f);
        return sumPlain(a, off, n);
    }

    static double sumPlain(float[] a, int off, int n) {
        double[] p = new double[16];
        int n16 = n - n % 16;
        for (int i = 0; i < n16; i += 16) for (int k = 0; k < 16; k++) p[k] += a[off + i + k];
        double s = tree16(p);
        for (int i = n16; i < n; i++) s += a[off + i];
        return s;
    }

    /** sum of (double) a[i]^2 over [off, off + n) (exact squares), in {@link #sum}'s order. */
    public static double sumOfSquares(float[] a, int off, int n) {
        if (Simd.ENABLED && PointwiseSimd.SUM16) return PointwiseSimd.sumOfSquares(a, off, n);
        if (Simd.ENABLED && PointwiseSimd.NARROW) return PointwiseSimd.narrow(a, off, n, NarrowSums.SQUARES, 0f);
        return sumOfSquaresPlain(a, off, n);
    }

    static double sumOfSquaresPlain(float[] a, int off, int n) {
        double[] p = new double[16];
        int n16 = n - n % 16;
        for (int i = 0; i < n16; i += 16) {
            for (int k = 0; k < 16; k++) {
                double v = a[off + i + k];
                p[k] += v * v;
            }
        }
        double s = tree16(p);
        for (int i = n16; i < n; i++) {
            double v = a[off + i];
            s += v * v;
        }
        return s;
    }

    /** sum of the float squares d * d, d = a[i] - m (float), over [off, off + n), in {@link #sum}'s order. */
    static double sumOfCenteredSquares(float[] a, int off, int n, float m) {
        if (Simd.ENABLED && PointwiseSimd.SUM16) return PointwiseSimd.sumOfCenteredSquares(a, off, n, m);
        if (Simd.ENABLED && PointwiseSimd.NARROW) return PointwiseSimd.narrow(a, off, n, NarrowSums.CENTERED, m);
        return sumOfCenteredSquaresPlain(a, off, n, m);
    }

    static double sumOfCenteredSquaresPlain(float[] a, int off, int n, float m) {
        double[] p = new double[16];
        int n16 = n - n % 16;
        for (int i = 0; i < n16; i += 16) {
            for (int k = 0; k < 16; k++) {
                float d = a[off + i + k] - m;
                p[k] += d * d;
            }
        }
        double s = tree16(p);
        for (int i = n16; i < n; i++) {
            float d = a[off + i] - m;
            s += d * d;
        }
        return s;
    }

    /** sum of the sixteen partial sums in the fixed balanced-tree order. */
    static double tree16(double[] p) {
        return (((p[0] + p[1]) + (p[2] + p[3])) + ((p[4] + p[5]) + (p[6] + p[7])))
                + (((p[8] + p[9]) + (p[10] + p[11])) + ((p[12] + p[13]) + (p[14] + p[15])));
    }

    /** dst[dOff + i] += src[sOff + i] for i in [0, n) (one float add per element: SIMD or not, same bits). */
    static void addInto(float[] src, int sOff, float[] dst, int dOff, int n) {
        if (Simd.ENABLED) {
            PointwiseSimd.addInto(src, sOff, dst, dOff, n);
            return;
        }
        addIntoPlain(src, sOff, dst, dOff, n);
    }

    static void addIntoPlain(float[] src, int sOff, float[] dst, int dOff, int n) {
        for (int i = 0; i < n; i++) dst[dOff + i] += src[sOff + i];
    }

    /**
     * sum of the float products a[i] * b[i], i in [0, n), in double: four partials (product i into partial i mod 4
     * while four remain), combined as (s0 + s1) + (s2 + s3), then the remaining products one by one. (Not
     * {@link #sum}'s sixteen partials; PointwiseKernelsTest pins this order.)
     */
    static double dot(float[] a, float[] b, int n) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            s0 += a[i] * b[i];
            s1 += a[i + 1] * b[i + 1];
            s2 += a[i + 2] * b[i + 2];
            s3 += a[i + 3] * b[i + 3];
        }
        double s = (s0 + s1) + (s2 + s3);
        for (; i < n; i++) s += a[i] * b[i];
        return s;
    }

    /** a[off + i] *= f for i in [0, n) (C2 vectorizes this loop; plain multiply, same result either way). */
    static void scale(float[] a, int off, int n, float f) {
        for (int i = off; i < off + n; i++) a[i] *= f;
    }
}
