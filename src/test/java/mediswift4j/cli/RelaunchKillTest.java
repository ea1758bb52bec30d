package mediswift4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.module.ModuleFinder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import mediswift4j.data.TokenFile;
import mediswift4j.tensor.Simd;
import mediswift4j.train.Checkpoint;
import mediswift4j.util.Rng;

/**
 * Issue 17 row 4: `kill -9` of the `java -jar` process must stop the relaunched child JVM at once (the child
 * watches its parent every JvmRelaunch.WATCH_MILLIS and once more before each commit), and the checkpoint on
 * disk must be the one the last printed "checkpoint" line names. Before the fix the child trained on for 1.5-2 s.
 */
class RelaunchKillTest {
    @TempDir
    Path dir;

    private static final Pattern CHECKPOINT_LINE = Pattern.compile("step (\\d+)  checkpoint .*");

    @Test
    void killedParentTakesTheChildWithItAndTheLastLineMatchesTheDisk() throws Exception {
        assumeTrue(ModuleFinder.ofSystem().find(Simd.MODULE).isPresent(), "no Vector API module: no relaunch to test");
        Rng rng = new Rng(3);
        int[] ids = new int[20_000];
        for (int i = 0; i < ids.length; i++) ids[i] = rng.nextInt(50);
        Path tokens = dir.resolve("d.tokens");
        new TokenFile(50, ids, TokenFile.validationStart(ids.length, 0.05)).write(tokens);
        Path run = dir.resolve("run");
        Path classes = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Process parent = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", classes.toString(), Main.class.getName(), "pretrain", "--config", "mediswift-tiny", "--steps", "100000",
                "--batch", "4", "--seq-len", "64", "--data", tokens.toString(), "--checkpoint-every", "1", "--eval-every", "0",
                "--threads", "1", "--out", run.toString())
                .redirectOutput(dir.resolve("stdout.txt").toFile()).start();
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(parent.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) lines.add(l);
            } catch (Exception e) {
                // the parent died: the stream ends
            }
        });
        reader.start();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (checkpoints(lines) < 3 && parent.isAlive() && System.nanoTime() < deadline) Thread.sleep(5);
        assertTrue(checkpoints(lines) >= 3, "no checkpoints printed: " + lines);
        ProcessHandle child = parent.toHandle().children().findFirst().orElseThrow();

        parent.destroyForcibly(); // SIGKILL: no shutdown hook runs in the parent
        long t0 = System.nanoTime();
        parent.waitFor();
        while (running(child) && System.nanoTime() - t0 < 5_000_000_000L) Thread.sleep(1);
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(!running(child), "the child outlived its parent by 5 s");
        reader.join(5000);
        System.out.println("relaunched child stopped " + millis + " ms after its parent was killed");
        assertTrue(millis < 1000, "the child lived " + millis + " ms after its parent (target: 100 ms)");

        long printed = -1;
        for (String l : lines) {
            Matcher m = CHECKPOINT_LINE.matcher(l);
            if (m.matches()) printed = Long.parseLong(m.group(1));
        }
        assertEquals(printed, Checkpoint.load(run).state().step, "the last printed checkpoint line must match the file on disk");
        assertTrue(parent.waitFor(1, TimeUnit.SECONDS));
    }

    /**
     * Still running: alive and, on Linux, not a zombie (a halted child waits as a zombie until whatever adopted it
     * reaps it, which in a container's init can take a second or more; it runs no code meanwhile).
     */
    private static boolean running(ProcessHandle p) {
        if (!p.isAlive()) return false;
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException | RuntimeException e) {
            return p.isAlive();
        }
    }

    private static long checkpoints(List<String> lines) {
        return lines.stream().filter(l -> CHECKPOINT_LINE.matcher(l).matches()).count();
    }
}
