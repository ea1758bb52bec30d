package mediswift4j.hoc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import mediswift4j.TaskTestSupport;
import mediswift4j.io.Json;

/** BLURB's HoC TSV and metric end to end through `eval hoc`, on the real test split and on hand-made files. */
class HocEvalTest {
    // ------------------------------------------------------------ real data (skipped when absent)

    @Test
    void realTestSplitFiguresAndBaselines(@TempDir Path tmp) throws Exception {
        Path test = TaskTestSupport.realData("hoc-blurb").resolve("test.tsv");
        List<HocSentence> sentences = HocData.read(test);
        assertEquals(3547, sentences.size());
        Map<String, Integer> gold = HocData.goldByAbstract(sentences);
        assertEquals(371, gold.size());
        long positives = 0, empty = 0;
        for (int m : gold.values()) {
            positives += Integer.bitCount(m);
            if (m == 0) empty++;
        }
        assertEquals(484, positives);
        assertEquals(53, empty);

        StringBuilder allFlags = new StringBuilder("index\tlabels\n"), allNames = new StringBuilder(),
                none = new StringBuilder(), perfect = new StringBuilder();
        for (HocSentence s : sentences) {
            allFlags.append(s.index()).append('\t').append(HocLabels.formatFlags(HocLabels.ALL)).append('\n');
            allNames.append(s.index()).append('\t').append(String.join("|", HocLabels.NAMES)).append('\n');
            none.append(s.index()).append("\tnone\n");
            perfect.append(s.index()).append('\t').append(String.join("|", HocLabels.names(s.labels()))).append('\n');
        }
        Map<String, Object> a = evalJson(test, write(tmp, "all.tsv", allFlags.toString()));
        assertEquals("23.08", TaskTestSupport.pct(a.get("micro_f1")));
        assertEquals(484L, a.get("tp"));
        assertEquals(3710L - 484, a.get("fp"));
        assertEquals(a.get("micro_f1"), evalJson(test, write(tmp, "names.tsv", allNames.toString())).get("micro_f1"));
        assertEquals(0.0, evalJson(test, write(tmp, "none.tsv", none.toString())).get("micro_f1"));
        assertEquals(1.0, evalJson(test, write(tmp, "perfect.tsv", perfect.toString())).get("micro_f1"));

        var table = TaskTestSupport.cli("eval", "hoc", "--data", test.toString(), "--predictions",
                tmp.resolve("all.tsv").toString());
        assertEquals(0, table.code(), table.err());
        assertTrue(table.out().contains("23.08") && table.out().contains("tumor promoting inflammation"), table.out());
    }

