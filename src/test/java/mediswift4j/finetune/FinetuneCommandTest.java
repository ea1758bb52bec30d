package mediswift4j.finetune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import mediswift4j.TaskTestSupport;
import mediswift4j.hoc.HocData;
import mediswift4j.hoc.HocLabels;
import mediswift4j.hoc.HocSentence;
import mediswift4j.io.Json;
import mediswift4j.nn.Gpt;
import mediswift4j.optim.AdamW;
import mediswift4j.pubmedqa.PubmedqaRecord;
import mediswift4j.tokenizer.BpeTokenizer;
import mediswift4j.train.Checkpoint;
import mediswift4j.train.Models;
import mediswift4j.train.TrainSettings;
import mediswift4j.train.TrainState;
import mediswift4j.util.InputException;

/** `finetune` and `eval --checkpoint` end to end on tiny synthetic files, fine-tuned model files, exit codes. */
class FinetuneCommandTest {
    @TempDir
    static Path dir;
    static Path tokDir, pretrained, ori, truth, hocDir;

    @BeforeAll
    static void files() throws Exception {
        BpeTokenizer tok = FineTuneFixtures.tokenizer();
        tokDir = dir.resolve("tok");
        tok.save(tokDir);
        Gpt model = FineTuneFixtures.model(tok, 64, 1);
        pretrained = dir.resolve("pre");
        TrainState st = new TrainState();
        st.tokenizer = tokDir.toString();
        Checkpoint.save(pretrained, model, Models.newOptimizer(model, AdamW.DEFAULTS),
                TrainSettings.defaults(1, 1, 64, 1e-3, 0, 1, 0.5), st);

        List<PubmedqaRecord> recs = FineTuneFixtures.pubmedqa(30, 3);
        ori = dir.resolve("ori_pqal.json");
        Files.writeString(ori, Json.write(FineTuneFixtures.oriPqal(recs)));
        Map<String, Object> gt = new LinkedHashMap<>();
        for (PubmedqaRecord r : recs.subList(20, 30)) gt.put(r.pmid(), r.label().text);
        truth = dir.resolve("test_ground_truth.json");
        Files.writeString(truth, Json.write(gt));

        hocDir = dir.resolve("hoc");
        Files.createDirectories(hocDir);
        writeHoc(hocDir.resolve("train.tsv"), FineTuneFixtures.hoc(24, 4));
        writeHoc(hocDir.resolve("test.tsv"), FineTuneFixtures.hoc(9, 5));
    }

    static void writeHoc(Path f, List<HocSentence> ss) throws Exception {
        StringBuilder sb = new StringBuilder(HocData.HEADER).append('\n');
        for (HocSentence s : ss) sb.append(HocLabels.formatFlags(s.labels())).append('\t').append(s.text()).append('\t').append(s.index()).append('\n');
        Files.writeString(f, sb.toString(), StandardCharsets.UTF_8);
    }

