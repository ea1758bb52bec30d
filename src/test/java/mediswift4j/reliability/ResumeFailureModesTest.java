package mediswift4j.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import mediswift4j.cli.Main;
import mediswift4j.train.Checkpoint;

/**
 * What `pretrain --resume` does with the states a crash or a user can leave behind: a corrupted checkpoint, a
 * directory holding only a killed writer's temporary file, and different data. Each is exit code 1 with one line
 * naming the problem; none trains on silently.
 */
class ResumeFailureModesTest {
    @TempDir
    Path dir;

    record Result(int code, String stderr) {}

    static Result pretrain(String... args) {
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
        PrintStream saved = System.err;
        List<String> argv = new ArrayList<>(List.of("pretrain"));
        argv.addAll(List.of(args));
        try {
            System.setErr(err); // the command prints its progress on System.err
            int code = Main.run(argv.toArray(new String[0]), new PrintStream(new ByteArrayOutputStream()), err);
            return new Result(code, errBytes.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(saved);
        }
    }

    Path trained(String name, Path tokens) {
        Path out = dir.resolve(name);
        Result r = pretrain("--config", "mediswift-tiny", "--steps", "2", "--batch", "1", "--seq-len", "4", "--data", tokens.toString(),
                "--out", out.toString(), "--stop-after", "1");
        assertEquals(0, r.code(), r.stderr());
        return out;
    }

    @Test
    void corruptedCheckpointIsRefusedByName() throws Exception {
        Path tokens = dir.resolve("tokens.bin");
        TinyRuns.tokens(13, 300, 1).write(tokens);
        Path out = trained("run", tokens);
        Path f = Checkpoint.file(out);
        byte[] b = Files.readAllBytes(f);
        b[b.length / 2] ^= 4;
        Files.write(f, b);
        Result r = pretrain("--resume", out.toString());
        assertEquals(1, r.code(), r.stderr());
        assertTrue(r.stderr().contains("checkpoint.bin") && r.stderr().contains("checksum"), r.stderr());
    }

    @Test
    void onlyATemporaryFileMeansNoCheckpoint() throws Exception {
        Path out = dir.resolve("killed-early");
        Files.createDirectories(out);
        Files.write(out.resolve(".checkpoint.bin.12345.tmp"), new byte[100]);
        Result r = pretrain("--resume", out.toString());
        assertEquals(1, r.code(), r.stderr());
        assertTrue(r.stderr().contains("no checkpoint here"), r.stderr());
    }

    /**
     * A run killed after its last checkpoint, before exiting, is resumed once more: nothing is trained and nothing
     * is logged twice (the end-of-run validation line is written before the final checkpoint, so it is kept, not
     * repeated). Found by CrashSafetyTest: before the fix the resumed run appended a second final val_loss line.
     */
    @Test
    void resumingAFinishedRunLogsNothingTwice() throws Exception {
        Path tokens = dir.resolve("tokens.bin");
        TinyRuns.tokens(13, 300, 1).write(tokens);
        Path out = dir.resolve("done");
        Result r = pretrain("--config", "mediswift-tiny", "--steps", "3", "--batch", "1", "--seq-len", "4", "--eval-every", "2",
                "--data", tokens.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.stderr());
        List<String> metrics = Files.readAllLines(out.resolve("metrics.jsonl"));
        assertEquals(5, metrics.size(), metrics.toString()); // steps 1-3, val at 2 and at the end (3)
        String hash = Checkpoint.parameterHash(Checkpoint.load(out).model());
        r = pretrain("--resume", out.toString());
        assertEquals(0, r.code(), r.stderr());
        assertEquals(metrics, Files.readAllLines(out.resolve("metrics.jsonl")));
        assertEquals(hash, Checkpoint.parameterHash(Checkpoint.load(out).model()));
    }

    @Test
    void differentDataIsRefused() throws Exception {
        Path tokens = dir.resolve("tokens.bin");
        TinyRuns.tokens(13, 300, 1).write(tokens);
        Path out = trained("run", tokens);
        TinyRuns.tokens(13, 320, 1).write(tokens); // the file was replaced by another corpus
        Result r = pretrain("--resume", out.toString());
        assertEquals(1, r.code(), r.stderr());
        assertTrue(r.stderr().contains("same data"), r.stderr());
    }
}