    private static Map<String, Object> evalJson(Path data, Path predictions) {
        var r = TaskTestSupport.cli("eval", "hoc", "--data", data.toString(), "--predictions", predictions.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        return Json.asObject(Json.parse(r.out().trim(), "stdout"), "stdout");
    }

    private static Path write(Path dir, String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    // ------------------------------------------------------------ hand-made data

    static final String SMALL = "labels\tsentence\tindex\n"
            + "0_1,1_0,2_0,3_0,4_0,5_0,6_0,7_0,8_0,9_0\tInvasion grows .\t111_s0\n"
            + "0_0,1_0,2_0,3_0,4_0,5_0,6_1,7_0,8_0,9_0\tVessels grow .\t111_s1\n"
            + "0_0,1_0,2_0,3_0,4_0,5_0,6_0,7_0,8_0,9_0\tNothing here .\t222_s0\n"
            + "0_0,1_0,2_0,3_0,4_0,5_0,6_0,7_0,8_0,9_1\tInflamed .\t333_s0\n";

    @Test
    void handComputedScores(@TempDir Path tmp) throws Exception {
        Path data = write(tmp, "small.tsv", SMALL);
        // abstract 111 gold {0, 6}, pred {0} (from s1) -> TP 1 (label 0), FN 1 (label 6)
        // abstract 222 gold {},     pred {9}          -> FP 1 (label 9)
        // abstract 333 gold {9},    pred {9}          -> TP 1 (label 9)
        Path pred = write(tmp, "pred.tsv", "111_s0\tnone\n111_s1\tactivating invasion and metastasis\n"
                + "222_s0\t0_0,1_0,2_0,3_0,4_0,5_0,6_0,7_0,8_0,9_1\n333_s0\ttumor promoting inflammation\n");
        Map<String, Object> m = evalJson(data, pred);
        assertEquals(3L, m.get("abstracts"));
        assertEquals(2L, m.get("tp"));
        assertEquals(1L, m.get("fp"));
        assertEquals(1L, m.get("fn"));
        assertEquals(4.0 / 6, (Double) m.get("micro_f1"), 1e-12);
        Map<String, Object> per = Json.asObject(m.get("per_label"), "per_label");
        Map<String, Object> infl = Json.asObject(per.get("tumor promoting inflammation"), "infl");
        assertEquals(0.5, (Double) infl.get("precision"), 1e-12);
        assertEquals(1.0, (Double) infl.get("recall"), 1e-12);
        Map<String, Object> angio = Json.asObject(per.get("inducing angiogenesis"), "angio");
        assertEquals(0.0, (Double) angio.get("f1"));
        assertEquals(1L, angio.get("support"));
    }

    private static void assertFails(TaskTestSupport.Result r, String... fragments) {
        assertEquals(1, r.code(), "stdout: " + r.out() + " stderr: " + r.err());
        for (String f : fragments) assertTrue(r.err().contains(f), "stderr should name '" + f + "': " + r.err());
    }

    private static TaskTestSupport.Result eval(Path data, Path pred) {
        return TaskTestSupport.cli("eval", "hoc", "--data", data.toString(), "--predictions", pred.toString());
    }

    @Test
    void badInputIsNamed(@TempDir Path tmp) throws Exception {
        Path data = write(tmp, "small.tsv", SMALL);
        String rest = "111_s1\tnone\n222_s0\tnone\n333_s0\tnone\n";
        assertFails(eval(data, write(tmp, "p1.tsv", "111_s0\tcell death\n" + rest)),
                "p1.tsv:1", "unknown label \"cell death\"");
        assertFails(eval(data, write(tmp, "p2.tsv", "111_s0\tnone\n" + rest + "444_s0\tnone\n")),
                "p2.tsv:5", "unknown index \"444_s0\"");
        assertFails(eval(data, write(tmp, "p3.tsv", "111_s0\tnone\n222_s0\tnone\n333_s0\tnone\n")),
                "p3.tsv", "missing prediction for index \"111_s1\"");
        assertFails(eval(data, write(tmp, "p4.tsv", "111_s0\tnone\n111_s0\tnone\n" + rest)), "p4.tsv:2", "twice");
        assertFails(eval(data, write(tmp, "p5.tsv", "111_s0 none\n" + rest)), "p5.tsv:1", "2 tab-separated fields");
        assertFails(eval(data, write(tmp, "p6.tsv", "111_s0\t0_1,1_0\n" + rest)), "p6.tsv:1", "ten label flags");

        String good = "111_s0\tnone\n" + rest;
        Path pred = write(tmp, "good.tsv", good);
        assertFails(eval(write(tmp, "d1.tsv", SMALL.replace("labels\tsentence\tindex", "label\ttext\tid")), pred),
                "d1.tsv:1", "header");
        assertFails(eval(write(tmp, "d2.tsv", SMALL.replace("9_1\tInflamed", "9_2\tInflamed")), pred),
                "d2.tsv:5", "9_2");
        assertFails(eval(write(tmp, "d3.tsv", SMALL.replace("\t222_s0", "\t222-s0")), pred), "d3.tsv:4", "222-s0");
        assertFails(eval(write(tmp, "d4.tsv", SMALL.replace("Nothing here .\t", "Nothing here .")), pred),
                "d4.tsv:4", "3 tab-separated fields");
        assertFails(eval(write(tmp, "d5.tsv", SMALL + "0_0,1_0,2_0,3_0,4_0,5_0,6_0,7_0,8_0,9_0\tAgain .\t333_s0\n"), pred),
                "d5.tsv:6", "twice");
        assertFails(eval(write(tmp, "d6.tsv", "labels\tsentence\tindex\n"), pred), "d6.tsv", "no sentences");
    }
}
