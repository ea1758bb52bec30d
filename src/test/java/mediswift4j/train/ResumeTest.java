package mediswift4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import mediswift4j.data.TokenFile;
import mediswift4j.nn.ModelConfig;
import mediswift4j.optim.AdamW;
import mediswift4j.util.InputException;
import mediswift4j.util.Rng;

/** N steps in one run equal N/2 steps, a checkpoint, a resume and N/2 more: bit for bit. */
class ResumeTest {
    @TempDir
    Path dir;

    static final ModelConfig TINY = new ModelConfig("resume-tiny", 2, 16, 2, 8, 23);

    static TokenFile data() {
        Rng rng = new Rng(11);
        int[] ids = new int[600];
        for (int i = 0; i < ids.length; i++) ids[i] = i % 4 == 0 ? rng.nextInt(23) : (ids[i - 1] * 3 + 1) % 23;
        return new TokenFile(23, ids, TokenFile.validationStart(ids.length, 0.1));
    }

    static TrainSettings settings(int steps, int accum, double sparsity) {
        return new TrainSettings(steps, 3, 7, accum, 1e-2, 2, 1.0, 0f, 2, 4, 0, 42, sparsity, AdamW.DEFAULTS);
    }

    @Test
    void resumeIsBitExact() throws Exception {
        for (double s : new double[] {0.0, 0.5}) {
            for (int accum : new int[] {1, 2}) {
                TokenFile data = data();
                int n = 6;
                List<Float> oneRunLosses = new ArrayList<>();
                Trainer one = Trainer.fresh(TINY, data, settings(n, accum, s), null);
                one.run(n, dir.resolve("one"), new Trainer.Progress() {
                    @Override
                    public void step(Trainer.StepReport r) {
                        oneRunLosses.add(r.loss());
                    }
                });

                List<Float> split = new ArrayList<>();
                Trainer.Progress rec = new Trainer.Progress() {
                    @Override
                    public void step(Trainer.StepReport r) {
                        split.add(r.loss());
                    }
                };
                Trainer first = Trainer.fresh(TINY, data, settings(n, accum, s), null);
                first.run(n / 2, dir.resolve("half"), rec);
                Checkpoint.Loaded ck = Checkpoint.load(dir.resolve("half"));
                assertEquals(n / 2, ck.state().step);
                Trainer second = Trainer.resume(ck, data, ck.settings());
                second.run(n, dir.resolve("half"), rec);

                assertEquals(oneRunLosses, split, "losses, sparsity " + s + " accum " + accum);
                assertEquals(Checkpoint.parameterHash(one.model()), Checkpoint.parameterHash(second.model()));
                for (int i = 0; i < one.model().parameters().size(); i++) {
                    assertArrayEquals(one.optimizer().firstMoment(i), second.optimizer().firstMoment(i));
                    assertArrayEquals(one.optimizer().secondMoment(i), second.optimizer().secondMoment(i));
                }
                assertEquals(one.state().dataRngState, second.state().dataRngState);
                assertEquals(one.state().tokensSeen, second.state().tokensSeen);
                assertNotEquals(oneRunLosses.get(0), oneRunLosses.get(n - 1));
            }
        }
    }

    @Test
    void checkpointRoundTripsAndRejectsDamage() throws Exception {
        TokenFile data = data();
        Trainer t = Trainer.fresh(TINY, data, settings(2, 1, 0.75), null);
        t.state().tokenizer = "tok-dir";
        t.run(2, dir, null);
        Checkpoint.Loaded ck = Checkpoint.load(dir);
        assertEquals(Checkpoint.parameterHash(t.model()), Checkpoint.parameterHash(ck.model()));
        assertEquals("tok-dir", ck.state().tokenizer);
        assertEquals(4 * TINY.layers(), ck.masks().size());
        assertEquals(settings(2, 1, 0.75), ck.settings());

        Path f = Checkpoint.file(dir);
        byte[] bytes = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(bytes, bytes.length - 100));
        InputException e = assertThrows(InputException.class, () -> Checkpoint.load(dir));
        assertTrue(e.getMessage().contains("checkpoint.bin") && e.getMessage().contains("truncated"), e.getMessage());

        byte[] bad = bytes.clone();
        bad[bad.length - 500] ^= 0x10;
        Files.write(f, bad);
        e = assertThrows(InputException.class, () -> Checkpoint.load(dir));
        assertTrue(e.getMessage().contains("checkpoint.bin") && e.getMessage().contains("checksum"), e.getMessage());

        bad = bytes.clone();
        bad[20] = '!'; // inside the JSON header
        Files.write(f, bad);
        e = assertThrows(InputException.class, () -> Checkpoint.load(dir));
        assertTrue(e.getMessage().contains("checkpoint.bin"), e.getMessage());

        e = assertThrows(InputException.class, () -> Checkpoint.load(dir.resolve("nowhere")));
        assertTrue(e.getMessage().contains("nowhere"), e.getMessage());
    }

    @Test
    void flopsFollowTheConvention() {
        ModelConfig c = new ModelConfig("f", 2, 4, 1, 8, 10);
        // per layer: 24 C^2 (1 - s) + 4 T C; LM head 2 C V; training 3x.
        assertEquals(3 * (2 * (24 * 16 * 0.5 + 4 * 8 * 4) + 2 * 4 * 10), mediswift4j.flops.FlopCounter.count(c, 8, 0.5).perToken(), 1e-9);
    }
}
