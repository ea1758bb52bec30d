package mediswift4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import mediswift4j.data.TokenFile;
import mediswift4j.util.BadRequest;
import mediswift4j.util.InputException;
import mediswift4j.util.Rng;

/** TrainingRun's resume policy and checks, and MetricsLog's trimming, without the CLI. */
class TrainingRunTest {
    @TempDir
    Path dir;

    Path tokens() throws java.io.IOException {
        return tokens(400);
    }

    Path tokens(int n) throws java.io.IOException {
        Rng rng = new Rng(3);
        int[] ids = new int[n];
        for (int i = 0; i < ids.length; i++) ids[i] = rng.nextInt(30);
        Path p = dir.resolve("d" + n + ".tok");
        new TokenFile(30, ids, TokenFile.validationStart(ids.length, 0.1)).write(p);
        return p;
    }

    static TrainingRun.Request request(Path resume, String config, Integer steps, Integer seqLen, Double sparsity, List<String> data) {
        return new TrainingRun.Request(resume, config, sparsity, steps, 1, seqLen, null, null, null, null, 0f, 0.0, 1.0, null, 2, 0,
                data, null, null);
    }

    @Test
    void resumedRunKeepsItsSettingsAndRefusesChangedOnes() throws Exception {
        Path out = dir.resolve("run");
        TrainingRun first = TrainingRun.open(request(null, "mediswift-tiny", 4, 4, 0.5, List.of(tokens().toString())), out, null);
        first.start();
        TrainingRun.Result r = first.train(2, new Trainer.Progress() {});
        assertEquals(2, r.step());
        assertEquals(4, Files.readAllLines(r.metrics()).size(), "two steps, each validated (eval-every defaults to 10% of 4 steps: 1)");

        BadRequest e = assertThrows(BadRequest.class, () -> TrainingRun.open(request(out, null, null, null, 0.75, List.of()), out, null));
        assertEquals("--sparsity 0.75 differs from the checkpoint's 0.5 (a resumed run keeps its settings; omit the option)", e.getMessage());
        assertThrows(BadRequest.class, () -> TrainingRun.open(request(out, null, null, 8, null, List.of()), out, null));

        TrainingRun resumed = TrainingRun.open(request(out, "mediswift-tiny", 6, 4, 0.5, List.of()), out, null);
        assertEquals(6, resumed.settings().steps(), "the schedule's length may change");
        assertEquals(4, resumed.settings().seqLen());
        resumed.start();
        assertEquals(2, resumed.startStep());
    }

    @Test
    void freshRunChecksBeforeBuildingAModel() throws Exception {
        List<String> data = List.of(tokens().toString());
        BadRequest context = assertThrows(BadRequest.class, () -> TrainingRun.open(request(null, "mediswift-tiny", 2, 4096, null, data), dir, null));
        assertTrue(context.getMessage().startsWith("--seq-len 4096 exceeds the context length 128 of mediswift-tiny"), context.getMessage());
        assertThrows(BadRequest.class, () -> TrainingRun.open(request(null, null, 2, 4, null, data), dir, null));
        assertThrows(BadRequest.class, () -> TrainingRun.open(request(null, "mediswift-tiny", null, 4, null, data), dir, null));
        assertThrows(BadRequest.class, () -> TrainingRun.open(request(null, "mediswift-tiny", 2, 4, null, List.of()), dir, null));
        List<String> few = List.of(tokens(100).toString());
        InputException small = assertThrows(InputException.class, () -> TrainingRun.open(request(null, "mediswift-tiny", 2, 128, null, few), dir, null));
        assertTrue(small.getMessage().startsWith(few.get(0) + ": the training split has"), small.getMessage());
    }

    @Test
    void metricsAreTrimmedToTheCheckpointsStep() throws Exception {
        Path m = dir.resolve("metrics.jsonl");
        Files.writeString(m, "{\"step\":1,\"loss\":2.0}\n\n{\"step\":2,\"val_loss\":1.5}\nnot json\n{\"step\":3,\"loss\":1.0}\n", StandardCharsets.UTF_8);
        MetricsLog.trimAfter(m, 2);
        assertEquals(List.of("{\"step\":1,\"loss\":2.0}", "{\"step\":2,\"val_loss\":1.5}"), Files.readAllLines(m));
        MetricsLog.trimAfter(dir.resolve("absent.jsonl"), 0);
        assertTrue(Files.notExists(dir.resolve("absent.jsonl")));
    }
}
