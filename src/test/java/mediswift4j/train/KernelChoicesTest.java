package mediswift4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import mediswift4j.data.TokenFile;
import mediswift4j.nn.ModelConfig;
import mediswift4j.optim.AdamW;
import mediswift4j.sparse.CompressedKernel;
import mediswift4j.util.Rng;

/**
 * A run's dense-or-compressed choices travel with its checkpoint: where AUTO overrode the fixed rule, the header
 * says so, and the loaded model takes exactly those choices (and the fixed rule elsewhere), so a resume continues
 * bit for bit whatever a new measurement would say. The override here is pinned by hand, so nothing depends on timing.
 */
class KernelChoicesTest {
    @TempDir
    Path dir;

    private static final ModelConfig CFG = new ModelConfig("t", 1, 32, 2, 16, 64);

    private static TokenFile data() {
        Rng rng = new Rng(5);
        int[] ids = new int[2000];
        for (int i = 0; i < ids.length; i++) ids[i] = rng.nextInt(64);
        return new TokenFile(64, ids, 1800);
    }

    private static Trainer trainer(int steps) {
        TrainSettings s = new TrainSettings(steps, 2, 16, 1, 1e-3, 0, 1.0, 0f, 0, 1, 0, 7, 0.75, AdamW.DEFAULTS);
        return Trainer.fresh(CFG, data(), s, new TrainState());
    }

    private static CompressedKernel kernel(Trainer t) {
        return (CompressedKernel) t.model().maskedLayers().get(0).kernel();
    }

    @Test
    void anOverrideIsSavedAndPinsTheResumedRun() throws Exception {
        String fcKey = CompressedKernel.shapeKey(128, 32, 0.75);
        // Uninterrupted: 4 steps with the c_fc layers forced dense (an "override" of the fixed rule at 0.75).
        Trainer full = trainer(4);
        kernel(full).pin(Map.of(fcKey, false));
        full.run(4, null, null);
        assertEquals(Map.of(fcKey, false), kernel(full).overrides());

        // Interrupted after 2 steps, saved, loaded, resumed to 4.
        Trainer first = trainer(4);
        kernel(first).pin(Map.of(fcKey, false));
        first.run(2, dir, null);
        Checkpoint.Loaded ck = Checkpoint.load(dir);
        assertTrue(ck.header().containsKey(KernelChoices.FIELD), "header records the override");
        Trainer resumed = Trainer.resume(ck, data(), ck.settings());
        resumed.run(4, null, null);
        assertEquals(Map.of(fcKey, false), kernel(resumed).overrides());
        assertEquals(Checkpoint.parameterHash(full.model()), Checkpoint.parameterHash(resumed.model()));

        // Without the pin the compressed path runs at 0.75 and the bits differ: the choice matters.
        Trainer plain = trainer(4);
        kernel(plain).pin(Map.of());
        plain.run(4, null, null);
        assertTrue(kernel(plain).overrides().isEmpty());
        assertNotEquals(Checkpoint.parameterHash(full.model()), Checkpoint.parameterHash(plain.model()));
    }

    @Test
    void aCheckpointWithoutOverridesPinsTheFixedRule() throws Exception {
        Trainer t = trainer(1);
        kernel(t).pin(Map.of());
        t.run(1, dir, null);
        Checkpoint.Loaded ck = Checkpoint.load(dir);
        assertFalse(ck.header().containsKey(KernelChoices.FIELD));
        CompressedKernel k = (CompressedKernel) ck.model().maskedLayers().get(0).kernel();
        assertTrue(k.compressed(ck.model().maskedLayers().get(0)) != null, "0.75 >= the fixed 0.7: compressed, not measured");
    }
}
