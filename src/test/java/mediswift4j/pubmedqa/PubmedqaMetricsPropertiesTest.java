package mediswift4j.pubmedqa;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Invariants of the PubMedQA metrics and split, against naive recomputations written independently here. */
class PubmedqaMetricsPropertiesTest {
    @Provide
    Arbitrary<List<Integer>> labelIndices() {
        return Arbitraries.integers().between(0, 2).list().ofMinSize(1).ofMaxSize(60);
    }

    @Property(tries = 200)
    void pubmedqaAccuracyAndMacroF1MatchANaiveCount(@ForAll("labelIndices") List<Integer> g,
                                                     @ForAll("labelIndices") List<Integer> p) {
        int n = Math.min(g.size(), p.size());
        List<PubmedqaLabel> gold = new ArrayList<>(), pred = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            gold.add(PubmedqaLabel.values()[g.get(i)]);
            pred.add(PubmedqaLabel.values()[p.get(i)]);
        }
        PubmedqaMetrics m = PubmedqaMetrics.score(gold, pred);
        int correct = 0;
        for (int i = 0; i < n; i++) if (gold.get(i) == pred.get(i)) correct++;
        assertEquals((double) correct / n, m.accuracy, 1e-15);

        // scikit-learn's macro F1: labels present in gold or pred; F1 = 2PR/(P+R) with 0 for empty ratios
        double sum = 0;
        int labels = 0;
        for (PubmedqaLabel l : PubmedqaLabel.values()) {
            int tp = 0, predicted = 0, actual = 0;
            for (int i = 0; i < n; i++) {
                if (pred.get(i) == l) predicted++;
                if (gold.get(i) == l) actual++;
                if (pred.get(i) == l && gold.get(i) == l) tp++;
            }
            if (predicted == 0 && actual == 0) continue;
            double prec = predicted == 0 ? 0 : (double) tp / predicted, rec = actual == 0 ? 0 : (double) tp / actual;
            sum += prec + rec == 0 ? 0 : 2 * prec * rec / (prec + rec);
            labels++;
        }
        assertEquals(sum / labels, m.macroF1, 1e-12);
        long total = 0;
        for (long[] row : m.confusion) for (long c : row) total += c;
        assertEquals(n, total);
        assertEquals(1.0, PubmedqaMetrics.score(gold, gold).macroF1, 1e-15);
    }

    @Property(tries = 50)
    void splitPartsAreAPartitionWithBalancedSizes(@ForAll @Size(min = 30, max = 200) List<@IntRange(min = 0, max = 2) Integer> labels,
                                                  @ForAll @IntRange(min = 0, max = 1000) int seed) {
        List<String> pmids = new ArrayList<>();
        Map<String, PubmedqaLabel> labelOf = new HashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            pmids.add("p" + i);
            labelOf.put("p" + i, PubmedqaLabel.values()[labels.get(i)]);
        }
        List<List<String>> parts;
        try {
            parts = PubmedqaSplits.stratifiedSplit(pmids, labelOf::get, 2, new PythonRandom(seed));
        } catch (IllegalArgumentException tooFew) {
            return; // a part came out empty before rebalancing (the Python script fails there too)
        }
        List<String> all = new ArrayList<>(parts.get(0));
        all.addAll(parts.get(1));
        all.sort(null);
        List<String> sorted = new ArrayList<>(pmids);
        sorted.sort(null);
        assertEquals(sorted, all);
    }
}
