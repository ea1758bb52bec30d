package mediswift4j.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import mediswift4j.data.TokenFile;
import mediswift4j.nn.ModelConfig;
import mediswift4j.optim.AdamW;
import mediswift4j.sparse.CompressedKernel;
import mediswift4j.tensor.Parallel;
import mediswift4j.tensor.Simd;
import mediswift4j.train.Checkpoint;
import mediswift4j.train.TrainSettings;
import mediswift4j.train.Trainer;

/**
 * Issue 19: the same training run gives the same parameters, bit for bit, whatever the CPU's vector width. Forks
 * JVMs of this JDK on this class path with the JVM settings a user's machine amounts to: the default (the widest
 * vectors here), -XX:UseAVX=2 (256-bit vectors, 8 float lanes; only where the default is wider, on an AVX2
 * machine it would repeat the default), -XX:MaxVectorSize=16 (128-bit, 4 lanes, as on NEON), the same with 2
 * threads, and -Dmediswift4j.simd=false (the plain-Java twins). Each child trains three steps dense and three
 * steps 75% sparse (compressed kernels, forced so that no speed calibration can switch a layer to dense) and
 * prints the parameter hashes; all must agree. 16 lanes (AVX-512) run only on such a CPU: there the default child
 * covers them.
 */
class VectorWidthTrainingTest {
    /** Just large enough that every kernel runs its vector paths: 256 tokens (two 128-token chunks), C = 128. */
    static final ModelConfig WIDTHS = new ModelConfig("reliability-widths", 2, 128, 4, 64, 97);

    /** The child (argument: thread count): trains dense and 75% sparse, prints "sparsity hash" lines and its lanes. */
    public static void main(String[] args) throws IOException {
        Parallel.setThreads(Integer.parseInt(args[0]));
        TokenFile data = TinyRuns.tokens(97, 6000, 13);
        StringBuilder out = new StringBuilder("lanes " + Simd.floatLanes() + "\n");
        for (double sparsity : new double[] {0.0, 0.75}) {
            TrainSettings s = new TrainSettings(3, 4, 64, 1, 3e-3, 1, 1.0, 0f, 0, 3, 0, 3, sparsity, AdamW.DEFAULTS);
            Trainer t = Trainer.fresh(WIDTHS, data, s, null);
            if (sparsity > 0) t.model().setKernel(new CompressedKernel(CompressedKernel.Mode.SPARSE));
            t.run(3, null, new Trainer.Progress() {});
            out.append(sparsity).append(' ').append(Checkpoint.parameterHash(t.model())).append('\n');
        }
        System.out.print(out);
    }

    @Test
    void checkpointHashesAreEqualAtEveryVectorWidth() throws Exception {
        Map<String, List<String>> settings = new LinkedHashMap<>();
        settings.put("default, 1 thread", List.of());
        if (Simd.floatLanes() == 16) settings.put("avx2", List.of("-XX:UseAVX=2")); // else the default is AVX2 or less
        settings.put("128-bit", List.of("-XX:MaxVectorSize=16"));
        settings.put("128-bit, 2 threads", List.of("-XX:MaxVectorSize=16", "threads=2"));
        settings.put("plain", List.of("-Dmediswift4j.simd=false"));
        Map<String, Process> children = new LinkedHashMap<>();
        for (var e : settings.entrySet()) children.put(e.getKey(), start(e.getValue()));
        Map<String, String> results = new LinkedHashMap<>();
        for (var e : children.entrySet()) {
            Process p = e.getValue();
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), e.getKey() + ": child did not finish");
            String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), e.getKey() + ": " + stderr);
            results.put(e.getKey(), stdout);
        }
        String lanesDefault = results.get("default, 1 thread").lines().findFirst().orElseThrow();
        assertEquals("lanes 4", results.get("128-bit").lines().findFirst().orElseThrow(), "MaxVectorSize=16 gives 4 lanes");
        String expected = strip(results.get("plain"));
        assertTrue(expected.contains("0.0 ") && expected.contains("0.75 "), expected);
        for (var e : results.entrySet()) {
            assertEquals(expected, strip(e.getValue()), e.getKey() + " (" + lanesDefault + " by default)");
        }
    }

    private static String strip(String childOut) {
        return childOut.lines().filter(l -> !l.startsWith("lanes")).reduce("", (a, b) -> a + b + "\n");
    }

    private static Process start(List<String> jvmOptions) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        cmd.add("-Dmediswift4j.kernel.calibrate=false"); // no timing in tests (the sparse runs force compressed anyway)
        if (!jvmOptions.contains("-Dmediswift4j.simd=false")) cmd.add("--add-modules=" + Simd.MODULE);
        for (String o : jvmOptions) if (o.startsWith("-")) cmd.add(o);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(VectorWidthTrainingTest.class.getName());
        cmd.add(jvmOptions.contains("threads=2") ? "2" : "1");
        return new ProcessBuilder(cmd).start();
    }
}
