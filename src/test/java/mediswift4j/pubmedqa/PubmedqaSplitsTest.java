package mediswift4j.pubmedqa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import mediswift4j.TaskTestSupport;
import mediswift4j.io.Json;

/**
 * The official PubMedQA split: against Python on synthetic data (fixture by tools/pubmedqa_split_fixture.py),
 * and, when the real data is present, against test_ground_truth.json and the bytes Python's json.dump writes.
 */
class PubmedqaSplitsTest {
    @Test
    void stratifiedSplitMatchesPythonOnSyntheticData() throws Exception {
        Map<String, Object> doc = Json.asObject(PythonRandomTest.resource("pubmedqa_split_synthetic.json"), "fixture");
        for (Object c : Json.asArray(doc.get("cases"), "cases")) {
            Map<String, Object> cs = Json.asObject(c, "case");
            List<String> pmids = strings(cs.get("pmids"));
            List<String> labels = strings(cs.get("labels"));
            Map<String, PubmedqaLabel> labelOf = new HashMap<>();
            for (int i = 0; i < pmids.size(); i++) labelOf.put(pmids.get(i), PubmedqaLabel.parse(labels.get(i), "fixture"));
            PythonRandom rng = new PythonRandom((Long) cs.get("seed"));
            List<String> before = new ArrayList<>(pmids);
            List<List<String>> halves = PubmedqaSplits.stratifiedSplit(pmids, labelOf::get, 2, rng);
            assertEquals(before, pmids, "input list must not be modified");
            assertEquals(strings(cs.get("pool")), halves.get(0));
            assertEquals(strings(cs.get("test")), halves.get(1));
            List<List<String>> folds = PubmedqaSplits.stratifiedSplit(halves.get(0), labelOf::get, 10, rng);
            List<Object> expected = Json.asArray(cs.get("dev_folds"), "dev_folds");
            for (int f = 0; f < 10; f++) assertEquals(strings(expected.get(f)), folds.get(f), "fold " + f);
        }
    }

    private static List<String> strings(Object v) {
        List<String> out = new ArrayList<>();
        for (Object x : Json.asArray(v, "fixture")) out.add((String) x);
        return out;
    }

    @Test
    void officialSplitOfTheRealDataEqualsTheGroundTruth() {
        Path dir = TaskTestSupport.realData("pubmedqa");
        PubmedqaData data = PubmedqaData.read(dir.resolve("ori_pqal.json"));
        assertEquals(1000, data.size());
        PubmedqaSplits s = PubmedqaSplits.official(data);
        Map<String, PubmedqaLabel> truth = PubmedqaData.readLabels(dir.resolve("test_ground_truth.json"));
        assertEquals(new ArrayList<>(truth.keySet()), s.test(), "same PMIDs in the same order");
        s.checkTestAgainst(truth, data, "test_ground_truth.json");

        for (int bad : new int[] {-1, PubmedqaSplits.FOLDS}) {
            String msg = assertThrows(IllegalArgumentException.class, () -> s.dev(bad), "dev fold " + bad).getMessage();
            assertEquals("fold must be in [0, 9], got " + bad, msg);
            assertThrows(IllegalArgumentException.class, () -> s.train(bad), "train fold " + bad);
        }

        Set<String> devUnion = new HashSet<>();
        for (int f = 0; f < PubmedqaSplits.FOLDS; f++) {
            assertEquals(50, s.dev(f).size());
            assertEquals(450, s.train(f).size());
            Set<String> train = new HashSet<>(s.train(f));
            for (String p : s.dev(f)) assertTrue(!train.contains(p) && devUnion.add(p), "fold " + f + " overlaps");
            // stratified: each fold's dev has close to the pool's 276/169/55 proportions (per ten: 27.6/16.9/5.5)
            Map<PubmedqaLabel, Integer> counts = new EnumMap<>(PubmedqaLabel.class);
            for (String p : s.dev(f)) counts.merge(data.get(p, "t").label(), 1, Integer::sum);
            assertTrue(Math.abs(counts.getOrDefault(PubmedqaLabel.YES, 0) - 27.6) <= 4, "fold " + f + " " + counts);
        }
        assertEquals(new HashSet<>(s.pool()), devUnion);
        for (String p : s.test()) assertTrue(!devUnion.contains(p));
    }

