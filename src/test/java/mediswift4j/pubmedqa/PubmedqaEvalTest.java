package mediswift4j.pubmedqa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import mediswift4j.TaskTestSupport;
import mediswift4j.io.Json;

/** `eval pubmedqa` end to end: reference figures on the real data, and every kind of bad input -> exit code 1. */
class PubmedqaEvalTest {
    // ------------------------------------------------------------ real data (skipped when absent)

    @Test
    void alwaysYesAndHumanAnnotatorGiveThePublishedFigures(@TempDir Path tmp) throws Exception {
        Path dir = TaskTestSupport.realData("pubmedqa");
        Path ori = dir.resolve("ori_pqal.json"), gt = dir.resolve("test_ground_truth.json");
        PubmedqaData data = PubmedqaData.read(ori);
        Map<String, Object> yes = new LinkedHashMap<>(), human = new LinkedHashMap<>();
        for (String p : PubmedqaData.readLabels(gt).keySet()) {
            yes.put(p, "yes");
            human.put(p, data.get(p, "test").reasoningRequiredPred());
        }
        Path yesFile = tmp.resolve("yes.json"), humanFile = tmp.resolve("human.json");
        Files.writeString(yesFile, Json.write(yes));
        Files.writeString(humanFile, Json.write(human));

        Map<String, Object> a = evalJson("--data", ori.toString(), "--ground-truth", gt.toString(), "--predictions", yesFile.toString());
        assertEquals("55.20", TaskTestSupport.pct(a.get("accuracy")));
        assertEquals("23.71", TaskTestSupport.pct(a.get("macro_f1")));
        Map<String, Object> h = evalJson("--data", ori.toString(), "--ground-truth", gt.toString(), "--predictions", humanFile.toString());
        assertEquals("78.00", TaskTestSupport.pct(h.get("accuracy")));
        assertEquals("72.19", TaskTestSupport.pct(h.get("macro_f1")));
        // without --ground-truth the test PMIDs come from the reproduced official split: same figures
        Map<String, Object> h2 = evalJson("--data", ori.toString(), "--predictions", humanFile.toString());
        assertEquals(h.get("macro_f1"), h2.get("macro_f1"));

        var table = TaskTestSupport.cli("eval", "pubmedqa", "--data", ori.toString(), "--predictions", yesFile.toString());
        assertEquals(0, table.code(), table.err());
        assertTrue(table.out().contains("55.20") && table.out().contains("23.71"), table.out());
    }

    private static Map<String, Object> evalJson(String... opts) {
        String[] argv = new String[opts.length + 3];
        argv[0] = "eval";
        argv[1] = "pubmedqa";
        System.arraycopy(opts, 0, argv, 2, opts.length);
        argv[argv.length - 1] = "--json";
        var r = TaskTestSupport.cli(argv);
        assertEquals(0, r.code(), r.err());
        return Json.asObject(Json.parse(r.out().trim(), "stdout"), "stdout");
    }

    // ------------------------------------------------------------ synthetic data: bad input

    private static String record(String question, String label) {
        return "{\"QUESTION\": \"" + question + "\", \"CONTEXTS\": [\"c1 \", \" c2\"], \"LABELS\": [\"A\", \"B\"],"
                + " \"LONG_ANSWER\": \"la\", \"final_decision\": \"" + label + "\"}";
    }

