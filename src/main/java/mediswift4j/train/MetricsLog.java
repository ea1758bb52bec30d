package mediswift4j.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import mediswift4j.io.AtomicFiles;
import mediswift4j.io.Json;
import mediswift4j.util.InputException;

/**
 * The metrics files of pre-training and fine-tuning (metrics.jsonl): JSON Lines, one object per line with a
 * "step" field, flushed as written so a killed run leaves every finished line.
 */
public final class MetricsLog {
    /** The file's name in a run directory. */
    public static final String FILE_NAME = "metrics.jsonl";

    private MetricsLog() {}

    public static void writeLine(Writer w, Map<String, Object> m) {
        AtomicFiles.beforeCommit();
        try {
            w.write(Json.write(m));
            w.write('\n');
            w.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * On resume, drops the lines after `step` (a crashed run may have logged past its last checkpoint), blank
     * lines and lines that are not a JSON object with a step; nothing when the file does not exist.
     */
    public static void trimAfter(Path metrics, long step) throws IOException {
        if (!Files.exists(metrics)) return;
        StringBuilder kept = new StringBuilder();
        for (String line : Files.readAllLines(metrics, StandardCharsets.UTF_8)) {
            if (line.isBlank()) continue;
            long s;
            try {
                s = Json.asLong(Json.asObject(Json.parse(line, metrics.toString()), metrics.toString()).get("step"), metrics.toString());
            } catch (InputException e) {
                continue;
            }
            if (s <= step) kept.append(line).append('\n');
        }
        AtomicFiles.writeString(metrics, kept.toString());
    }
}
