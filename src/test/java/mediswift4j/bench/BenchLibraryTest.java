package mediswift4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The benchmark library computes what it reports: the compressed layer it times gives the dense layer's output,
 * its nonzero count follows the mask rule (SPEC: round(s * n) masked), and every figure is a positive time.
 * Speed itself is never asserted.
 */
class BenchLibraryTest {
    @Test
    void sparseLayerTimingReportsAgreeingForwardAndExactNonzeroCount() {
        List<String> progress = new ArrayList<>();
        var o = new SparseLayerTiming.Options(24, 40, 19, List.of(0.0, 0.75), 2, 7, "auto");
        SparseLayerTiming.Result r = SparseLayerTiming.measure(o, 1, progress::add);
        assertEquals(2, r.rows().size());
        assertEquals(2, progress.size());
        assertEquals(24 * 40, r.rows().get(0).nnz());
        assertEquals(24 * 40 - 720, r.rows().get(1).nnz()); // floor(0.75 * 960 + 0.5) = 720 masked
        for (SparseLayerTiming.Row row : r.rows()) {
            assertTrue(row.maxRelDiffForward() < 1e-5, "forward differs: " + row.maxRelDiffForward());
            assertTrue(row.sparse().total() > 0 && row.dense().total() > 0);
        }
        Map<String, Object> json = r.json();
        assertEquals("sparse", json.get("bench"));
        assertEquals(24, json.get("out"));
    }

    @Test
    void matmulThroughputCountsTwoNCubedFlops() {
        var r = MatmulThroughput.measure(new MatmulThroughput.Options(33, false, true, 3, 1), 1, s -> {});
        assertEquals(1, r.warmupCallsMade());
        assertTrue(r.medianSeconds() > 0 && r.minSeconds() <= r.medianSeconds());
        assertEquals(2.0 * 33 * 33 * 33 / r.medianSeconds() / 1e9, r.gflops(), 1e-9);
        assertEquals("NT", r.json().get("trans"));
    }

    @Test
    void matmulThroughputOfARectangularShapeCountsTwoMkn() {
        // a layer's shape in training: C (m x n) = A (m x k) B^T, B stored n x k
        var r = MatmulThroughput.measure(new MatmulThroughput.Options(20, 7, 13, false, true, 3, 1), 1, s -> {});
        assertEquals(2.0 * 20 * 7 * 13 / r.medianSeconds() / 1e9, r.gflops(), 1e-9);
        assertEquals("20x7x13", r.json().get("shape"));
        assertEquals(null, r.json().get("size"));
    }

    @Test
    void benchMatmulTakesAShapeAndRefusesAMalformedOne() {
        var out = new java.io.ByteArrayOutputStream();
        var err = new java.io.ByteArrayOutputStream();
        int code = mediswift4j.cli.Main.run(new String[] {"bench", "matmul", "--shape", "9x5x7", "--reps", "1", "--warmup", "1",
                "--threads", "1", "--json"}, new java.io.PrintStream(out, true), new java.io.PrintStream(err, true));
        assertEquals(0, code, err.toString()); // (the JSON goes to System.out; its fields are checked above)
        for (String bad : new String[] {"9x5", "9x0x7", "9xfivex7"}) {
            err.reset();
            code = mediswift4j.cli.Main.run(new String[] {"bench", "matmul", "--shape", bad}, new java.io.PrintStream(out, true),
                    new java.io.PrintStream(err, true));
            assertEquals(2, code, bad);
            assertTrue(err.toString().contains("--shape"), err.toString());
        }
    }
}
