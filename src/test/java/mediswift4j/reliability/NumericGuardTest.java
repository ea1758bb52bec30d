package mediswift4j.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import mediswift4j.cli.Main;
import mediswift4j.data.TokenFile;
import mediswift4j.tensor.Tensor;
import mediswift4j.train.Checkpoint;
import mediswift4j.train.NumericGuard;
import mediswift4j.train.Trainer;
import mediswift4j.train.TrainingDivergedException;

/**
 * Issue item 3: a NaN or infinity in the loss or in a gradient stops training with a message naming the step and
 * the tensor, before the update; the last checkpoint written stays byte for byte as it was and still loads.
 */
class NumericGuardTest {
    @TempDir
    Path dir;

    @Test
    void nanInAWeightStopsAtTheNextStepAndKeepsTheCheckpoint() throws Exception {
        TokenFile data = TinyRuns.tokens(13, 400, 3);
        Trainer t = Trainer.fresh(TinyRuns.MICRO, data, TinyRuns.settings(10, 1e-2, 1, 0.5), null);
        Path ck = dir.resolve("run");
        t.run(3, ck, null);
        byte[] before = Files.readAllBytes(Checkpoint.file(ck));
        String hashBefore = Checkpoint.parameterHash(t.model());

        t.model().parameter("h.0.mlp.c_fc.bias").data[1] = Float.NaN;
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> t.run(10, ck, null));
        assertEquals(4, e.step());
        assertEquals("loss", e.tensor());
        assertTrue(e.getMessage().contains("step 4") && e.getMessage().contains("NaN") && e.getMessage().contains("loss"), e.getMessage());
        assertEquals(3, t.state().step, "the diverged step is not counted");
        assertArrayEquals(before, Files.readAllBytes(Checkpoint.file(ck)), "the last good checkpoint is untouched");
        assertEquals(hashBefore, Checkpoint.parameterHash(Checkpoint.load(ck).model()));
        try (var files = Files.list(ck)) {
            assertEquals(List.of(Checkpoint.FILE_NAME), files.map(p -> p.getFileName().toString()).filter(n -> !n.equals("metrics.jsonl")).toList());
        }
    }

    @Test
    void infiniteGradientIsNamedByTensorAndStep() {
        Tensor a = Tensor.zeros(2, 3), b = Tensor.zeros(4);
        a.name = "wte.weight";
        b.name = "h.1.ln_2.bias";
        a.grad = new float[6];
        b.grad = new float[] {0f, 1f, Float.NEGATIVE_INFINITY, Float.NaN};
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> NumericGuard.checkStep(17, 2.5, List.of(a, b)));
        assertEquals(17, e.step());
        assertEquals("h.1.ln_2.bias", e.tensor());
        assertTrue(e.getMessage().contains("step 17") && e.getMessage().contains("h.1.ln_2.bias") && e.getMessage().contains("element 2"), e.getMessage());

        b.grad[2] = 0f;
        b.grad[3] = 0f;
        NumericGuard.checkStep(17, 2.5, List.of(a, b)); // all finite: no exception
        assertThrows(TrainingDivergedException.class, () -> NumericGuard.checkStep(3, Double.POSITIVE_INFINITY, List.of(a, b)));
        b.data[0] = Float.POSITIVE_INFINITY;
        e = assertThrows(TrainingDivergedException.class, () -> NumericGuard.checkParameters(9, List.of(a, b)));
        assertTrue(e.getMessage().contains("step 9") && e.getMessage().contains("h.1.ln_2.bias"), e.getMessage());
    }

    /** A learning rate of 1e30 overflows within a few steps: training stops, every checkpoint on disk is finite. */
    @Test
    void hugeLearningRateStopsWithAFiniteCheckpoint() throws Exception {
        TokenFile data = TinyRuns.tokens(13, 400, 4);
        Trainer t = Trainer.fresh(TinyRuns.MICRO, data, TinyRuns.settings(50, 1e30, 1, 0.0), null);
        Path ck = dir.resolve("huge");
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> t.run(50, ck, null));
        assertTrue(e.step() >= 1 && e.step() <= 50, e.getMessage());
        assertTrue(e.getMessage().startsWith("training diverged at step " + e.step()), e.getMessage());
        // One huge step leaves finite weights, the next ones overflow: with a checkpoint every step, the one on
        // disk is that of the step before the failing one, and it is finite.
        assertTrue(e.step() >= 2, "diverged at step " + e.step() + ", before any checkpoint could be written");
        assertTrue(Files.isRegularFile(Checkpoint.file(ck)), "no checkpoint after " + (e.step() - 1) + " finite steps");
        Checkpoint.Loaded loaded = Checkpoint.load(ck);
        assertEquals(e.step() - 1, loaded.state().step);
        for (Tensor p : loaded.model().parameters()) for (float x : p.data) assertTrue(Float.isFinite(x), p.name);
    }

    /**
     * Through the CLI: exit code 1, one line naming the step, the previous checkpoint still loads. `--lr` is
     * range-checked ([0, 10]), so the run to be resumed is started by the library with a learning rate of 1e30 (its
     * first step leaves finite weights); `pretrain --resume` takes the settings from the checkpoint and overflows.
     */
    @Test
    void pretrainCommandExitsOneOnDivergence() throws Exception {
        Path tokens = dir.resolve("tokens.bin");
        TokenFile data = TinyRuns.tokens(13, 400, 5);
        data.write(tokens);
        Path out = dir.resolve("cli");
        Trainer.fresh(TinyRuns.MICRO, data, TinyRuns.settings(30, 1e30, 1, 0.0), null).run(1, out, null);
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
        PrintStream savedErr = System.err;
        int code;
        try {
            System.setErr(err); // the command prints progress on System.err
            code = Main.run(new String[] {"pretrain", "--resume", out.toString(), "--data", tokens.toString(), "--out", out.toString(),
                    "--checkpoint-every", "1"}, new PrintStream(new ByteArrayOutputStream()), err);
        } finally {
            System.setErr(savedErr);
        }
        String stderr = errBytes.toString(StandardCharsets.UTF_8);
        assertEquals(1, code, stderr);
        assertTrue(stderr.contains("error: training diverged at step "), stderr);
        java.util.regex.Matcher at = java.util.regex.Pattern.compile("training diverged at step (\\d+)").matcher(stderr);
        assertTrue(at.find(), stderr);
        long failed = Long.parseLong(at.group(1));
        assertTrue(failed >= 2 && Files.isRegularFile(Checkpoint.file(out)), "diverged at step " + failed + "; checkpoint present: " + Files.isRegularFile(Checkpoint.file(out)));
        Checkpoint.Loaded loaded = Checkpoint.load(out);
        assertEquals(failed - 1, loaded.state().step, "the checkpoint is the last finite step's");
        for (Tensor p : loaded.model().parameters()) for (float x : p.data) assertTrue(Float.isFinite(x), p.name);
    }
}