    /**
     * The files `data pubmedqa-splits` writes are byte-identical to what Python's json.dump(indent=4) writes for
     * the same split (hashes taken from the Python statement of the procedure run on the real ori_pqal.json).
     */
    @Test
    void splitFilesAreByteIdenticalToPythonsJsonDump(@TempDir Path tmp) throws Exception {
        Path dir = TaskTestSupport.realData("pubmedqa");
        var r = TaskTestSupport.cli("data", "pubmedqa-splits", "--data", dir.resolve("ori_pqal.json").toString(),
                "--ground-truth", dir.resolve("test_ground_truth.json").toString(), "--out", tmp.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("f420f49d97516329d81f62d7d454055e3a063dbd0913ebaff915993bb321cbab", sha256(tmp.resolve("test_set.json")));
        assertEquals("9d8982fa88a2a7f68230c2757e7eb5b495577a61cdca9e03c3ab308bc725d9f5",
                sha256(tmp.resolve("pqal_fold0/dev_set.json")));
        assertEquals("7e539dceebfe5d9fbfc8fa1313713436a1e10f6d6f5bad1ed3fd39d1442be265",
                sha256(tmp.resolve("pqal_fold0/train_set.json")));
        for (int f = 0; f < 10; f++) {
            Map<String, Object> dev = Json.asObject(Json.read(tmp.resolve("pqal_fold" + f + "/dev_set.json")), "dev");
            assertEquals(50, dev.size());
        }
        // records are unchanged: a written record equals the one read from ori_pqal.json
        Map<String, Object> ori = Json.asObject(Json.read(dir.resolve("ori_pqal.json")), "ori");
        Map<String, Object> test = Json.asObject(Json.read(tmp.resolve("test_set.json")), "test");
        for (var e : test.entrySet()) assertEquals(ori.get(e.getKey()), e.getValue());
    }

    /** Synthetic data (the 1000-item fixture case): a wrong ground truth fails with exit 1 and writes nothing. */
    @Test
    void splitCommandChecksTheGroundTruthBeforeWriting(@TempDir Path tmp) throws Exception {
        Map<String, Object> doc = Json.asObject(PythonRandomTest.resource("pubmedqa_split_synthetic.json"), "fixture");
        Map<String, Object> cs = Json.asObject(Json.asArray(doc.get("cases"), "cases").get(0), "case");
        List<String> pmids = strings(cs.get("pmids")), labels = strings(cs.get("labels"));
        Map<String, Object> ori = new java.util.LinkedHashMap<>(), gt = new java.util.LinkedHashMap<>();
        for (int i = 0; i < pmids.size(); i++) {
            Map<String, Object> rec = new java.util.LinkedHashMap<>();
            rec.put("QUESTION", "q" + i + "? caf\u00e9");
            rec.put("CONTEXTS", List.of("c"));
            rec.put("LONG_ANSWER", "a");
            rec.put("final_decision", labels.get(i));
            ori.put(pmids.get(i), rec);
        }
        for (String p : strings(cs.get("test"))) gt.put(p, ((Map<?, ?>) ori.get(p)).get("final_decision"));
        Path oriFile = tmp.resolve("ori.json"), gtFile = tmp.resolve("gt.json");
        Files.writeString(oriFile, Json.write(ori, 4, true));
        Files.writeString(gtFile, Json.write(gt, 4, true));

        PubmedqaSplits s = PubmedqaSplits.official(PubmedqaData.read(oriFile));
        assertEquals(strings(cs.get("test")), s.test());
        PubmedqaSplits.Fold f0 = s.fold(PubmedqaData.read(oriFile), 0);
        assertEquals(s.dev(0).get(0), f0.dev().get(0).pmid());
        assertEquals(450, f0.train().size());

        var ok = TaskTestSupport.cli("data", "pubmedqa-splits", "--data", oriFile.toString(), "--ground-truth",
                gtFile.toString(), "--out", tmp.resolve("ok").toString());
        assertEquals(0, ok.code(), ok.err());
        String written = Files.readString(tmp.resolve("ok/test_set.json"));
        assertTrue(written.contains("caf\\u00e9") && !written.endsWith("\n"), "Python-style ASCII JSON");

        List<String> swapped = new ArrayList<>(gt.keySet());
        java.util.Collections.swap(swapped, 3, 4);
        Map<String, Object> gt2 = new java.util.LinkedHashMap<>();
        for (String p : swapped) gt2.put(p, gt.get(p));
        Path gt2File = tmp.resolve("gt2.json");
        Files.writeString(gt2File, Json.write(gt2));
        var bad = TaskTestSupport.cli("data", "pubmedqa-splits", "--data", oriFile.toString(), "--ground-truth",
                gt2File.toString(), "--out", tmp.resolve("bad").toString());
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("differs at position 3"), bad.err());
        assertTrue(!Files.exists(tmp.resolve("bad")));

        Path tiny = tmp.resolve("tiny.json");
        Files.writeString(tiny, "{\"1\": {\"QUESTION\": \"q\", \"CONTEXTS\": [], \"LONG_ANSWER\": \"\", \"final_decision\": \"yes\"}}");
        var small = TaskTestSupport.cli("data", "pubmedqa-splits", "--data", tiny.toString(), "--out", tmp.resolve("t").toString());
        assertEquals(1, small.code());
        assertTrue(small.err().contains("too few records"), small.err());
    }