    private static Path write(Path dir, String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private static Path smallData(Path tmp) throws Exception {
        return write(tmp, "ori.json", "{\"1\": " + record("q1?", "yes") + ", \"2\": " + record("q2?", "no")
                + ", \"3\": " + record("q3?", "maybe") + ", \"4\": " + record("q4?", "yes") + "}");
    }

    private static TaskTestSupport.Result eval(Path data, Path gt, Path pred) {
        return TaskTestSupport.cli("eval", "pubmedqa", "--data", data.toString(), "--ground-truth", gt.toString(),
                "--predictions", pred.toString(), "--json");
    }

    private static void assertFails(TaskTestSupport.Result r, int code, String... fragments) {
        assertEquals(code, r.code(), "stdout: " + r.out() + " stderr: " + r.err());
        for (String f : fragments) assertTrue(r.err().contains(f), "stderr should name '" + f + "': " + r.err());
        assertTrue(!r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    @Test
    void smallDataScoresAndEveryBadInputIsNamed(@TempDir Path tmp) throws Exception {
        Path data = smallData(tmp);
        Path gt = write(tmp, "gt.json", "{\"1\": \"yes\", \"2\": \"no\", \"3\": \"maybe\"}");

        var ok = eval(data, gt, write(tmp, "ok.json", "{\"3\": \"no\", \"1\": \"yes\", \"2\": \"no\"}"));
        assertEquals(0, ok.code(), ok.err());
        Map<String, Object> m = Json.asObject(Json.parse(ok.out().trim(), "out"), "out");
        assertEquals(2.0 / 3, (Double) m.get("accuracy"), 1e-12);
        // yes F1 1, no F1 2/3 (TP 1, FP 1), maybe F1 0 -> macro (1 + 2/3 + 0) / 3
        assertEquals((1 + 2.0 / 3) / 3, (Double) m.get("macro_f1"), 1e-12);

        assertFails(eval(data, gt, write(tmp, "p1.json", "{\"1\": \"yes\", \"2\": \"Yes\", \"3\": \"no\"}")),
                1, "p1.json", "PMID 2", "unknown label \"Yes\"");
        assertFails(eval(data, gt, write(tmp, "p2.json", "{\"1\": \"yes\", \"2\": \"no\", \"3\": \"no\", \"99\": \"no\"}")),
                1, "p2.json", "PMID 99", "absent from the data");
        assertFails(eval(data, gt, write(tmp, "p3.json", "{\"1\": \"yes\", \"2\": \"no\", \"3\": \"no\", \"4\": \"no\"}")),
                1, "p3.json", "PMID 4", "not in the evaluated split");
        assertFails(eval(data, gt, write(tmp, "p4.json", "{\"1\": \"yes\", \"3\": \"no\"}")),
                1, "p4.json", "missing prediction for PMID 2");
        assertFails(eval(data, gt, write(tmp, "p5.json", "{\"1\": \"yes\", \"2\": 3, \"3\": \"no\"}")),
                1, "p5.json", "PMID 2", "expected a string");
        assertFails(eval(data, gt, write(tmp, "p6.json", "{\"1\": \"yes\",")), 1, "p6.json", "malformed JSON");

        Path noQuestion = write(tmp, "bad1.json", "{\"1\": {\"CONTEXTS\": [], \"LONG_ANSWER\": \"\", \"final_decision\": \"yes\"}}");
        assertFails(eval(noQuestion, gt, gt), 1, "bad1.json", "PMID 1", "missing field \"QUESTION\"");
        Path badLabel = write(tmp, "bad2.json", "{\"1\": " + record("q", "perhaps") + "}");
        assertFails(eval(badLabel, gt, gt), 1, "bad2.json", "PMID 1", "final_decision", "unknown label \"perhaps\"");
        Path gtStranger = write(tmp, "gt2.json", "{\"1\": \"yes\", \"77\": \"no\"}");
        assertFails(eval(data, gtStranger, gt), 1, "gt2.json", "PMID 77");
        Path gtWrong = write(tmp, "gt3.json", "{\"1\": \"no\"}");
        assertFails(eval(data, gtWrong, gt), 1, "gt3.json", "PMID 1", "final_decision");
    }

    @Test
    void usageErrors(@TempDir Path tmp) throws Exception {
        Path data = smallData(tmp);
        // --checkpoint is implemented (FinetuneCommandTest); a missing one is bad input, both sources a usage error
        assertFails(TaskTestSupport.cli("eval", "pubmedqa", "--data", data.toString(), "--checkpoint", "x.ckpt"),
                1, "x.ckpt");
        assertFails(TaskTestSupport.cli("eval", "hoc", "--data", "t.tsv", "--checkpoint", "x.ckpt", "--predictions", "p"),
                2, "--checkpoint");
        assertFails(TaskTestSupport.cli("eval", "pubmedqa", "--data", data.toString()), 2, "--predictions");
        assertFails(TaskTestSupport.cli("eval", "squad", "--data", data.toString()), 2, "squad");
        assertFails(TaskTestSupport.cli("eval", "pubmedqa", "--data", data.toString(), "--predictions", "p", "--jsn"),
                2, "--jsn");
        assertFails(TaskTestSupport.cli("eval", "pubmedqa", "--data", tmp.resolve("nope.json").toString(),
                "--predictions", "p"), 1, "nope.json");
    }
}
