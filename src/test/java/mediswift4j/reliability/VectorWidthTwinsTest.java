package mediswift4j.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import mediswift4j.tensor.Simd;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * Issue 19: the Vector API twin tests (SIMD kernel against its plain-Java twin, bit for bit) pass at every vector
 * width, not only at the one this machine prefers. The suite runs them at the preferred width; this test runs them
 * again in a child JVM with -XX:MaxVectorSize=16 (4 float lanes, as on NEON) through JUnit's launcher, and, when
 * the machine prefers 16 lanes, once more with -XX:UseAVX=2 (8 lanes). A failure or a skipped test in a child fails
 * here, with the child's report.
 */
class VectorWidthTwinsTest {
    /**
     * The twin tests; each asserts that its Vector API kernel really runs at the child's width. With them
     * PackedLayoutTest, which calls SparseSimd directly: the packed layout (the same at every width) against its
     * definition, and the kernels reading exactly sized packed buffers against the plain twins, which at 4
     * lanes are SparseSimdDots' narrow paths.
     */
    static final String[] TWIN_TESTS = {
        "mediswift4j.tensor.MatmulSimdTest", "mediswift4j.autograd.AttentionSimdTest",
        "mediswift4j.autograd.PointwiseKernelsTest", "mediswift4j.optim.AdamWTest", "mediswift4j.nn.MaskSimdTest",
        "mediswift4j.sparse.SparseSimdTest", "mediswift4j.sparse.SpecOrderTest", "mediswift4j.sparse.PackedLayoutTest",
    };

    /** The child: runs the classes named in args, prints the summary, exits 0 only if all ran and passed. */
    public static void main(String[] args) {
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request();
        for (String c : args) request.selectors(selectClass(c));
        LauncherDiscoveryRequest built = request.build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(built, listener);
        TestExecutionSummary s = listener.getSummary();
        System.out.println("lanes " + Simd.floatLanes());
        s.printTo(new java.io.PrintWriter(System.out, true));
        s.printFailuresTo(new java.io.PrintWriter(System.out, true), 12);
        boolean ok = s.getTotalFailureCount() == 0 && s.getTestsSkippedCount() == 0 && s.getTestsAbortedCount() == 0
                && s.getTestsSucceededCount() > 0;
        System.exit(ok ? 0 : 1);
    }

    @Test
    void twinTestsPassWithFourFloatLanes() throws Exception {
        assertChildPasses(List.of("-XX:MaxVectorSize=16"), 4);
    }

    @Test
    void twinTestsPassWithEightFloatLanesOnAnAvx512Machine() throws Exception {
        if (Simd.floatLanes() == 16) assertChildPasses(List.of("-XX:UseAVX=2"), 8); // else the suite ran at <= 8
    }

    private static void assertChildPasses(List<String> jvmOptions, int lanes) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx1g");
        cmd.add("--add-modules=" + Simd.MODULE);
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(VectorWidthTwinsTest.class.getName());
        cmd.addAll(List.of(TWIN_TESTS));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "child did not finish");
        String report = new String(out, StandardCharsets.UTF_8);
        assertTrue(report.contains("lanes " + lanes + "\n"), "child ran with another width: " + report);
        assertEquals(0, p.exitValue(), report);
    }
}
