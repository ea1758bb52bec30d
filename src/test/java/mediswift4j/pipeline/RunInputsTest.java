package mediswift4j.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped-sample hashes are those of the files in corpus-samples/, and user files are never called samples. */
class RunInputsTest {
    @Test
    void shippedSampleHashesAreTheFilesInCorpusSamples() throws Exception {
        Set<String> onDisk = new HashSet<>();
        try (Stream<Path> s = Files.walk(Path.of("corpus-samples"))) {
            for (Path p : s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals("README.md")).toList()) {
                onDisk.add(StageCache.fileHash(p));
            }
        }
        assertEquals(onDisk, RunInputs.SHIPPED_SAMPLES);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aUserFileIsNamedWithItsHashAndNotCalledASample(@TempDir Path dir) throws Exception {
        Path corpus = Files.writeString(dir.resolve("mine.txt"), "My own abstract.\n");
        Map<String, Object> m = RunInputs.describe(List.of(corpus), Path.of("corpus-samples/pubmedqa"), Path.of("corpus-samples/hoc"));
        assertEquals("mixed", m.get("kind"));
        Map<String, Object> f = (Map<String, Object>) ((List<Object>) m.get("corpus")).get(0);
        assertEquals(false, f.get("shipped_sample"));
        assertEquals(17L, f.get("bytes"));
        // SHA-256 of "My own abstract.\n" as printed by sha256sum
        assertEquals("b04bbeec791821e67eceacf467b0015c4069ae53119eeaf5c5a4a1bda887a621", f.get("sha256"));
    }
}
