package mediswift4j.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import mediswift4j.tensor.Simd;
import mediswift4j.util.Rng;

/**
 * PointwiseKernels: the float32 exp against the exact exponential, GELU against its tanh formula, and every
 * Vector API kernel (PointwiseSimd) bit-identical to its plain twin on awkward lengths and offsets (when the
 * jdk.incubator.vector module is loaded, as under surefire).
 */
class PointwiseKernelsTest {
    /** ulp distance between a float and the exact (double) value, in units of the float's ulp. */
    static double ulps(float got, double exact) {
        return Math.abs(got - exact) / Math.ulp((float) exact);
    }

    @Test
    void expWithinTwoUlpOverItsRange() {
        double worst = 0;
        for (float x = -87f; x <= 88f; x += 0.000731f) worst = Math.max(worst, ulps(PointwiseKernels.exp(x), Math.exp(x)));
        assertTrue(worst <= 2.0, "worst error " + worst + " ulp");
    }

    @Test
    void expSpecialValues() {
        assertEquals(1f, PointwiseKernels.exp(0f));
        assertEquals(1f, PointwiseKernels.exp(-0f));
        assertEquals(0f, PointwiseKernels.exp(-88f));
        assertEquals(0f, PointwiseKernels.exp(Float.NEGATIVE_INFINITY));
        assertEquals(0f, PointwiseKernels.exp(-1e30f));
        assertEquals(Float.POSITIVE_INFINITY, PointwiseKernels.exp(89f));
        assertEquals(Float.POSITIVE_INFINITY, PointwiseKernels.exp(Float.POSITIVE_INFINITY));
        assertTrue(Float.isNaN(PointwiseKernels.exp(Float.NaN)));
        assertTrue(PointwiseKernels.exp(-87f) > 0f);
        assertTrue(PointwiseKernels.exp(88f) < Float.POSITIVE_INFINITY);
    }

    @Test
    void geluMatchesTheTanhFormula() {
        double c = Math.sqrt(2.0 / Math.PI);
        for (float v = -12f; v <= 12f; v += 0.00917f) {
            double t = Math.tanh(c * (v + 0.044715 * v * v * v));
            double exact = 0.5 * v * (1 + t);
            double dExact = 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * c * (1 + 3 * 0.044715 * v * v);
            assertEquals(exact, PointwiseKernels.gelu(v), 1e-6 * Math.max(1, Math.abs(v)), "gelu(" + v + ")");
            assertEquals(dExact, PointwiseKernels.geluGrad(v), 2e-6, "gelu'(" + v + ")");
        }
    }

    /** Values spread over the interesting range, with a few specials. */
    static float[] values(Rng rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (rng.nextGaussian() * 8);
        if (n > 5) {
            a[1] = -100f;
            a[2] = 95f;
            a[3] = Float.NEGATIVE_INFINITY;
            a[4] = 0f;
        }
        return a;
    }

