package mediswift4j.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import mediswift4j.tensor.Simd;
import mediswift4j.tensor.Tensor;

/**
 * AdamW's masked contract (SPEC.md section 8) where it lives: a masked entry's weight, first and second moment all
 * stay exactly 0 even when its gradient is not 0, and every kept entry follows PyTorch's AdamW. Lengths are three
 * whole vectors plus a tail for every lane count a JVM may pick (4, 8 or 16 floats: 53 = 3*16+5, 29 = 3*8+5), so
 * the vector loop (and its blend of masked lanes) and the scalar tail both run, with masked lanes in every vector
 * and in the tail. The expected values come from a float64 re-derivation written here, not from the optimizer.
 */
class AdamWMaskedTest {
    private static final int STEPS = 3;

    /** Masked where j % 4 == 1 or j % 7 == 3: about 39% masked, in every 4-, 8- and 16-lane vector and in both tails. */
    private static boolean masked(int j) {
        return j % 4 == 1 || j % 7 == 3;
    }

    /** A gradient that is never 0 (|g| in [0.05, 0.55]) and changes sign and size with position and step. */
    private static float gradient(int j, int t) {
        double s = Math.sin(1.3 * j + 0.7 * t);
        return (float) ((s >= 0 ? 1 : -1) * (0.05 + 0.5 * Math.abs(s)));
    }

    @ParameterizedTest(name = "length {0}, simd {1}, rank {2}")
    @CsvSource({"53, false, 2", "53, true, 2", "29, false, 2", "29, true, 2", "53, false, 1", "53, true, 1",
                "29, true, 1", "3, true, 2", "16384, true, 2", "16437, false, 2", "16437, true, 2"})
    void maskedEntriesStayZeroAndKeptOnesFollowAdamW(int n, boolean simd, int rank) {
        if (simd) Assumptions.assumeTrue(Simd.ENABLED, "needs the Vector API module");
        Tensor p = rank == 2 ? Tensor.parameter("w", 1, n) : Tensor.parameter("b", n);
        byte[] keep = new byte[n];
        for (int j = 0; j < n; j++) {
            keep[j] = (byte) (masked(j) ? 0 : 1);
            p.data[j] = masked(j) ? 0f : (float) Math.cos(0.37 * j);
        }
        double[] w = new double[n], m = new double[n], v = new double[n];
        for (int j = 0; j < n; j++) w[j] = p.data[j];
        double lr = 3e-2, wd = rank == 2 ? 0.1 : 0.0;
        boolean before = AdamW.SIMD;
        AdamW.SIMD = simd;
        try {
            AdamW opt = new AdamW(List.of(p), Map.of(p, keep), AdamW.DEFAULTS);
            for (int t = 1; t <= STEPS; t++) {
                for (int j = 0; j < n; j++) p.grad()[j] = gradient(j, t);
                opt.step((float) lr);
                for (int j = 0; j < n; j++) {
                    if (masked(j)) continue;
                    double g = gradient(j, t);
                    m[j] = 0.9 * m[j] + 0.1 * g;
                    v[j] = 0.95 * v[j] + 0.05 * g * g;
                    w[j] = w[j] * (1 - lr * wd)
                            - lr / (1 - Math.pow(0.9, t)) * m[j] / (Math.sqrt(v[j]) / Math.sqrt(1 - Math.pow(0.95, t)) + 1e-8);
                }
            }
            float[] mf = opt.firstMoment(0), vf = opt.secondMoment(0);
            int maskedSeen = 0;
            for (int j = 0; j < n; j++) {
                if (masked(j)) {
                    maskedSeen++;
                    assertEquals(0, Float.floatToRawIntBits(p.data[j]), "weight at masked " + j + " = " + p.data[j]);
                    assertEquals(0, Float.floatToRawIntBits(mf[j]), "first moment at masked " + j + " = " + mf[j]);
                    assertEquals(0, Float.floatToRawIntBits(vf[j]), "second moment at masked " + j + " = " + vf[j]);
                } else {
                    // float32 rounding over 3 steps: a few ulps of the terms summed (|g| <= 0.55, g*g <= 0.31),
                    // which can be far larger than a moment that nearly cancels
                    assertEquals(m[j], mf[j], 3e-7 + 1e-6 * Math.abs(m[j]), "first moment at kept " + j);
                    assertEquals(v[j], vf[j], 1e-7 + 1e-6 * Math.abs(v[j]), "second moment at kept " + j);
                    assertEquals(w[j], p.data[j], 2e-6 * (1 + Math.abs(w[j])), "weight at kept " + j);
                }
            }
            assertTrue(maskedSeen > 0 && maskedSeen < n);
        } finally {
            AdamW.SIMD = before;
        }
    }

    /**
     * AdamWSimd.masked called directly on a slice that starts inside the array (as a thread's block does): entries
     * outside [from, to) are not touched, masked entries inside keep their (here non-zero) old weight and moments
     * bit for bit, kept entries get AdamW.update's bits.
     */
    @ParameterizedTest(name = "from {0} to {1}")
    @CsvSource({"5, 58", "3, 32", "0, 53", "7, 7"})
    void simdBlendRestoresMaskedLanesOfASlice(int from, int to) {
        Assumptions.assumeTrue(Simd.ENABLED, "needs the Vector API module");
        int n = to + 6;
        float[] keep = new float[n], w = new float[n], g = new float[n], m = new float[n], v = new float[n];
        for (int j = 0; j < n; j++) {
            keep[j] = masked(j) ? 0f : 1f;
            w[j] = (float) Math.cos(0.37 * j);
            g[j] = gradient(j, 1);
            m[j] = 0.01f * (j % 5 + 1);
            v[j] = 0.001f * (j % 3 + 1);
        }
        float[] w0 = w.clone(), m0 = m.clone(), v0 = v.clone();
        float[] we = w.clone(), me = m.clone(), ve = v.clone();
        float b1 = 0.9f, b2 = 0.95f, decay = 1f - 1e-3f, stepSize = 0.05f, bc2sqrt = 0.4f, eps = 1e-8f;
        for (int j = from; j < to; j++) if (keep[j] != 0f) AdamW.update(j, we, g, me, ve, b1, b2, decay, stepSize, bc2sqrt, eps);
        AdamWSimd.masked(keep, w, g, m, v, from, to, b1, b2, decay, stepSize, bc2sqrt, eps);
        for (int j = 0; j < n; j++) {
            boolean untouched = j < from || j >= to || keep[j] == 0f;
            String where = (untouched ? "untouched " : "kept ") + j;
            assertEquals(Float.floatToRawIntBits(untouched ? w0[j] : we[j]), Float.floatToRawIntBits(w[j]), "w at " + where);
            assertEquals(Float.floatToRawIntBits(untouched ? m0[j] : me[j]), Float.floatToRawIntBits(m[j]), "m at " + where);
            assertEquals(Float.floatToRawIntBits(untouched ? v0[j] : ve[j]), Float.floatToRawIntBits(v[j]), "v at " + where);
            if (!untouched) assertTrue(we[j] != w0[j] && me[j] != m0[j] && ve[j] != v0[j], "kept entry " + j + " moved");
        }
    }
}
