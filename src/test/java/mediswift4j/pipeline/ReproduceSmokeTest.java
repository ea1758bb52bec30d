package mediswift4j.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import mediswift4j.cli.Main;
import mediswift4j.io.Json;

/**
 * The main job end to end on corpus-samples/: `reproduce --quick` writes the report, charts and results.json; the
 * evaluated items and baselines match counts taken from the sample files themselves; a second run with the same
 * --out reuses every stage and gives the same numbers (what a killed run relies on to continue).
 */
class ReproduceSmokeTest {
    @Test
    @SuppressWarnings("unchecked")
    void quickReproductionWritesReportAndContinuesFromItsStages(@TempDir Path out) throws Exception {
        String first = run(out);
        for (String f : List.of("report.md", "results.json", "loss_vs_step.svg", "loss_vs_flops.svg", "speedup.svg",
                "downstream_pubmedqa_accuracy.svg", "downstream_hoc_micro_f1.svg")) {
            assertTrue(Files.size(out.resolve(f)) > 100, f);
        }
        Map<String, Object> r = Json.asObject(Json.read(out.resolve("results.json")), "results.json");
        assertEquals("shipped synthetic samples", ((Map<String, Object>) r.get("inputs")).get("kind"));
        assertEquals(3, Json.asArray(r.get("pretrain"), "pretrain").size());
        Map<String, Object> down = (Map<String, Object>) r.get("downstream");
        assertEquals(6, ((List<Object>) down.get("rows")).size()); // 3 sparsities x 2 fine-tuning modes
        assertEquals(9, Json.asArray(r.get("flop_table"), "flop_table").size());

        // The numbers make sense: each pre-training run learned something (its final validation loss is well under
        // ln V, the loss of a uniform guess that a freshly initialised model starts near; on the samples the runs
        // end near 3.6 against ln 1024 = 6.93) and counted its training FLOPs (sparse runs no more than dense).
        double lnV = Math.log(((Number) ((Map<String, Object>) r.get("tokenizer")).get("vocab_size")).doubleValue());
        for (Object o : Json.asArray(r.get("pretrain"), "pretrain")) {
            Map<String, Object> run = (Map<String, Object>) o;
            double v = ((Number) run.get("final_validation_loss")).doubleValue();
            assertTrue(v > 0 && v < lnV - 1, run.get("label") + ": final validation loss " + v + " against ln V " + lnV);
            double actual = ((Number) run.get("training_flops_actual")).doubleValue();
            double dense = ((Number) run.get("training_flops_dense_equivalent")).doubleValue();
            assertTrue(actual > 0 && actual <= dense, run.get("label") + ": FLOPs " + actual + " / " + dense);
        }

        // Expected values from the sample files, counted here: the test set's labels and the always-"yes" score.
        Map<String, Object> gt = Json.asObject(Json.read(Path.of("corpus-samples/pubmedqa/test_ground_truth.json")), "gt");
        long yes = gt.values().stream().filter("yes"::equals).count();
        Map<String, Object> pqTest = (Map<String, Object>) ((Map<String, Object>) down.get("pubmedqa")).get("test");
        assertEquals((long) gt.size(), pqTest.get("full"));
        assertEquals(yes, ((Map<String, Object>) pqTest.get("labels_full")).get("yes"));
        Map<String, Object> majority = (Map<String, Object>) ((List<Object>) down.get("baselines")).get(0);
        assertEquals((double) yes / gt.size(), (Double) ((Map<String, Object>) majority.get("full_test")).get("accuracy"), 1e-12);

        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("## What this run shows, and what it does not"));
        assertTrue(report.contains("![validation loss against step](loss_vs_step.svg)"));

        String second = run(out);
        assertTrue(second.contains("(reused)"), second);
        assertTrue(!second.contains("[pretrain dense] step"), "no pre-training step runs again");
        Map<String, Object> again = Json.asObject(Json.read(out.resolve("results.json")), "results.json");
        assertEquals(r.get("pretrain"), again.get("pretrain"));
        assertEquals(r.get("downstream"), again.get("downstream"));
        assertTrue(first.length() > second.length());
    }

    /** Runs `reproduce --quick` and returns what it printed on stderr (the command prints its progress on System.err). */
    private static String run(Path out) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream savedErr = System.err;
        int code;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = Main.run(new String[] {"reproduce", "--quick", "--out", out.toString()},
                    new PrintStream(new ByteArrayOutputStream()), System.err);
        } finally {
            System.setErr(savedErr);
        }
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        return err.toString(StandardCharsets.UTF_8);
    }
}
