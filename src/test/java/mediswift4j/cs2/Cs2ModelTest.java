package mediswift4j.cs2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.junit.jupiter.api.Test;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

import mediswift4j.nn.ModelConfig;

/** Invariants of the weight-streaming model (SPEC.md section 11); it predicts, so no test asserts a speed. */
class Cs2ModelTest {
    private static final ModelConfig XL = ModelConfig.preset("mediswift-xl");

    @Test
    void denseIsItsOwnBaseline() {
        Cs2Model.Prediction p = Cs2Model.predict(XL, 0, 16, 2048);
        assertEquals(1.0, p.speedup(), 0);
        assertEquals(16 * 2048 / p.stepSeconds(), p.tokensPerSecond(), 1e-9 * p.tokensPerSecond());
        double sum = 0;
        for (Cs2Model.Unit u : p.units()) sum += u.seconds();
        assertEquals(p.stepSeconds(), sum, 1e-12 * sum);
        assertEquals(XL.layers() + 1, p.units().size());
    }

    @Test
    void computeBoundSpeedupEqualsTheFlopReduction() {
        // Far above the critical batch every unit waits for its FLOPs, so time is proportional to FLOPs.
        for (double s : new double[] {0.5, 0.75, 0.9}) {
            Cs2Model.Prediction p = Cs2Model.predict(XL, s, 4096, 2048);
            for (Cs2Model.Unit u : p.units()) assertEquals("compute", u.bound(), u.name());
            assertEquals(p.flopReduction(), p.speedup(), 1e-9);
            assertEquals(0.0, p.streamingExcessSeconds(), 0);
        }
    }

    @Test
    void streamBoundBelowTheCriticalBatch() {
        Cs2Model.Prediction p = Cs2Model.predict(XL, 0, 1, 2048);
        assertEquals("stream", p.units().get(0).bound());
        assertTrue(p.criticalBatch() > 1);
        Cs2Model.Prediction atCritical = Cs2Model.predict(XL, 0, (int) Math.ceil(p.criticalBatch()), 2048);
        assertEquals("compute", atCritical.units().get(0).bound());
    }

    @Property(tries = 100)
    void denseAttentionAndLmHeadDoNotShrink(@ForAll @DoubleRange(min = 0, max = 0.99) double s, @ForAll @IntRange(min = 1, max = 512) int batch) {
        Cs2Model.Prediction dense = Cs2Model.predict(XL, 0, batch, 2048), sparse = Cs2Model.predict(XL, s, batch, 2048);
        assertEquals(dense.attentionSeconds(), sparse.attentionSeconds(), 1e-12 * dense.attentionSeconds());
        assertEquals(dense.lmHeadSeconds(), sparse.lmHeadSeconds(), 1e-12 * dense.lmHeadSeconds());
        assertEquals((1 - s) * dense.sparseMatmulSeconds(), sparse.sparseMatmulSeconds(), 1e-9 * dense.sparseMatmulSeconds());
        // Compute-bound ceiling: no speedup beyond what the dense parts allow, plus what streaming hid.
        double stepParts = sparse.sparseMatmulSeconds() + sparse.attentionSeconds() + sparse.lmHeadSeconds() + sparse.streamingExcessSeconds();
        assertEquals(sparse.stepSeconds(), stepParts, 1e-9 * sparse.stepSeconds());
    }

    @Property(tries = 100)
    void moreSparsityNeverSlowsAStepOnceCompressed(@ForAll @DoubleRange(min = 0.01, max = 0.98) double s,
                                                   @ForAll @IntRange(min = 1, max = 256) int batch) {
        // Compared among s > 0 only: going from dense to compressed adds an index to every streamed weight.
        double t1 = Cs2Model.predict(XL, s, batch, 2048).stepSeconds();
        double t2 = Cs2Model.predict(XL, s + 0.01, batch, 2048).stepSeconds();
        assertTrue(t2 <= t1 * (1 + 1e-12));
    }

    @Test
    void moreSystemsSplitComputeButNotStreaming() {
        Cs2Model.Prediction one = Cs2Model.predict(XL, 0.75, 64, 2048, 1, Cs2Hardware.defaults());
        Cs2Model.Prediction four = Cs2Model.predict(XL, 0.75, 64, 2048, 4, Cs2Hardware.defaults());
        assertEquals(one.units().get(0).computeSeconds() / 4, four.units().get(0).computeSeconds(), 1e-15);
        assertEquals(one.units().get(0).streamSeconds(), four.units().get(0).streamSeconds(), 0);
        assertTrue(four.stepSeconds() < one.stepSeconds());
    }

    @Test
    void everyHardwareFigureIsNamedSourcedAndOverridable() {
        Cs2Hardware hw = Cs2Hardware.defaults();
        Set<String> assumptions = Set.of("peak_flops", "utilisation", "stream_bandwidth", "value_bytes", "index_bytes");
        for (Cs2Hardware.Parameter p : hw.parameters()) {
            assertFalse(p.source().isBlank(), p.name());
            assertEquals(assumptions.contains(p.name()), p.assumption(), p.name());
            assertTrue(p.source().startsWith(p.assumption() ? "ASSUMPTION" : "PUBLIC"), p.name());
            Cs2Hardware changed = hw.with(p.name(), p.value() * 0.5);
            for (Cs2Hardware.Parameter q : changed.parameters()) {
                assertEquals(q.name().equals(p.name()) ? p.value() * 0.5 : valueOf(hw, q.name()), q.value(), 0, q.name());
            }
        }
        assertEquals(850_000, hw.cores(), 0);
        assertEquals(40e9, hw.sramBytes(), 0);
        assertEquals(20e15, hw.sramBandwidth(), 0);
        assertEquals(220e15 / 8, hw.fabricBandwidth(), 0);
        assertThrows(IllegalArgumentException.class, () -> hw.with("warp_drive", 1));
        assertThrows(IllegalArgumentException.class, () -> hw.with("utilisation", 1.5));
    }

    private static double valueOf(Cs2Hardware hw, String name) {
        for (Cs2Hardware.Parameter p : hw.parameters()) if (p.name().equals(name)) return p.value();
        throw new AssertionError(name);
    }
}