    static Map<String, Object> json(String s) {
        return Json.asObject(Json.parse(s, "stdout"), "stdout");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> at(Map<String, Object> m, String... keys) {
        Map<String, Object> cur = m;
        for (String k : keys) cur = (Map<String, Object>) cur.get(k);
        return cur;
    }

    @Test
    void pubmedqaFinetuneThenEvalCheckpointAgree() throws Exception {
        Path out = dir.resolve("ft-pq");
        var r = TaskTestSupport.cli("finetune", "--task", "pubmedqa", "--checkpoint", pretrained.toString(), "--data", ori.toString(),
                truth.toString(), "--out", out.toString(), "--soft-prompt", "2", "--prompt-init", "vocab", "--epochs", "1",
                "--batch", "8", "--threads", "1", "--json");
        assertEquals(0, r.code(), r.err());
        Map<String, Object> test = at(json(r.out()), "eval", "test");
        assertEquals(10L, test.get("n"));
        for (String f : new String[] {"checkpoint.bin", "finetune.bin", "metrics.jsonl", "predictions-test.json"}) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        assertEquals(4, Files.readAllLines(out.resolve("metrics.jsonl")).size(), "3 steps and one evaluation line");

        var e = TaskTestSupport.cli("eval", "pubmedqa", "--data", ori.toString(), "--ground-truth", truth.toString(),
                "--checkpoint", out.toString(), "--json");
        assertEquals(0, e.code(), e.err());
        assertEquals(test.get("accuracy"), json(e.out()).get("accuracy"));
        assertEquals(test.get("confusion"), json(e.out()).get("confusion"));
        var fromFile = TaskTestSupport.cli("eval", "pubmedqa", "--data", ori.toString(), "--ground-truth", truth.toString(),
                "--predictions", out.resolve("predictions-test.json").toString(), "--json");
        assertEquals(0, fromFile.code(), fromFile.err());
        assertEquals(test.get("accuracy"), json(fromFile.out()).get("accuracy"));

        // the checkpoint was tuned for PubMedQA: HoC is refused; a pre-training checkpoint answers zero-shot
        assertEquals(1, TaskTestSupport.cli("eval", "hoc", "--data", hocDir.resolve("test.tsv").toString(), "--checkpoint", out.toString()).code());
        assertEquals(0, TaskTestSupport.cli("eval", "pubmedqa", "--data", ori.toString(), "--ground-truth", truth.toString(),
                "--checkpoint", pretrained.toString(), "--json").code());

        // `score` reads a fine-tuned run as a plain language model (issue 18)
        Path ids = dir.resolve("ids.txt");
        Files.writeString(ids, "5\n7\n11\n13\n");
        var sc = TaskTestSupport.cli("score", "--checkpoint", out.toString(), "--ids", "--input", ids.toString(), "--json");
        assertEquals(0, sc.code(), sc.err());
        assertEquals("fine-tuned", json(sc.out()).get("kind"));
        assertEquals(3L, json(sc.out()).get("scored"));
    }

    @Test
    void hocFinetuneThenEvalCheckpointAgree() {
        Path out = dir.resolve("ft-hoc");
        var r = TaskTestSupport.cli("finetune", "--task", "hoc", "--checkpoint", pretrained.toString(), "--data", hocDir.toString(),
                "--out", out.toString(), "--soft-prompt", "1", "--prompt-only", "--epochs", "1", "--batch", "12", "--json");
        assertEquals(0, r.code(), r.err());
        Map<String, Object> test = at(json(r.out()), "eval", "test");
        var e = TaskTestSupport.cli("eval", "hoc", "--data", hocDir.resolve("test.tsv").toString(), "--checkpoint", out.toString(), "--json");
        assertEquals(0, e.code(), e.err());
        assertEquals(test.get("micro_f1"), json(e.out()).get("micro_f1"));
        assertEquals(test.get("tp"), json(e.out()).get("tp"));
    }

    @Test
    void fineTunedModelFilesRoundTripAndRejectCorruption() throws Exception {
        BpeTokenizer tok = BpeTokenizer.load(tokDir);
        Gpt model = Checkpoint.load(pretrained).model();
        FineTuneSettings s = new FineTuneSettings(3, "normal", false, 1, 1e-2, 8, 1, 0, 0.1, 0.0, 1.0, null);
        FineTunedModel ft = FineTuner.pubmedqa(model, tok, FineTuneFixtures.pubmedqa(8, 1), s, null);
        Path out = dir.resolve("roundtrip");
        FineTuneCheckpoint.save(out, ft, s, tokDir.toString(), List.of("x"), 1, 100);
        FineTuneCheckpoint.Loaded back = FineTuneCheckpoint.load(out);
        assertEquals("pubmedqa", back.task());
        assertEquals(tokDir.toString(), back.tokenizer());
        FineTunedModel ft2 = back.model("pubmedqa", tok);
        assertArrayEquals(ft.softPrompt().vectors.data, ft2.softPrompt().vectors.data);
        assertEquals(ft.reserve(), ft2.reserve());
        assertEquals(Checkpoint.parameterHash(ft.model()), Checkpoint.parameterHash(ft2.model()));
        for (var m : ft2.model().maskedLayers()) assertNull(m.keep(), "dense fine-tuning saves no masks");
        List<PubmedqaRecord> recs = FineTuneFixtures.pubmedqa(4, 2);
        assertEquals(PubmedqaPredictor.predict(ft, tok, recs), PubmedqaPredictor.predict(ft2, tok, recs));
        assertThrows(InputException.class, () -> back.model("hoc", tok));

        Path f = out.resolve(FineTuneCheckpoint.FILE_NAME);
        byte[] good = Files.readAllBytes(f);
        byte[] bad = good.clone();
        bad[bad.length - 40] ^= 1;
        Files.write(f, bad);
        InputException e = assertThrows(InputException.class, () -> FineTuneCheckpoint.load(out));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
        Files.write(f, java.util.Arrays.copyOf(good, good.length - 7));
        assertThrows(InputException.class, () -> FineTuneCheckpoint.load(out));
        // a finetune.bin next to another network's checkpoint.bin
        Files.write(f, good);
        Files.copy(Checkpoint.file(pretrained), Checkpoint.file(out), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        e = assertThrows(InputException.class, () -> FineTuneCheckpoint.load(out));
        assertTrue(e.getMessage().contains("another network"), e.getMessage());
    }

    @Test
    void badInputExitCodes() throws Exception {
        String ck = pretrained.toString(), o = dir.resolve("bad-out").toString();
        assertEquals(2, TaskTestSupport.cli("finetune", "--checkpoint", ck, "--data", ori.toString(), "--out", o).code(), "no --task");
        assertEquals(2, TaskTestSupport.cli("finetune", "--task", "mednli", "--checkpoint", ck, "--data", ori.toString(), "--out", o).code());
        assertEquals(2, TaskTestSupport.cli("finetune", "--task", "pubmedqa", "--checkpoint", ck, "--data", ori.toString(), "--out", o,
                "--prompt-only").code(), "prompt-only without a soft prompt");
        assertEquals(2, TaskTestSupport.cli("finetune", "--task", "pubmedqa", "--checkpoint", ck, "--data", ori.toString(), "--out", o,
                "--epochz", "1").code(), "typo in an option");
        assertEquals(1, TaskTestSupport.cli("finetune", "--task", "pubmedqa", "--checkpoint", dir.resolve("nothing").toString(),
                "--data", ori.toString(), "--out", o).code(), "missing checkpoint");
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"1\": {\"QUESTION\": \"q\"");
        var r = TaskTestSupport.cli("finetune", "--task", "pubmedqa", "--checkpoint", ck, "--data", broken.toString(), "--out", o);
        assertEquals(1, r.code());
        assertTrue(r.err().contains("broken.json"), r.err());
        assertEquals(1, TaskTestSupport.cli("finetune", "--task", "pubmedqa", "--checkpoint", ck, "--data", ori.toString(), "--out", o).code(),
                "30 records are too few for the official split");
        assertEquals(1, TaskTestSupport.cli("finetune", "--task", "hoc", "--checkpoint", ck, "--data", dir.toString(), "--out", o).code(),
                "no train.tsv");
        assertEquals(2, TaskTestSupport.cli("eval", "pubmedqa", "--data", ori.toString(), "--checkpoint", ck, "--predictions", "p.json").code());
        assertEquals(1, TaskTestSupport.cli("eval", "pubmedqa", "--data", ori.toString(), "--ground-truth", truth.toString(),
                "--checkpoint", dir.resolve("nothing").toString()).code());
        assertEquals(2, TaskTestSupport.cli("eval", "hoc", "--data", hocDir.resolve("test.tsv").toString(), "--predictions", "p.tsv",
                "--tokenizer", tokDir.toString()).code());
    }
}
