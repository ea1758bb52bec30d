package mediswift4j.sparse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import mediswift4j.nn.Masks;
import mediswift4j.nn.MaskedLinear;

/**
 * Which path a masked layer takes, as documented: the fixed rule's thresholds including their slack (a mask drawn at
 * exactly 0.7 counts as reaching it), the measured choice overriding the rule only when the other path is MORE than
 * MARGIN times faster, the description printed for a choice, AUTO's overrides and pinning, and KernelCalibration's
 * choice with measuring switched on (below MEASURED_FROM not measured; at it, read from the cache file; otherwise
 * measured and stored) and the cache directory rule. Choices are remembered per JVM by key, and PIT reruns tests in
 * one JVM, so each call here uses a shape no earlier call used.
 */
class KernelChoiceTest {
    /** A new shape for every use, so that no choice remembered from an earlier run in this JVM answers. */
    private static final AtomicInteger NEXT = new AtomicInteger(1000 + (int) (System.nanoTime() % 100_000));

    private static int freshOut() {
        return NEXT.getAndIncrement();
    }

    @Test
    void thresholdsCountAMaskDrawnAtExactlyTheThresholdAsReachingIt() {
        double slack = 1e-9;
        assertTrue(CompressedKernel.pays(0.7 - slack), "0.7 within the slack");
        assertFalse(CompressedKernel.pays(0.7 - 3 * slack));
        assertTrue(CompressedKernel.weightGradientPays(0.7 - slack));
        assertFalse(CompressedKernel.weightGradientPays(0.7 - 3 * slack));
        assertTrue(CompressedKernel.weightGradientPays(0.75));
        assertFalse(CompressedKernel.weightGradientPays(0.5));
        assertEquals(CompressedKernel.Mode.SPARSE, CompressedKernel.Mode.parse("Sparse"));
        assertEquals(CompressedKernel.Mode.AUTO, CompressedKernel.Mode.parse("auto"));
        assertNull(CompressedKernel.Mode.parse("fast"));
    }

    @Test
    void theRuleHoldsWhenTheOtherPathIsExactlyMarginTimesFaster() {
        assertEquals(1.15, KernelCalibration.MARGIN);
        // compressed by the rule at 0.75: dense exactly 1.15 times faster is not more than MARGIN
        assertTrue(KernelCalibration.decide(0.75, 1.0, 1.15));
        // dense by the rule at 0.6: compressed exactly 1.15 times faster is not more than MARGIN
        assertFalse(KernelCalibration.decide(0.6, 1.15, 1.0));
    }

    @Test
    void describeStatesShapeSparsityPathTimesAndSource() {
        assertEquals("768x3072 at 0.750: compressed (dense 4.10 ms, compressed 2.30 ms, measured)",
                new KernelCalibration.Choice(768, 3072, 0.75, true, 0.0041, 0.0023, "measured").describe());
        assertEquals("64x32 at 0.600: dense (fixed threshold 0.7)",
                new KernelCalibration.Choice(64, 32, 0.6, false, Double.NaN, Double.NaN, "fixed threshold 0.7").describe());
    }

    @Test
    void withoutCalibrationTheChoiceIsTheFixedRuleMadeOncePerKey() {
        int out = freshOut();
        KernelCalibration.Choice c = KernelCalibration.choose(out, 41, 0.8);
        assertTrue(c.compressed());
        assertEquals("fixed threshold 0.7", c.how());
        assertSame(c, KernelCalibration.choose(out, 41, 0.8), "the same key answers from memory");
        KernelCalibration.Choice low = KernelCalibration.choose(out, 41, 0.3);
        assertFalse(low.compressed());
        assertEquals("fixed threshold 0.7", low.how(), "the fixed rule, not the measuring branch's 'below 0.5'");
        assertTrue(KernelCalibration.made().contains(c) && KernelCalibration.made().contains(low));
    }

    /** Runs body with measuring switched on and the cache in dir, restoring both properties afterwards. */
    private static void calibrating(Path dir, Runnable body) {
        String calibrate = System.getProperty("mediswift4j.kernel.calibrate"), cache = System.getProperty("mediswift4j.cache.dir");
        System.setProperty("mediswift4j.kernel.calibrate", "true");
        System.setProperty("mediswift4j.cache.dir", dir.toString());
        try {
            body.run();
        } finally {
            restore("mediswift4j.kernel.calibrate", calibrate);
            restore("mediswift4j.cache.dir", cache);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) System.clearProperty(key);
        else System.setProperty(key, value);
    }