    @Property(tries = 40)
    void simdTwinsAreBitIdentical(@ForAll @IntRange(min = 1, max = 140) int n, @ForAll @IntRange(min = 0, max = 17) int off,
                                  @ForAll long seed) {
        if (!Simd.ENABLED) return; // nothing to compare: the plain kernels are the only ones
        Rng rng = new Rng(seed);
        float[] x = values(rng, n + off), dy = values(rng, n + off);
        float shift = (float) rng.nextGaussian();

        float[] a = new float[n + off], b = new float[n + off];
        PointwiseKernels.expShiftedPlain(x, off, a, off, n, shift);
        PointwiseSimd.expShifted(x, off, b, off, n, shift);
        assertBits(a, b, "expShifted");

        a = new float[n + off];
        b = new float[n + off];
        PointwiseKernels.geluForwardPlain(x, a, off, off + n);
        PointwiseSimd.geluForward(x, b, off, off + n);
        assertBits(a, b, "geluForward");

        a = values(new Rng(seed + 1), n + off);
        b = a.clone();
        PointwiseKernels.geluBackwardPlain(x, dy, a, off, off + n);
        PointwiseSimd.geluBackward(x, dy, b, off, off + n);
        assertBits(a, b, "geluBackward");

        assertEquals(Float.floatToRawIntBits(PointwiseKernels.maxPlain(x, off, n)), Float.floatToRawIntBits(PointwiseSimd.max(x, off, n)));

        // every width (16, 8 or 4 float lanes) runs a Vector API sum, so the dispatchers below are the SIMD twins
        assertTrue(PointwiseSimd.SUM16 || PointwiseSimd.NARROW, "no Vector API sums at this width");
        {
            float[] f = x.clone();
            for (int i = 0; i < f.length; i++) if (!Float.isFinite(f[i])) f[i] = 1f;
            assertEquals(Double.doubleToRawLongBits(PointwiseKernels.sumPlain(f, off, n)), Double.doubleToRawLongBits(PointwiseKernels.sum(f, off, n)), "sum");
            assertEquals(Double.doubleToRawLongBits(PointwiseKernels.sumOfSquaresPlain(f, off, n)),
                    Double.doubleToRawLongBits(PointwiseKernels.sumOfSquares(f, off, n)), "sumOfSquares");
            assertEquals(Double.doubleToRawLongBits(PointwiseKernels.sumOfCenteredSquaresPlain(f, off, n, shift)),
                    Double.doubleToRawLongBits(PointwiseKernels.sumOfCenteredSquares(f, off, n, shift)), "sumOfCenteredSquares");
        }

        { // LayerNorm's row backward: the row is x[off .. off + n), gamma has n entries
            Rng g = new Rng(seed + 3);
            float[] xs = new float[n + off], dys = new float[n + off], gamma = new float[n];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = (float) g.nextGaussian();
                dys[i] = (float) g.nextGaussian();
            }
            for (int i = 0; i < n; i++) gamma[i] = (float) (1 + 0.3 * g.nextGaussian());
            float[] dxA = values(g, n + off), dxB = dxA.clone();
            for (int i = 0; i < dxA.length; i++) if (!Float.isFinite(dxA[i])) dxA[i] = dxB[i] = 0.5f;
            LayerNormKernels.backwardRowPlain(dys, gamma, xs, dxA, off, n, 0.1f, 1.3f);
            LayerNormSimd.backwardRow(dys, gamma, xs, dxB, off, n, 0.1f, 1.3f);
            assertBits(dxA, dxB, "layerNorm backwardRow");
        }

        a = values(new Rng(seed + 2), n + off + 3);
        b = a.clone();
        PointwiseKernels.addIntoPlain(x, off, a, 3, n);
        PointwiseSimd.addInto(x, off, b, 3, n);
        assertBits(a, b, "addInto");
    }

    @Property(tries = 20)
    void sumIsTheDoubleSumWithinRounding(@ForAll @IntRange(min = 1, max = 300) int n, @ForAll long seed) {
        float[] a = values(new Rng(seed), n);
        for (int i = 0; i < n; i++) if (!Float.isFinite(a[i])) a[i] = 1f;
        double exact = 0, abs = 0;
        for (float v : a) {
            exact += v;
            abs += Math.abs(v);
        }
        assertEquals(exact, PointwiseKernels.sum(a, 0, n), 1e-12 * abs);
    }

    /**
     * dot (attention backward's row sum of P dP) adds element i to partial i mod 4 for the whole groups of four,
     * then (p0 + p1) + (p2 + p3), then the tail in order. Values chosen so that this order is exact and any other
     * grouping is not: 2^60 and -2^60 meet in partial 0 and cancel exactly, the two 1s meet in partial 1, sum 2. A
     * running sum (or the last group of four left to the tail) first absorbs a 1 into 2^60 and then gives 1.
     */
    @Test
    void dotAddsFourInterleavedPartialsSoCancellationIsExact() {
        float big = 0x1p60f;
        float[] a = {big, 1f, 0f, 0f, -big, 1f, 0f, 0f}, ones = {1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f};
        assertEquals(2.0, PointwiseKernels.dot(a, ones, 8));
        // with a tail of two after the groups: the tail is added to the tree's result in order, (2 + 1) + 0.5
        float[] t = {big, 1f, 0f, 0f, -big, 1f, 0f, 0f, 1f, 0.5f}, ones10 = {1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f};
        assertEquals(3.5, PointwiseKernels.dot(t, ones10, 10));
        // products are float32 before the double sum: (1 + 2^-23)^2 = 1 + 2^-22 + 2^-46 rounds to 1 + 2^-22 in float
        float e = 1f + 0x1p-23f;
        assertEquals(1 + 0x1p-22, PointwiseKernels.dot(new float[] {e}, new float[] {e}, 1));
    }

    static void assertBits(float[] a, float[] b, String what) {
        for (int i = 0; i < a.length; i++) {
            assertEquals(Float.floatToRawIntBits(a[i]), Float.floatToRawIntBits(b[i]), what + " at " + i + ": " + a[i] + " vs " + b[i]);
        }
    }
}
