package mediswift4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relaunch that gives `java -jar` the Vector API module: a JVM started without the module runs the command in
 * a child that has it (the bench output names the kernel), exit codes pass through, and the JVM's incubator notice
 * is the only stderr line dropped.
 */
class JvmRelaunchTest {
    @TempDir
    Path dir;

    private static final String NOTICE = "WARNING: Using incubator modules: jdk.incubator.vector";

    @Test
    void forwardsStderrWithoutTheNotice() {
        assertEquals("step 1\rstep 2\nerror: x\n", forward(NOTICE + "\nstep 1\rstep 2\nerror: x\n"));
        assertEquals("error: first line kept\nmore\n", forward("error: first line kept\nmore\n"));
        assertEquals("no newline at all", forward("no newline at all"));
        assertEquals("", forward(NOTICE + "\n"));
        assertEquals("", forward(""));
    }

    private static String forward(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JvmRelaunch.forwardStderr(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void plainJvmRunsTheCommandWithTheVectorApi() throws Exception {
        Result r = runWithoutModule("bench", "matmul", "--size", "16", "--reps", "1", "--warmup", "1", "--json");
        assertEquals(0, r.code, r.stderr);
        assertTrue(r.stdout.contains("\"kernel\":\"vector-api\""), r.stdout);
        assertFalse(r.stderr.contains("incubator"), r.stderr);
    }

    @Test
    void switchedOffRunsPlainJavaInTheSameJvm() throws Exception {
        Result r = runWithoutModule("-Dmediswift4j.simd=false", "bench", "matmul", "--size", "16", "--reps", "1",
                "--warmup", "1", "--json");
        assertEquals(0, r.code, r.stderr);
        assertTrue(r.stdout.contains("\"kernel\":\"plain-java\""), r.stdout);
    }

    @Test
    void exitCodesPassThrough() throws Exception {
        assertEquals(2, runWithoutModule("no-such-command").code);
        Result r = runWithoutModule("checkpoint", "info", dir.resolve("missing.ckpt").toString());
        assertEquals(1, r.code);
        assertTrue(r.stderr.startsWith("error: "), r.stderr);
    }

    private record Result(int code, String stdout, String stderr) {}

    /** Runs Main in a fresh JVM without --add-modules; leading -D words become JVM options. */
    private Result runWithoutModule(String... words) throws Exception {
        Path classes = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1"));
        int i = 0;
        while (i < words.length && words[i].startsWith("-D")) cmd.add(words[i++]);
        cmd.addAll(List.of("-cp", classes.toString(), Main.class.getName()));
        for (; i < words.length; i++) cmd.add(words[i]);
        Path out = dir.resolve("out.txt"), err = dir.resolve("err.txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().remove(JvmRelaunch.CHILD_MARK);
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish");
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }
}
