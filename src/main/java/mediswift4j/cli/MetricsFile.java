package mediswift4j.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Map;

import mediswift4j.io.Json;

/** The metrics files of `pretrain` and `finetune`: JSON Lines, one object per line, flushed as written. */
final class MetricsFile {
    private MetricsFile() {}

    static void writeLine(Writer w, Map<String, Object> m) {
        try {
            w.write(Json.write(m));
            w.write('\n');
            w.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
