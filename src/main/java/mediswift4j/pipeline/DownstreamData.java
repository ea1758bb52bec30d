package mediswift4j.pipeline;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import mediswift4j.eval.StratifiedSample;
import mediswift4j.finetune.FineTuneData;
import mediswift4j.hoc.HocData;
import mediswift4j.hoc.HocLabels;
import mediswift4j.hoc.HocSentence;
import mediswift4j.pubmedqa.PubmedqaData;
import mediswift4j.pubmedqa.PubmedqaEvaluation;
import mediswift4j.pubmedqa.PubmedqaLabel;
import mediswift4j.pubmedqa.PubmedqaRecord;
import mediswift4j.pubmedqa.PubmedqaSplits;
import mediswift4j.pubmedqa.PythonRandom;
import mediswift4j.util.InputException;
import mediswift4j.util.Rng;

/**
 * Which benchmark items the reproduction trains on, selects on and scores (SPEC.md section 16). Test items never
 * steer training or selection.
 *
 * PubMedQA (a directory with ori_pqal.json and, optionally, test_ground_truth.json):
 *   - test = the ground-truth PMIDs (without the file: the official test half of ori_pqal.json);
 *   - when the official split of ori_pqal.json reproduces that test set (the real PQA-L), fold f's train (450) and
 *     dev (50) are the official ones ("official folds"); otherwise (e.g. the shipped sample) the remaining records,
 *     in file order, are cut into 10 stratified folds by the same procedure (PubmedqaSplits.stratifiedSplit with
 *     Python's random seeded 0) and fold f is dev, the other nine train ("folds cut from the pool").
 * HoC (a directory with train.tsv, dev.tsv, test.tsv): train on train, select on dev, score on test.
 *
 * Samples: a plan size of 0 keeps the whole set; n > 0 draws n items with eval.StratifiedSample from the stream
 * named after the set (seed = Rng.derive(runSeed, "sample." + name, 0).nextLong()): PubMedQA questions stratified
 * by gold label, HoC whole abstracts stratified by their lowest gold label index ("none" without label).
 */
final class DownstreamData {
    record PubmedqaFold(int fold, List<PubmedqaRecord> train, List<PubmedqaRecord> dev) {}

    final String pubmedqaProtocol;
    final List<PubmedqaFold> folds = new ArrayList<>();
    final List<PubmedqaRecord> pubmedqaTestFull, pubmedqaTest;
    final List<HocSentence> hocTrain, hocDev, hocTestFull, hocTest;
    private final Map<String, Object> json = new LinkedHashMap<>();

    private DownstreamData(String protocol, List<PubmedqaRecord> pqTestFull, List<PubmedqaRecord> pqTest,
                           List<HocSentence> hocTrain, List<HocSentence> hocDev, List<HocSentence> hocTestFull, List<HocSentence> hocTest) {
        this.pubmedqaProtocol = protocol;
        this.pubmedqaTestFull = pqTestFull;
        this.pubmedqaTest = pqTest;
        this.hocTrain = hocTrain;
        this.hocDev = hocDev;
        this.hocTestFull = hocTestFull;
        this.hocTest = hocTest;
    }

