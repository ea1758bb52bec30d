package mediswift4j.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import mediswift4j.cli.Main;
import mediswift4j.io.Json;
import mediswift4j.train.Checkpoint;
import mediswift4j.util.InputException;
import mediswift4j.util.Rng;

/**
 * Issue item 1: `pretrain` killed with SIGKILL at random moments, then resumed, ends with exactly the parameters
 * of an uninterrupted run, and no kill ever leaves a checkpoint that fails to load.
 *
 * Each launch is a child JVM (`java -cp target/classes mediswift4j.cli.Main pretrain ...`, checkpoint every step)
 * killed after a delay drawn from Rng uniformly in [0, D], D the measured duration of the uninterrupted run, so
 * kills land in JVM start-up, in steps, in metric writes and in checkpoint writes. After every kill:
 * checkpoint.bin is absent (killed before the first save) or loads and verifies, and its step never goes back;
 * temporary files of an interrupted write may be present and are ignored. The next launch resumes (or starts
 * afresh when no checkpoint exists yet). When a launch finishes, the final parameters_sha256 (as `checkpoint info`
 * computes it) and the step/loss lines of metrics.jsonl must equal the uninterrupted run's, and no temporary file
 * may be left. Chains repeat until at least {@link #KILLS} kills have happened.
 */
class CrashSafetyTest {
    static final int KILLS = 20;
    static final int STEPS = 12;
    static final long TIMEOUT_SECONDS = 120;

    @TempDir
    Path dir;

    static List<String> command(String... args) throws Exception {
        Path classes = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                // with the module loaded there is no relaunch, so the kill hits the JVM that trains
                "--add-modules", "jdk.incubator.vector",
                // the fixed dense-or-compressed rule: a timed choice could differ between the reference and the resumed run
                "-Dmediswift4j.kernel.calibrate=false",
                "-cp", classes.toString(), "mediswift4j.cli.Main"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    Process start(Path out, Path tokens, boolean resume) throws Exception {
        List<String> cmd = resume
                ? command("pretrain", "--resume", out.toString(), "--threads", "1")
                : command("pretrain", "--config", "mediswift-tiny", "--steps", String.valueOf(STEPS), "--batch", "2", "--seq-len", "8",
                        "--lr", "1e-3", "--warmup", "2", "--seed", "7", "--sparsity", "0.5", "--eval-every", "5", "--eval-windows", "2",
                        "--data", tokens.toString(), "--out", out.toString(), "--checkpoint-every", "1", "--threads", "1");
        Files.createDirectories(out);
        return new ProcessBuilder(cmd).redirectOutput(out.resolveSibling(out.getFileName() + ".stdout").toFile())
                .redirectError(out.resolveSibling(out.getFileName() + ".stderr").toFile()).start();
    }

    static int finish(Process p) throws Exception {
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            fail("pretrain did not finish within " + TIMEOUT_SECONDS + " s");
        }
        return p.exitValue();
    }

    static String stderrOf(Path out) throws IOException {
        Path f = out.resolveSibling(out.getFileName() + ".stderr");
        return Files.exists(f) ? Files.readString(f) : "";
    }

    /** The (step, loss) and (step, val_loss) lines of metrics.jsonl, in order; wall-clock fields differ by run. */
    static List<String> lossLines(Path out) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve("metrics.jsonl"), StandardCharsets.UTF_8)) {
            Map<String, Object> m = Json.asObject(Json.parse(line, "metrics.jsonl"), "metrics.jsonl");
            lines.add(m.get("step") + (m.containsKey("loss") ? " loss " + m.get("loss") : " val_loss " + m.get("val_loss")));
        }
        return lines;
    }

    static List<String> temporaries(Path out) throws IOException {
        if (!Files.isDirectory(out)) return List.of();
        try (var files = Files.list(out)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).sorted().toList();
        }
    }

    @Test
    void killedAndResumedRunsEndWithTheUninterruptedParameters() throws Exception {
        Path tokens = dir.resolve("tokens.bin");
        TinyRuns.tokens(97, 4000, 13).write(tokens);

        // the uninterrupted reference
        Path ref = dir.resolve("reference");
        long t0 = System.nanoTime();
        int code = finish(start(ref, tokens, false));
        double duration = (System.nanoTime() - t0) / 1e9;
        assertEquals(0, code, stderrOf(ref));
        String refHash = Checkpoint.parameterHash(Checkpoint.load(ref).model());
        Process info = new ProcessBuilder(command("checkpoint", "info", ref.toString(), "--json"))
                .redirectError(dir.resolve("info.stderr").toFile()).start();
        String infoJson = new String(info.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, finish(info), infoJson);
        assertEquals(refHash, Json.asObject(Json.parse(infoJson, "checkpoint info"), "info").get("parameters_sha256"));
        List<String> refLosses = lossLines(ref);
        assertEquals(STEPS + 3, refLosses.size(), refLosses.toString()); // 12 steps, validation at 5, 10 and the end

        Rng rng = new Rng(20240601);
        int kills = 0, chains = 0, launches = 0, killedBeforeFirstCheckpoint = 0, tempSeen = 0, finishedEarly = 0;
        List<Long> stepsAtKill = new ArrayList<>();
        while (kills < KILLS) {
            chains++;
            Path out = dir.resolve("chain" + chains);
            long lastStep = -1;
            while (true) {
                boolean resume = Files.isRegularFile(Checkpoint.file(out));
                Process p = start(out, tokens, resume);
                launches++;
                long delayMillis = (long) (rng.nextDouble() * duration * 1000);
                boolean exited = p.waitFor(delayMillis, TimeUnit.MILLISECONDS);
                if (exited) {
                    assertEquals(0, p.exitValue(), stderrOf(out));
                    if (kills > 0 && delayMillis > 0) finishedEarly++;
                    break;
                }
                p.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no finally blocks
                p.waitFor();
                kills++;
                tempSeen += temporaries(out).isEmpty() ? 0 : 1;
                if (!Files.isRegularFile(Checkpoint.file(out))) {
                    assertEquals(-1, lastStep, "a checkpoint disappeared after kill " + kills);
                    killedBeforeFirstCheckpoint++;
                    continue;
                }
                Checkpoint.Loaded ck;
                try {
                    ck = Checkpoint.load(out);
                } catch (InputException e) {
                    throw new AssertionError("kill " + kills + " after " + delayMillis + " ms left a checkpoint that does not load: " + e.getMessage()
                            + "; files: " + Files.list(out).toList(), e);
                }
                assertTrue(ck.state().step >= lastStep, "the checkpoint went back from step " + lastStep + " to " + ck.state().step);
                lastStep = ck.state().step;
                stepsAtKill.add(lastStep);
            }
            String hash = Checkpoint.parameterHash(Checkpoint.load(out).model());
            assertEquals(refHash, hash, "chain " + chains + " (killed at checkpoint steps " + stepsAtKill + ")");
            assertEquals(refLosses, lossLines(out), "metrics of chain " + chains);
            assertEquals(List.of(), temporaries(out), "temporary files left after the run finished");
            assertEquals(STEPS, Checkpoint.load(out).state().step);
        }
        System.out.printf("crash safety: %d kills over %d launches in %d chains (reference run %.1f s); %d kills before the first "
                        + "checkpoint, %d with a temporary file present (a write interrupted), checkpoint steps at kills %s%n",
                kills, launches, chains, duration, killedBeforeFirstCheckpoint, tempSeen, stepsAtKill);
    }
}