    static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }

    /** k = 1 is one part holding every PMID (shuffled); k = 0 is refused. */
    @Test
    void oneWaySplitKeepsEverything() {
        List<String> pmids = List.of("1", "2", "3", "4", "5");
        Map<String, PubmedqaLabel> labels = Map.of("1", PubmedqaLabel.YES, "2", PubmedqaLabel.NO, "3", PubmedqaLabel.YES,
                "4", PubmedqaLabel.MAYBE, "5", PubmedqaLabel.YES);
        List<List<String>> parts = PubmedqaSplits.stratifiedSplit(pmids, labels::get, 1, new PythonRandom(3));
        assertEquals(1, parts.size());
        assertEquals(new HashSet<>(pmids), new HashSet<>(parts.get(0)));
        assertEquals(5, parts.get(0).size());
        assertThrows(IllegalArgumentException.class, () -> PubmedqaSplits.stratifiedSplit(pmids, labels::get, 0, new PythonRandom(3)));
    }

    /**
     * getrandbits at the 32-bit boundary (one word for k = 32, two for 33), from CPython 3:
     * r = random.Random(12345); [r.getrandbits(32) for _ in range(3)], r.getrandbits(33). randbelow(0) is refused.
     */
    @Test
    void pythonRandomAtTheWordBoundary() {
        PythonRandom r = new PythonRandom(12345);
        assertEquals(1789368711L, r.getrandbits(32));
        assertEquals(3146859322L, r.getrandbits(32));
        assertEquals(43676229L, r.getrandbits(32));
        assertEquals(7817590892L, r.getrandbits(33));
        assertThrows(IllegalArgumentException.class, () -> new PythonRandom(1).randbelow(0));
        // k = 64 is allowed (random.Random(7).getrandbits(64) = 17485029721327973432, as a signed long), 0 gives 0
        assertEquals(-961714352381578184L, new PythonRandom(7).getrandbits(64));
        assertEquals(0L, new PythonRandom(7).getrandbits(0));
        assertThrows(IllegalArgumentException.class, () -> new PythonRandom(7).getrandbits(65));
        assertThrows(IllegalArgumentException.class, () -> new PythonRandom(7).getrandbits(-1));
    }
}
