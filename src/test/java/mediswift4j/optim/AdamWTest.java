package mediswift4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.FloatRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import mediswift4j.tensor.Tensor;

class AdamWTest {
    /** A float64 re-derivation of PyTorch's AdamW for one element over several steps. */
    @Property(tries = 50)
    void matchesFloat64Reference(@ForAll @FloatRange(min = -2, max = 2) float w0, @ForAll @FloatRange(min = -1, max = 1) float g,
                                 @ForAll @IntRange(min = 1, max = 6) int steps, @ForAll boolean matrix) {
        Tensor p = matrix ? Tensor.parameter("w", 1, 1) : Tensor.parameter("b", 1);
        p.data[0] = w0;
        AdamW opt = new AdamW(List.of(p), Map.of(), AdamW.DEFAULTS);
        double w = w0, m = 0, v = 0, lr = 1e-2, wd = matrix ? 0.1 : 0;
        for (int t = 1; t <= steps; t++) {
            p.grad()[0] = g;
            opt.step((float) lr);
            m = 0.9 * m + 0.1 * g;
            v = 0.95 * v + 0.05 * g * g;
            w *= 1 - lr * wd;
            w -= lr / (1 - Math.pow(0.9, t)) * m / (Math.sqrt(v) / Math.sqrt(1 - Math.pow(0.95, t)) + 1e-8);
        }
        assertEquals(w, p.data[0], 1e-5 * (1 + Math.abs(w)));
    }

    @Test
    void maskedEntriesAreSkipped() {
        Tensor p = Tensor.parameter("w", 2, 2);
        p.data[1] = 0f;
        p.data[0] = 1f;
        byte[] keep = {1, 0, 1, 1};
        AdamW opt = new AdamW(List.of(p), Map.of(p, keep), AdamW.DEFAULTS);
        java.util.Arrays.fill(p.grad(), 0.5f);
        opt.step(0.1f);
        assertEquals(0f, p.data[1]);
        assertEquals(0f, opt.firstMoment(0)[1]);
        assertEquals(0f, opt.secondMoment(0)[1]);
        assertTrue(p.data[0] < 1f);
    }

    @Test
    void scheduleWarmsUpThenDecaysToTenPercent() {
        LrSchedule s = LrSchedule.of(1.0, 4, 14);
        assertEquals(0.25f, s.at(0));
        assertEquals(1.0f, s.at(3));
        assertEquals(1.0f, s.at(4));
        assertEquals(0.55f, s.at(9), 1e-6);
        assertEquals(0.1f, s.at(14), 1e-7);
        assertEquals(0.1f, s.at(100), 1e-7);
        for (int i = 4; i < 14; i++) assertTrue(s.at(i + 1) <= s.at(i));
    }

    @Test
    void clippingScalesToTheGlobalNorm() {
        Tensor a = Tensor.parameter("a", 2), b = Tensor.parameter("b", 1);
        a.grad()[0] = 3;
        a.grad()[1] = 0;
        b.grad()[0] = 4;
        assertEquals(5.0, GradClip.clip(List.of(a, b), 1.0), 1e-12);
        assertEquals(0.6f, a.grad[0], 1e-6);
        assertEquals(0.8f, b.grad[0], 1e-6);
        assertEquals(1.0, GradClip.clip(List.of(a, b), 2.0), 1e-6); // below the threshold: unchanged
        assertEquals(0.6f, a.grad[0], 1e-6);
    }

    /** The schedule's closed form with a peak other than 1 (so floor = 0.1 * peak is not 0.1 / peak). */
    @Test
    void scheduleScalesWithThePeak() {
        LrSchedule s = LrSchedule.of(6e-4, 2, 12);
        assertEquals((float) 3e-4, s.at(0));
        assertEquals((float) 6e-4, s.at(1));
        assertEquals((float) 6e-5, s.at(12));
        assertEquals((float) (6e-5 + 5.4e-4 * 0.5 * (1 + Math.cos(Math.PI * 5 / 10))), s.at(7));
    }

    /**
     * Clipping scales by (float)(max / (norm + 1e-6)), SPEC.md section 8, exactly; a norm equal to the threshold,
     * and a threshold of 0 (no clipping), leave the gradients untouched.
     */
    @Test
    void clippingScaleIsExactAndOnlyAboveThePositiveThreshold() {
        Tensor a = Tensor.parameter("a", 2);
        a.grad()[0] = 3;
        a.grad()[1] = 4;
        GradClip.clip(List.of(a), 1.0);
        float scale = (float) (1.0 / (5.0 + 1e-6));
        assertEquals(3f * scale, a.grad[0]);
        assertEquals(4f * scale, a.grad[1]);
        a.grad[0] = 3;
        a.grad[1] = 4;
        assertEquals(5.0, GradClip.clip(List.of(a), 5.0));
        assertEquals(3f, a.grad[0]);
        assertEquals(5.0, GradClip.clip(List.of(a), 0.0));
        assertEquals(4f, a.grad[1]);
    }