    @Test
    void calibratingBelowMeasuredFromRunsDenseAndAtItReadsTheCache(@TempDir Path dir) {
        calibrating(dir, () -> {
            assertTrue(KernelCalibration.enabled());
            assertEquals(dir, KernelCalibration.cacheDir());
            int out = freshOut();
            KernelCalibration.Choice low = KernelCalibration.choose(out, 47, 0.3);
            assertFalse(low.compressed());
            assertEquals("below 0.5, not measured", low.how());
            assertTrue(Double.isNaN(low.denseSeconds()));
            // exactly MEASURED_FROM is measured, here answered by the cache file
            KernelCalibration.store(dir, KernelCalibration.key(out, 47, 0.5),
                    new KernelCalibration.Choice(out, 47, 0.5, true, 0.002, 0.001, "measured"));
            KernelCalibration.Choice at = KernelCalibration.choose(out, 47, 0.5);
            assertTrue(at.compressed());
            assertEquals(0.002, at.denseSeconds());
            assertEquals("cached in " + dir.resolve("kernel-choice.tsv"), at.how());
        });
    }

    @Test
    void calibratingWithoutACachedLineMeasuresAndStores(@TempDir Path dir) {
        calibrating(dir, () -> {
            int out = 16 + freshOut() % 16;
            double sparsity = 0.7 + (freshOut() % 250) / 1000.0;
            KernelCalibration.Choice c = KernelCalibration.choose(out, 24, sparsity);
            assertEquals("measured", c.how());
            KernelCalibration.Choice stored = KernelCalibration.cached(dir, KernelCalibration.key(out, 24, sparsity), out, 24, sparsity);
            assertNotNull(stored, "the measurement is in the cache file");
            assertEquals(c.compressed(), stored.compressed());
            assertEquals(c.denseSeconds(), stored.denseSeconds());
        });
    }

    @Test
    void theCacheDirectoryIsThePropertyElseXdgElseHome(@TempDir Path dir) {
        String cache = System.getProperty("mediswift4j.cache.dir"), home = System.getProperty("user.home");
        String xdg = System.getenv("XDG_CACHE_HOME");
        try {
            System.setProperty("mediswift4j.cache.dir", dir.toString());
            assertEquals(dir, KernelCalibration.cacheDir());
            System.clearProperty("mediswift4j.cache.dir");
            boolean xdgSet = xdg != null && !xdg.isEmpty();
            System.setProperty("user.home", dir.toString());
            assertEquals(xdgSet ? Path.of(xdg, "mediswift4j") : dir.resolve(".cache").resolve("mediswift4j"), KernelCalibration.cacheDir());
            System.clearProperty("user.home");
            if (!xdgSet) assertNull(KernelCalibration.cacheDir(), "no home known: no cache");
        } finally {
            restore("mediswift4j.cache.dir", cache);
            restore("user.home", home);
        }
    }

    static MaskedLinear layer(int out, int in, double sparsity) {
        MaskedLinear l = new MaskedLinear("choice", in, out);
        l.setKeep(Masks.random(5, "choice", out * in, sparsity));
        return l;
    }

    @Test
    void autoRecordsOnlyChoicesThatDifferFromTheRuleAndPinningTakesThem() {
        // 0.5 is dense by the fixed rule, which AUTO follows in the tests (calibration off): nothing to record
        MaskedLinear l = layer(8, 16, 0.5);
        CompressedKernel auto = new CompressedKernel(CompressedKernel.Mode.AUTO);
        assertNull(auto.compressed(l));
        assertTrue(auto.overrides().isEmpty(), auto.overrides().toString());
        // a checkpoint that recorded "compressed" for this shape pins it: the layer is rebuilt compressed
        String key = CompressedKernel.shapeKey(8, 16, 0.5);
        assertEquals("8x16@0.500000", key);
        auto.pin(Map.of(key, true));
        assertNotNull(auto.compressed(l), "pinned to compressed");
        assertEquals(Map.of(key, true), auto.overrides());
        // SPARSE compresses every masked layer by mode, which is no override of AUTO's rule
        CompressedKernel sparse = new CompressedKernel(CompressedKernel.Mode.SPARSE);
        assertNotNull(sparse.compressed(layer(8, 16, 0.5)));
        assertTrue(sparse.overrides().isEmpty(), sparse.overrides().toString());
    }
}
