package mediswift4j.sparse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import mediswift4j.tensor.Parallel;
import mediswift4j.tensor.Simd;

/** The AUTO choice's measurement and cache (never its speed: which path wins is the machine's business). */
class KernelCalibrationTest {
    @Test
    void measuresBothPathsAndDecidesByThem() {
        KernelCalibration.Choice c = KernelCalibration.measure(128, 256, 0.75);
        assertTrue(c.denseSeconds() > 0 && c.compressedSeconds() > 0, c.describe());
        // The dense round is 3 products of 2 x 512 x 128 x 256 = 100.7 MFLOP: even at 1 TFLOP/s of CPU time that is
        // 0.1 ms, so a time below 0.05 ms did not run it; and no round of it takes 5 s.
        assertTrue(c.denseSeconds() > 5e-5 && c.denseSeconds() < 5, c.describe());
        assertTrue(c.compressedSeconds() < 5, c.describe());
        assertEquals(KernelCalibration.decide(0.75, c.denseSeconds(), c.compressedSeconds()), c.compressed(), c.describe());
        assertEquals("measured", c.how());
    }

    @Test
    void bothTimedPathsComputeTheSameMaskedLayer() {
        // What is timed must be the same work: after one run each, the compressed layer's y equals the dense
        // product on the masked weights plus the bias, and dx and dW agree too, dW zero wherever the mask is
        // (up to float rounding in a different order of additions: relative 1e-4 of the largest value).
        int out = 40, in = 24;
        KernelCalibration.Workload w = KernelCalibration.workload(out, in, 0.75);
        w.dense().run();
        w.compressed().run();
        float[] yd = w.denseOutputs()[0], yc = w.compressedOutputs()[0];
        float[] withBias = new float[yd.length];
        for (int i = 0; i < yd.length; i++) withBias[i] = yd[i] + w.bias()[i % out];
        assertClose("y", withBias, yc);
        assertClose("dx", w.denseOutputs()[1], w.compressedOutputs()[1]);
        assertClose("dW", w.denseOutputs()[2], w.compressedOutputs()[2]);
        int zeros = 0;
        for (int i = 0; i < out * in; i++) {
            if (w.compressedOutputs()[2][i] == 0f) zeros++;
        }
        assertEquals(Math.floor(0.75 * out * in + 0.5), zeros, "dW is zero exactly at the masked entries");
        boolean anyNonZero = false;
        for (float v : yd) anyNonZero |= v != 0f;
        assertTrue(anyNonZero, "the dense path computed something");
    }

    private static void assertClose(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what);
        double max = 0;
        for (float v : expected) max = Math.max(max, Math.abs(v));
        assertTrue(max > 0, what + " is all zero");
        for (int i = 0; i < expected.length; i++) {
            int at = i;
            assertEquals(expected[i], actual[i], 1e-4 * max, () -> what + " differs at " + at);
        }
    }

    @Test
    void theFixedRuleHoldsUnlessTheOtherPathIsClearlyFaster() {
        // 0.75: compressed by the rule; dense only when more than 15% faster
        assertTrue(KernelCalibration.decide(0.75, 1.0, 1.1));
        assertTrue(KernelCalibration.decide(0.75, 1.0, 1.14));
        assertFalse(KernelCalibration.decide(0.75, 1.0, 1.2));
        // 0.6: dense by the rule; compressed only when more than 15% faster
        assertFalse(KernelCalibration.decide(0.6, 1.0, 0.9));
        assertTrue(KernelCalibration.decide(0.6, 1.0, 0.8));
    }

    @Test
    void theCacheReturnsWhatWasStoredUnderTheSameKeyOnly(@TempDir Path dir) throws Exception {
        String key = KernelCalibration.key(96, 64, 0.75);
        assertNull(KernelCalibration.cached(dir, key, 96, 64, 0.75), "empty cache");
        KernelCalibration.store(dir, key, new KernelCalibration.Choice(96, 64, 0.75, true, 0.004, 0.002, "measured"));
        KernelCalibration.store(dir, KernelCalibration.key(96, 64, 0.9),
                new KernelCalibration.Choice(96, 64, 0.9, false, 0.001, 0.003, "measured"));
        KernelCalibration.Choice c = KernelCalibration.cached(dir, key, 96, 64, 0.75);
        assertTrue(c.compressed());
        assertEquals(0.004, c.denseSeconds());
        assertEquals(0.002, c.compressedSeconds());
        assertTrue(c.how().startsWith("cached"), c.how());
        assertFalse(KernelCalibration.cached(dir, KernelCalibration.key(96, 64, 0.9), 96, 64, 0.9).compressed());
        // storing a key again replaces its line
        KernelCalibration.store(dir, key, new KernelCalibration.Choice(96, 64, 0.75, false, 0.001, 0.002, "measured"));
        assertFalse(KernelCalibration.cached(dir, key, 96, 64, 0.75).compressed());
        assertEquals(2, Files.readAllLines(dir.resolve("kernel-choice.tsv")).size());
    }

    @Test
    void theKeyNamesTheVectorWidthThreadsShapeAndSparsity() {
        String key = KernelCalibration.key(3072, 768, 0.75);
        assertTrue(key.contains(Simd.describe()), key);
        assertTrue(key.contains("threads " + Parallel.threads()), key);
        assertTrue(key.contains("|3072x768|0.750|"), key);
        assertNotEquals(key, KernelCalibration.key(768, 3072, 0.75));
    }

    @Test
    void theTestsUseTheFixedThresholdNotTiming() {
        // pom.xml sets -Dmediswift4j.kernel.calibrate=false for the tests
        assertFalse(KernelCalibration.enabled());
        assertTrue(KernelCalibration.choose(64, 64, 0.75).compressed());
        assertFalse(KernelCalibration.choose(64, 64, 0.5).compressed());
        assertTrue(Double.isNaN(KernelCalibration.choose(64, 64, 0.75).denseSeconds()));
    }
}
