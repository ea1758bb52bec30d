package mediswift4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import mediswift4j.cli.Main;
import mediswift4j.interop.ModelSource;

/**
 * The README's "Use it as a library" example is real: its ```java block is compiled with javax.tools against
 * the library's classes and run on a small freshly trained run; it must print the token count, the mean loss
 * and a continuation.
 */
class ReadmeLibraryExampleTest {
    @TempDir
    Path dir;

    @Test
    void readmeExampleCompilesAndRuns() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int section = readme.indexOf("## Use it as a library");
        assertTrue(section >= 0, "README has no 'Use it as a library' section");
        Matcher m = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(readme.substring(section));
        assertTrue(m.find(), "no ```java block in the section");
        String code = m.group(1);
        Matcher cls = Pattern.compile("public class (\\w+)").matcher(code);
        assertTrue(cls.find());
        Path src = dir.resolve("src/" + cls.group(1) + ".java"), classes = dir.resolve("classes");
        Files.createDirectories(src.getParent());
        Files.createDirectories(classes);
        Files.writeString(src, code);

        String library = Path.of(ModelSource.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int rc = javac.run(null, diagnostics, diagnostics, "-cp", library + File.pathSeparator + System.getProperty("java.class.path"),
                "-d", classes.toString(), src.toString());
        assertEquals(0, rc, diagnostics.toString(StandardCharsets.UTF_8));

        // a run to load: a small tokenizer and one pre-training step of the tiny preset
        Path tok = dir.resolve("tok"), run = dir.resolve("run");
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertEquals(0, Main.run(new String[] {"tokenizer", "train", "--input", "corpus-samples/pubmed-sample.txt", "--vocab-size", "300",
                "--out", tok.toString()}, sink, sink));
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setOut(sink);
            System.setErr(sink);
            assertEquals(0, Main.run(new String[] {"pretrain", "--config", "mediswift-tiny", "--steps", "1", "--batch", "1", "--seq-len", "8",
                    "--data", "corpus-samples/pubmed-sample.txt", "--tokenizer", tok.toString(), "--out", run.toString()}, sink, sink));
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
                loader.loadClass(cls.group(1)).getMethod("main", String[].class).invoke(null, (Object) new String[] {run.toString()});
            }
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.matches("(?s)\\d+ tokens, mean loss \\d+\\.\\d{4}, perplexity \\d+\\.\\d{2}\n.*"), printed);
    }
}
