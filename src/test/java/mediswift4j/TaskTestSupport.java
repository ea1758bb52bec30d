package mediswift4j;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import mediswift4j.cli.Main;

/**
 * Shared by the PubMedQA, HoC and fine-tuning tests: where the real data is (a skip without it, a failure in CI), running the CLI with
 * captured output, and percentages as published figures quote them.
 */
public final class TaskTestSupport {
    private TaskTestSupport() {}

    /** The real data folder: $MEDISWIFT_DATA if set, else ../shared/data (beside the clone, as in CI). */
    public static Path realDataRoot() {
        String env = System.getenv("MEDISWIFT_DATA");
        return env != null && !env.isEmpty() ? Path.of(env) : Path.of("..", "shared", "data");
    }

    /** realDataRoot()/sub, which must be a directory: see {@link #requireRealData}. */
    public static Path realData(String sub) {
        Path p = realDataRoot().resolve(sub);
        requireRealData(Files.isDirectory(p), "real evaluation data not found at " + p + " (set MEDISWIFT_DATA)");
        return p;
    }

    /**
     * The one rule for tests on the real data: when it is missing the test is skipped on a developer's machine,
     * but fails under CI (environment CI=true), where ../shared/data is always provided, so that data gone missing
     * cannot turn the real-data tests into silent skips.
     */
    public static void requireRealData(boolean present, String whatIsMissing) {
        if (!present && "true".equalsIgnoreCase(System.getenv("CI"))) fail(whatIsMissing + "; CI=true, so the real data is required");
        assumeTrue(present, whatIsMissing);
    }

    public record Result(int code, String out, String err) {}

    /** Main.run with System.out captured too (commands print their results there). */
    public static synchronized Result cli(String... argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        int code;
        try {
            System.setOut(o);
            code = Main.run(argv, o, new PrintStream(err, true, StandardCharsets.UTF_8));
        } finally {
            System.setOut(saved);
        }
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A fraction as a percentage with two decimals, the way published figures are quoted ("55.20"). */
    public static String pct(Object fraction) {
        return String.format(Locale.ROOT, "%.2f", 100 * (Double) fraction);
    }
}
