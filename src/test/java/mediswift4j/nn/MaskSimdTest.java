package mediswift4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

import mediswift4j.tensor.Simd;
import mediswift4j.util.Rng;

/** The Vector API mask (MaskSimd.apply) against the plain loop (Masks.applyPlain), bit for bit. Skipped without the module. */
class MaskSimdTest {
    /** Skips the property (instead of exhausting its tries on rejections) where MaskSimd is not used. */
    static final class NeedsSimd implements SkipExecutionHook {
        @Override
        public SkipResult shouldBeSkipped(LifecycleContext context) {
            return Simd.ENABLED && MaskSimd.USABLE ? SkipResult.doNotSkip()
                    : SkipResult.skip("Vector API module not loaded (or not 16 float lanes)");
        }
    }

    @Property(tries = 30)
    @AddLifecycleHook(NeedsSimd.class)
    void maskApplyEqualsPlain(@ForAll @IntRange(min = 0, max = 200) int n, @ForAll @DoubleRange(min = 0, max = 1) double sparsity) {
        byte[] keep = Masks.random(n, "mask-simd", n, Math.min(sparsity, 0.999));
        Rng rng = new Rng(n);
        float[] w = new float[n];
        for (int q = 0; q < n; q++) w[q] = 2 * rng.nextFloat() - 1;
        if (n > 0) w[n / 2] = -0f; // a negative zero must survive where kept
        float[] a = w.clone(), b = w.clone();
        Masks.applyPlain(a, keep);
        MaskSimd.apply(b, keep);
        for (int q = 0; q < n; q++) {
            assertEquals(Float.floatToRawIntBits(a[q]), Float.floatToRawIntBits(b[q]), "masked weights entry " + q + " n=" + n);
        }
    }
}