    static DownstreamData load(Path pubmedqaDir, Path hocDir, ReproductionPlan plan, long runSeed) {
        // ---- PubMedQA
        Path ori = pubmedqaDir.resolve("ori_pqal.json"), gt = pubmedqaDir.resolve("test_ground_truth.json");
        if (!Files.isRegularFile(ori)) throw new InputException(pubmedqaDir + ": no ori_pqal.json in this directory");
        PubmedqaData d = PubmedqaData.read(ori);
        Map<String, PubmedqaLabel> gold = PubmedqaEvaluation.gold(d, Files.isRegularFile(gt) ? gt : null);
        List<String> testPmids = new ArrayList<>(gold.keySet());
        PubmedqaSplits official = officialSplitOrNull(d);
        boolean isOfficial = official != null && official.test().equals(testPmids);
        List<List<String>> devParts = new ArrayList<>();
        if (isOfficial) {
            for (int f = 0; f < PubmedqaSplits.FOLDS; f++) devParts.add(official.dev(f));
        } else {
            List<String> pool = new ArrayList<>();
            for (PubmedqaRecord r : d.records()) if (!gold.containsKey(r.pmid())) pool.add(r.pmid());
            Map<String, PubmedqaLabel> labels = new HashMap<>();
            for (PubmedqaRecord r : d.records()) labels.put(r.pmid(), r.label());
            devParts = PubmedqaSplits.stratifiedSplit(pool, labels::get, PubmedqaSplits.FOLDS, new PythonRandom(PubmedqaSplits.OFFICIAL_SEED));
            for (List<String> p : devParts) {
                if (p.isEmpty()) throw new InputException(ori + ": too few records outside the test set to cut 10 folds for training and selection");
            }
        }
        List<PubmedqaRecord> pqTestFull = d.select(testPmids, gt.toString());
        List<PubmedqaRecord> pqTest = StratifiedSample.sample(pqTestFull, r -> r.label().text, samplesOrAll(plan.pubmedqaTest(), pqTestFull.size()),
                sampleSeed(runSeed, "pubmedqa_test"));

        // ---- HoC
        FineTuneData.Hoc hoc = FineTuneData.hoc(List.of(hocDir));
        if (!hoc.eval().containsKey("dev")) throw new InputException(hocDir + ": no dev.tsv (the epoch is selected on it)");
        if (!hoc.eval().containsKey("test")) throw new InputException(hocDir + ": no test.tsv");
        List<HocSentence> hocTrain = sampleAbstracts(hoc.train(), plan.hocTrainAbstracts(), sampleSeed(runSeed, "hoc_train"));
        List<HocSentence> hocDev = sampleAbstracts(hoc.eval().get("dev"), plan.hocDevAbstracts(), sampleSeed(runSeed, "hoc_dev"));
        List<HocSentence> hocTestFull = hoc.eval().get("test");
        List<HocSentence> hocTest = sampleAbstracts(hocTestFull, plan.hocTestAbstracts(), sampleSeed(runSeed, "hoc_test"));

        DownstreamData out = new DownstreamData(isOfficial ? "official PubMedQA folds (the authors' split script, seed 0)"
                : "10 stratified folds cut from the records outside the test set (the official procedure, seed 0)",
                pqTestFull, pqTest, hocTrain, hocDev, hocTestFull, hocTest);
        for (int f = 0; f < plan.folds(); f++) {
            List<String> train = new ArrayList<>();
            for (int i = 0; i < devParts.size(); i++) if (i != f) train.addAll(devParts.get(i));
            out.folds.add(new PubmedqaFold(f, d.select(train, "fold " + f), d.select(devParts.get(f), "fold " + f)));
        }
        out.describe(plan, runSeed);
        return out;
    }

    private static PubmedqaSplits officialSplitOrNull(PubmedqaData d) {
        try {
            return PubmedqaSplits.official(d);
        } catch (InputException e) {
            return null; // too few records for the official procedure: not the real PQA-L
        }
    }

    private static int samplesOrAll(int planned, int size) {
        return planned == 0 ? size : Math.min(planned, size);
    }

    static long sampleSeed(long runSeed, String set) {
        return Rng.derive(runSeed, "sample." + set, 0).nextLong();
    }

    /** The stratum of an abstract: the name of its lowest gold label, or "none". */
    static String abstractStratum(int mask) {
        return mask == 0 ? "none" : HocLabels.NAMES.get(Integer.numberOfTrailingZeros(mask));
    }