    /** A gradient longer than GradClip's blocks (two of 65536 plus a tail): the norm counts every element once. */
    @Test
    void normOverSeveralBlocks() {
        Tensor big = Tensor.parameter("big", 2 * 65536 + 5);
        java.util.Arrays.fill(big.grad(), 0.5f);
        big.grad[big.size() - 1] = 2f;
        double expected = Math.sqrt(0.25 * (big.size() - 1) + 4.0);
        assertEquals(expected, GradClip.norm(List.of(big)), 1e-12 * expected);
    }

    /** restore puts moments and step back, so the next update is the one an uninterrupted optimizer would make. */
    @Test
    void restoreContinuesAsIfUninterrupted() {
        Tensor p = Tensor.parameter("w", 1, 3), q = Tensor.parameter("w", 1, 3);
        float[] init = {0.5f, -0.25f, 1f};
        System.arraycopy(init, 0, p.data, 0, 3);
        AdamW a = new AdamW(List.of(p), Map.of(), AdamW.DEFAULTS);
        for (int t = 0; t < 3; t++) {
            for (int j = 0; j < 3; j++) p.grad()[j] = 0.1f * (j + 1) - 0.05f * t;
            a.step(1e-2f);
        }
        assertEquals(3, a.stepCount());
        assertEquals(List.of(p), a.parameters());
        assertEquals(AdamW.DEFAULTS, a.settings());
        System.arraycopy(p.data, 0, q.data, 0, 3);
        AdamW b = new AdamW(List.of(q), Map.of(), AdamW.DEFAULTS);
        b.restore(a.stepCount(), new float[][] {a.firstMoment(0).clone()}, new float[][] {a.secondMoment(0).clone()});
        assertEquals(3, b.stepCount());
        for (int j = 0; j < 3; j++) p.grad()[j] = q.grad()[j] = -0.2f;
        a.step(1e-2f);
        b.step(1e-2f);
        assertArrayEquals(p.data, q.data);
        assertArrayEquals(a.secondMoment(0), b.secondMoment(0));
        assertThrows(IllegalArgumentException.class, () -> b.restore(1, new float[2][3], new float[1][3]));
        assertThrows(IllegalArgumentException.class, () -> b.restore(1, new float[1][3], new float[0][]));
    }

    /**
     * The Vector API update (dense entries, and gathered kept positions) gives the plain loop's bits, over lengths
     * with and without a vector tail, several steps, and the block split of AdamW.BLOCK.
     */
    @Property(tries = 30)
    void simdTwinGivesThePlainBits(@ForAll @IntRange(min = 1, max = 40000) int n, @ForAll @IntRange(min = 0, max = 100) int keepPercent,
                                   @ForAll @IntRange(min = 1, max = 3) int steps, @ForAll long seed) {
        org.junit.jupiter.api.Assumptions.assumeTrue(mediswift4j.tensor.Simd.ENABLED, "needs the Vector API module");
        float[][] results = new float[2][];
        for (int simd = 0; simd < 2; simd++) {
            java.util.Random r = new java.util.Random(seed);
            Tensor dense = Tensor.parameter("d", n), masked = Tensor.parameter("m", 3, n);
            byte[] keep = new byte[3 * n];
            for (int i = 0; i < keep.length; i++) keep[i] = (byte) (r.nextInt(100) < keepPercent ? 1 : 0);
            for (int i = 0; i < n; i++) dense.data[i] = (float) r.nextGaussian();
            for (int i = 0; i < 3 * n; i++) masked.data[i] = keep[i] != 0 ? (float) r.nextGaussian() : 0f;
            boolean before = AdamW.SIMD;
            AdamW.SIMD = simd == 1;
            try {
                AdamW opt = new AdamW(List.of(dense, masked), Map.of(masked, keep), AdamW.DEFAULTS);
                for (int s = 0; s < steps; s++) {
                    for (int i = 0; i < n; i++) dense.grad()[i] = (float) r.nextGaussian() * 1e-2f;
                    for (int i = 0; i < 3 * n; i++) masked.grad()[i] = keep[i] != 0 ? (float) r.nextGaussian() : 0f;
                    opt.step(1e-3f * (s + 1));
                }
                float[] all = new float[8 * n];
                System.arraycopy(dense.data, 0, all, 0, n);
                System.arraycopy(masked.data, 0, all, n, 3 * n);
                System.arraycopy(opt.firstMoment(1), 0, all, 4 * n, 3 * n);
                System.arraycopy(opt.secondMoment(0), 0, all, 7 * n, n);
                results[simd] = all;
            } finally {
                AdamW.SIMD = before;
            }
        }
        for (int i = 0; i < results[0].length; i++) {
            assertEquals(Float.floatToRawIntBits(results[0][i]), Float.floatToRawIntBits(results[1][i]), "element " + i);
        }
    }
}
