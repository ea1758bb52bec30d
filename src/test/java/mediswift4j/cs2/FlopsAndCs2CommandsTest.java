package mediswift4j.cs2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import mediswift4j.cli.Main;
import mediswift4j.io.Json;

/** The `flops` and `cs2` commands end to end: JSON shape, the paper's 75% column, tables, usage errors. */
class FlopsAndCs2CommandsTest {

    /** Runs a command line; returns {exit code, stdout, stderr}. Commands print to System.out. */
    private static Object[] run(String... argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            int code = Main.run(argv, System.out, new PrintStream(err, true, StandardCharsets.UTF_8));
            return new Object[] {code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(saved);
        }
    }

    @Test
    void flopsJsonShowsTheTwoToTwoAndAHalfXColumn() {
        for (String model : List.of("mediswift-med", "mediswift-large", "mediswift-xl")) {
            Object[] r = run("flops", "--config", model, "--seq-len", "2048", "--vocab", "50257", "--tokens", "104.86e9",
                    "--sparsity", "0,0.5,0.75", "--json");
            assertEquals(0, r[0], (String) r[2]);
            Map<String, Object> root = Json.asObject(Json.parse((String) r[1], "stdout"), "root");
            List<Object> results = Json.asArray(root.get("results"), "results");
            assertEquals(3, results.size());
            Map<String, Object> s75 = Json.asObject(results.get(2), "results[2]");
            assertEquals(0.75, Json.asNumber(s75.get("sparsity"), "sparsity"), 0);
            double reduction = Json.asNumber(s75.get("reduction"), "reduction");
            // At the paper's precision (one decimal): med is 1.995 unrounded, see FlopCounterTest.
            assertTrue(Math.round(reduction * 10) / 10.0 >= 2.0 && reduction <= 2.5, model + " " + reduction);
            List<Object> layers = Json.asArray(s75.get("layers_per_token"), "layers");
            assertEquals(24 + 2, layers.size());
        }
    }

    @Test
    void flopsTableAndCustomShape() {
        Object[] r = run("flops", "--layers", "2", "--d-model", "64", "--heads", "4", "--seq-len", "32", "--vocab", "100");
        assertEquals(0, r[0], (String) r[2]);
        String text = (String) r[1];
        assertTrue(text.contains("reduction") && text.contains("attn.scores") && text.contains("lm_head"), text);
    }

    @Test
    void cs2JsonAndTable() {
        Object[] r = run("cs2", "--config", "mediswift-xl", "--sparsity", "0,0.75", "--batch", "64", "--seq-len", "2048", "--json");
        assertEquals(0, r[0], (String) r[2]);
        Map<String, Object> root = Json.asObject(Json.parse((String) r[1], "stdout"), "root");
        List<Object> results = Json.asArray(root.get("results"), "results");
        double speedup = Json.asNumber(Json.asObject(results.get(1), "r").get("speedup_over_dense"), "speedup");
        assertTrue(speedup > 1, "speedup " + speedup);
        Object[] t = run("cs2", "--config", "mediswift-med", "--sparsity", "0.5", "--batch", "8", "--hw", "utilisation=0.4");
        assertEquals(0, t[0], (String) t[2]);
        assertTrue(((String) t[1]).contains("ASSUMPTION"));
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(2, run("flops", "--seq-len", "2048")[0]);                               // no model
        assertEquals(2, run("flops", "--config", "mediswift-med", "--sparsity", "1.0")[0]);
        assertEquals(2, run("flops", "--config", "mediswift-med", "--sparsty", "0.5")[0]);   // typo
        assertEquals(2, run("flops", "--config", "nope")[0]);
        assertEquals(2, run("flops", "--layers", "2", "--d-model", "30", "--heads", "4")[0]); // 30 % 4 != 0
        assertEquals(2, run("cs2", "--config", "mediswift-med")[0]);                          // no batch
        assertEquals(2, run("cs2", "--config", "mediswift-med", "--batch", "4", "--hw", "warp=1")[0]);
    }
}
