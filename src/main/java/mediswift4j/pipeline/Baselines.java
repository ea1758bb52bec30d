package mediswift4j.pipeline;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import mediswift4j.eval.Bootstrap;
import mediswift4j.eval.ResampledMetrics;
import mediswift4j.hoc.HocData;
import mediswift4j.hoc.HocLabels;
import mediswift4j.pubmedqa.PubmedqaLabel;
import mediswift4j.pubmedqa.PubmedqaRecord;

/**
 * The answers that need no model, scored on exactly the evaluated test items (with a bootstrap interval) and on
 * the full test set (a point value; on the real files these are the published 55.20 / 23.71 and 23.08):
 *
 *   PubMedQA  always the most frequent label of fold 0's training items ("majority")
 *   HoC       every abstract gets all ten labels ("all labels"), and no label at all ("no label", the most
 *             frequent training label set on BLURB's HoC, which scores 0 micro-F1)
 *
 * The test items as integer arrays (PubMedQA gold labels; HoC gold masks per abstract, in evaluated order) are
 * built here too, since the fine-tuned rows are scored against the same arrays.
 */
final class Baselines {
    final PubmedqaLabel majority;
    final int[] pubmedqaGold, pubmedqaGoldFull;
    final List<String> hocAbstracts;
    final int[] hocGold, hocGoldFull;
    /** The constant answers the rows are compared with: PubMedQA's majority label, HoC's all ten labels. */
    final int[] pubmedqaBaseline, hocBaseline;
    final List<Object> json = new ArrayList<>();

    Baselines(DownstreamData d, int resamples, long seed) {
        Map<PubmedqaLabel, Integer> counts = new HashMap<>();
        for (PubmedqaRecord r : d.folds.get(0).train()) counts.merge(r.label(), 1, Integer::sum);
        PubmedqaLabel top = PubmedqaLabel.YES;
        for (PubmedqaLabel l : PubmedqaLabel.values()) if (counts.getOrDefault(l, 0) > counts.getOrDefault(top, 0)) top = l;
        majority = top;
        pubmedqaGold = labels(d.pubmedqaTest);
        pubmedqaGoldFull = labels(d.pubmedqaTestFull);
        Map<String, Integer> gold = HocData.goldByAbstract(d.hocTest);
        hocAbstracts = new ArrayList<>(gold.keySet());
        hocGold = gold.values().stream().mapToInt(Integer::intValue).toArray();
        hocGoldFull = HocData.goldByAbstract(d.hocTestFull).values().stream().mapToInt(Integer::intValue).toArray();

        pubmedqaBaseline = constant(pubmedqaGold.length, majority.ordinal());
        hocBaseline = constant(hocGold.length, HocLabels.ALL);
        int[] pqConst = pubmedqaBaseline, pqConstFull = constant(pubmedqaGoldFull.length, majority.ordinal());
        Map<String, Object> pq = row("pubmedqa", "always '" + majority.text + "' (most frequent label of the training fold)");
        metric(pq, "accuracy", Bootstrap.percentile(pubmedqaGold.length, idx -> ResampledMetrics.pubmedqaAccuracy(pubmedqaGold, pqConst, idx), resamples, seed, Bootstrap.LEVEL),
                ResampledMetrics.pubmedqaAccuracy(pubmedqaGoldFull, pqConstFull, identity(pubmedqaGoldFull.length)));
        metric(pq, "macro_f1", Bootstrap.percentile(pubmedqaGold.length, idx -> ResampledMetrics.pubmedqaMacroF1(pubmedqaGold, pqConst, idx), resamples, seed, Bootstrap.LEVEL),
                ResampledMetrics.pubmedqaMacroF1(pubmedqaGoldFull, pqConstFull, identity(pubmedqaGoldFull.length)));
        json.add(pq);
        for (int mask : new int[] {HocLabels.ALL, 0}) {
            int[] pred = constant(hocGold.length, mask), predFull = constant(hocGoldFull.length, mask);
            Map<String, Object> h = row("hoc", mask == 0 ? "no label" : "all ten labels");
            metric(h, "micro_f1", Bootstrap.percentile(hocGold.length, idx -> ResampledMetrics.hocMicroF1(hocGold, pred, idx), resamples, seed, Bootstrap.LEVEL),
                    ResampledMetrics.hocMicroF1(hocGoldFull, predFull, identity(hocGoldFull.length)));
            json.add(h);
        }
    }

    static int[] labels(List<PubmedqaRecord> records) {
        return records.stream().mapToInt(r -> r.label().ordinal()).toArray();
    }

    static int[] constant(int n, int v) {
        int[] a = new int[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        return a;
    }

    private static Map<String, Object> row(String task, String name) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("task", task);
        m.put("name", name);
        m.put("evaluated", new LinkedHashMap<String, Object>());
        m.put("full_test", new LinkedHashMap<String, Object>());
        return m;
    }

    @SuppressWarnings("unchecked")
    private static void metric(Map<String, Object> row, String name, Bootstrap.Interval evaluated, double full) {
        ((Map<String, Object>) row.get("evaluated")).put(name, evaluated.toJson());
        ((Map<String, Object>) row.get("full_test")).put(name, full);
    }
}
