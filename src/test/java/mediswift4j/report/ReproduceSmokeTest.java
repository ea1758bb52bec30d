package mediswift4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import mediswift4j.cli.Main;
import mediswift4j.io.Json;

/**
 * The main job end to end: `reproduce --quick` on corpus-samples/ writes a report with its charts and a
 * results.json holding every section. (The full run is README's first command; this is its two-minute twin.)
 */
class ReproduceSmokeTest {
    @Test
    void quickReproductionWritesReportChartsAndResults(@TempDir Path out) throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"reproduce", "--quick", "--out", out.toString()},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
        assertEquals(0, code, err.toString());
        for (String f : List.of("report.md", "results.json", "loss_vs_step.svg", "loss_vs_flops.svg", "speedup.svg")) {
            assertTrue(Files.size(out.resolve(f)) > 100, f);
        }
        Map<String, Object> r = Json.asObject(Json.read(out.resolve("results.json")), "results.json");
        assertEquals(3, Json.asArray(r.get("pretrain"), "pretrain").size());
        assertEquals(3, Json.asArray(r.get("speedups"), "speedups").size());
        assertEquals(1 + 3 * 2, Json.asArray(r.get("downstream"), "downstream").size()); // majority + 3 sparsities x 2 modes
        assertEquals(9, Json.asArray(r.get("flop_table"), "flop_table").size());
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("## What this run shows, and what it does not"));
        assertTrue(report.contains("![validation loss against step](loss_vs_step.svg)"));
    }
}
