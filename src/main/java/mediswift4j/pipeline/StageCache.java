package mediswift4j.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import mediswift4j.io.AtomicFiles;
import mediswift4j.io.Json;
import mediswift4j.util.InputException;

/**
 * Lets a killed `reproduce` continue where it stopped. Each stage (tokenizer and token file, one pre-training
 * run, one fine-tuning run) lives in its own directory of the output folder and ends by writing STAGE/stage.json:
 *
 *   {"key": SHA-256 of the stage's inputs and settings, "result": what the stage produced (JSON)}
 *
 * A later run with the same --out computes the key again; an equal key means the stage is done and its result is
 * reused, anything else (no file, another key, an unreadable file) means it runs again. The key covers everything
 * the stage's numbers depend on: the plan's fields, seeds, the SHA-256 of input files and the keys of the stages
 * it reads, so changing one setting recomputes exactly what depends on it. stage.json is written atomically and
 * last, after the stage's own files, so a stage killed half-way never looks finished.
 */
final class StageCache {
    static final String FILE = "stage.json";

    private StageCache() {}

    /** The key of a stage: SHA-256 (hex) of the canonical JSON of its description. */
    static String key(Map<String, Object> description) {
        return sha256(Json.write(description).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The stored result of a finished stage with this key, or null when it has to run. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> finished(Path stageDir, String key) {
        Path f = stageDir.resolve(FILE);
        if (!Files.isRegularFile(f)) return null;
        try {
            Map<String, Object> m = Json.asObject(Json.read(f), f.toString());
            if (!key.equals(m.get("key"))) return null;
            Object r = m.get("result");
            return r instanceof Map ? (Map<String, Object>) r : null;
        } catch (InputException e) {
            return null; // a damaged stage file only means the stage runs again
        }
    }

    /** Marks a stage finished with its result. */
    static void finish(Path stageDir, String key, Map<String, Object> result) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", key);
        m.put("result", result);
        Files.createDirectories(stageDir);
        AtomicFiles.writeString(stageDir.resolve(FILE), Json.write(m, 1, false) + "\n");
    }

    /** SHA-256 (hex) of a file's bytes; a directory stands for its regular files, sorted by name. */
    static String fileHash(Path p) {
        MessageDigest sha = digest();
        try {
            List<Path> files = Files.isDirectory(p)
                    ? Files.list(p).filter(Files::isRegularFile).sorted().toList()
                    : List.of(p);
            byte[] buf = new byte[1 << 16];
            for (Path f : files) {
                if (files.size() > 1) sha.update(f.getFileName().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                try (InputStream in = Files.newInputStream(f)) {
                    for (int n; (n = in.read(buf)) > 0; ) sha.update(buf, 0, n);
                }
            }
        } catch (IOException e) {
            throw new InputException(p + ": cannot read (" + e.getMessage() + ")");
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
