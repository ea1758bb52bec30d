package mediswift4j.hoc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Invariants of the HoC metric and label formats, against naive recomputations written independently here. */
class HocMetricsPropertiesTest {
    @Provide
    Arbitrary<List<Integer>> masks() {
        return Arbitraries.integers().between(0, HocLabels.ALL).list().ofMinSize(1).ofMaxSize(40);
    }

    @Property(tries = 200)
    void hocMicroF1IsSymmetricAndSentenceUnionsMatch(@ForAll("masks") List<Integer> goldSentences,
                                                      @ForAll("masks") List<Integer> predSentences,
                                                      @ForAll @IntRange(min = 1, max = 7) int abstracts) {
        int n = Math.min(goldSentences.size(), predSentences.size());
        List<HocSentence> sentences = new ArrayList<>();
        Map<String, Integer> predicted = new HashMap<>();
        Map<String, Integer> goldUnion = new LinkedHashMap<>(), predUnion = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String pmid = String.valueOf(100 + i % abstracts);
            String index = pmid + "_s" + i;
            sentences.add(new HocSentence(index, pmid, i, "t", goldSentences.get(i)));
            predicted.put(index, predSentences.get(i));
            goldUnion.merge(pmid, goldSentences.get(i), (a, b) -> a | b);
            predUnion.merge(pmid, predSentences.get(i), (a, b) -> a | b);
        }
        HocMetrics m = HocMetrics.fromSentences(sentences, predicted);
        long tp = 0, fp = 0, fn = 0;
        for (String pmid : goldUnion.keySet()) {
            int gm = goldUnion.get(pmid), pm = predUnion.get(pmid);
            tp += Integer.bitCount(gm & pm);
            fp += Integer.bitCount(pm & ~gm);
            fn += Integer.bitCount(gm & ~pm);
        }
        assertEquals(tp, m.tp);
        assertEquals(fp, m.fp);
        assertEquals(fn, m.fn);
        assertEquals(goldUnion.size(), m.abstracts);
        HocMetrics swapped = HocMetrics.score(new ArrayList<>(predUnion.values()), new ArrayList<>(goldUnion.values()));
        assertEquals(m.microF1, swapped.microF1, 1e-15);
        long perLabelTp = 0;
        for (long t : m.labelTp) perLabelTp += t;
        assertEquals(m.tp, perLabelTp);
    }

    @Property(tries = 100)
    void hocLabelFormatsRoundTrip(@ForAll @IntRange(min = 0, max = HocLabels.ALL) int mask) {
        assertEquals(mask, HocLabels.parseFlags(HocLabels.formatFlags(mask), "t"));
        assertEquals(mask, HocLabels.parseNames(String.join("|", HocLabels.names(mask)), "t"));
        assertEquals(mask, HocLabels.parseEither(HocLabels.formatFlags(mask), "t"));
        assertEquals(mask, HocPrompt.parseTarget(HocPrompt.target(mask)));
        assertEquals(mask, HocPrompt.parseTarget(HocPrompt.target(mask).toUpperCase() + ".\nsentence: more"));
    }
}
