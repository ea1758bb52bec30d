package mediswift4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import mediswift4j.tensor.Simd;
import mediswift4j.util.Rng;

/** The Vector API mask (MaskSimd.apply) against the plain loop (Masks.applyPlain), bit for bit. Run at every vector width: forked with 4 lanes by VectorWidthTwinsTest. */
class MaskSimdTest {
    @Test
    void maskSimdRunsAtThisVectorWidth() {
        // every width the JVM offers (16, 8 or 4 float lanes) runs the Vector API twin: no silent plain fall-back
        assertTrue(Simd.ENABLED, "tests must run with --add-modules " + Simd.MODULE);
        assertTrue(MaskSimd.USABLE, "MaskSimd unusable with " + Simd.floatLanes() + " float lanes");
    }

    @Property(tries = 30)
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