    /** The sentences of n whole abstracts drawn stratified (all of them when n is 0 or too large), in file order. */
    static List<HocSentence> sampleAbstracts(List<HocSentence> sentences, int n, long seed) {
        Map<String, List<HocSentence>> byAbstract = HocData.byAbstract(sentences);
        if (n == 0 || n >= byAbstract.size()) return sentences;
        Map<String, Integer> gold = HocData.goldByAbstract(sentences);
        List<String> chosen = StratifiedSample.sample(new ArrayList<>(byAbstract.keySet()), p -> abstractStratum(gold.get(p)), n, seed);
        Set<String> keep = new LinkedHashSet<>(chosen);
        List<HocSentence> out = new ArrayList<>();
        for (HocSentence s : sentences) if (keep.contains(s.pmid())) out.add(s);
        return out;
    }

    /** Every PMID of the full test sets (PubMedQA and HoC): the documents pre-training leaves out. */
    Set<String> testPmids() {
        Set<String> out = new LinkedHashSet<>();
        for (PubmedqaRecord r : pubmedqaTestFull) out.add(r.pmid());
        for (HocSentence s : hocTestFull) out.add(s.pmid());
        return out;
    }

    Map<String, Object> json() {
        return json;
    }

    private void describe(ReproductionPlan plan, long runSeed) {
        Map<String, Object> pq = new LinkedHashMap<>();
        pq.put("protocol", pubmedqaProtocol);
        List<Object> foldList = new ArrayList<>();
        for (PubmedqaFold f : folds) foldList.add((long) f.fold());
        pq.put("folds", foldList);
        pq.put("train_items", (long) folds.get(0).train().size());
        pq.put("dev_items", (long) folds.get(0).dev().size());
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("evaluated", (long) pubmedqaTest.size());
        t.put("full", (long) pubmedqaTestFull.size());
        t.put("sampled", pubmedqaTest.size() < pubmedqaTestFull.size());
        t.put("sample_seed", runSeed);
        t.put("labels_evaluated", labelCounts(pubmedqaTest));
        t.put("labels_full", labelCounts(pubmedqaTestFull));
        pq.put("test", t);
        json.put("pubmedqa", pq);

        Map<String, Object> hoc = new LinkedHashMap<>();
        hoc.put("train_sentences", (long) hocTrain.size());
        hoc.put("train_abstracts", (long) HocData.byAbstract(hocTrain).size());
        hoc.put("dev_sentences", (long) hocDev.size());
        hoc.put("dev_abstracts", (long) HocData.byAbstract(hocDev).size());
        Map<String, Object> ht = new LinkedHashMap<>();
        ht.put("evaluated_abstracts", (long) HocData.byAbstract(hocTest).size());
        ht.put("evaluated_sentences", (long) hocTest.size());
        ht.put("full_abstracts", (long) HocData.byAbstract(hocTestFull).size());
        ht.put("full_sentences", (long) hocTestFull.size());
        ht.put("sampled", hocTest.size() < hocTestFull.size());
        ht.put("sample_seed", runSeed);
        ht.put("labels_evaluated", hocLabelCounts(hocTest));
        ht.put("labels_full", hocLabelCounts(hocTestFull));
        hoc.put("test", ht);
        json.put("hoc", hoc);
    }

    static Map<String, Object> labelCounts(List<PubmedqaRecord> records) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (PubmedqaLabel l : PubmedqaLabel.values()) m.put(l.text, records.stream().filter(r -> r.label() == l).count());
        return m;
    }

    /** Abstracts carrying each label, then "none" for abstracts without a label. */
    static Map<String, Object> hocLabelCounts(List<HocSentence> sentences) {
        Map<String, Integer> gold = HocData.goldByAbstract(sentences);
        Map<String, Object> m = new LinkedHashMap<>();
        for (int k = 0; k < HocLabels.COUNT; k++) {
            int bit = 1 << k;
            m.put(HocLabels.NAMES.get(k), gold.values().stream().filter(g -> (g & bit) != 0).count());
        }
        m.put("none", gold.values().stream().filter(g -> g == 0).count());
        return m;
    }
}
