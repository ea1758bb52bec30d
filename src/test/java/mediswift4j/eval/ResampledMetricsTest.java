package mediswift4j.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import mediswift4j.hoc.HocMetrics;
import mediswift4j.pubmedqa.PubmedqaLabel;
import mediswift4j.pubmedqa.PubmedqaMetrics;

/** ResampledMetrics against the metric classes (identity and repeated-index resamples) and by hand. */
class ResampledMetricsTest {
    private static final int YES = 0, NO = 1, MAYBE = 2, NONE = ResampledMetrics.NO_ANSWER;

    private static int[] identity(int n) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        return idx;
    }

    private static PubmedqaLabel label(int l) {
        return l == NONE ? null : PubmedqaLabel.values()[l];
    }

    /**
     * On the identity resample, the same doubles as PubmedqaMetrics; on a resample with repeated indices, the same
     * as PubmedqaMetrics on the items written out in resample order. Predictions include -1 (no answer).
     */
    @Property(tries = 300)
    void pubmedqaMatchesTheMetricClass(@ForAll @Size(min = 1, max = 80) List<@IntRange(min = 0, max = 2) Integer> gold,
                                       @ForAll @Size(min = 80, max = 80) List<@IntRange(min = -1, max = 2) Integer> pred,
                                       @ForAll @Size(min = 1, max = 100) List<@IntRange(min = 0, max = 1000) Integer> draws) {
        int n = gold.size();
        int[] g = gold.stream().mapToInt(Integer::intValue).toArray();
        int[] p = pred.subList(0, n).stream().mapToInt(Integer::intValue).toArray();
        List<PubmedqaLabel> goldLabels = new ArrayList<>(), predLabels = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            goldLabels.add(label(g[i]));
            predLabels.add(label(p[i]));
        }
        PubmedqaMetrics whole = PubmedqaMetrics.score(goldLabels, predLabels);
        assertEquals(whole.accuracy, ResampledMetrics.pubmedqaAccuracy(g, p, identity(n)));
        assertEquals(whole.macroF1, ResampledMetrics.pubmedqaMacroF1(g, p, identity(n)));

        int[] idx = draws.stream().mapToInt(d -> d % n).toArray();
        List<PubmedqaLabel> goldOut = new ArrayList<>(), predOut = new ArrayList<>();
        for (int i : idx) {
            goldOut.add(label(g[i]));
            predOut.add(label(p[i]));
        }
        PubmedqaMetrics resampled = PubmedqaMetrics.score(goldOut, predOut);
        assertEquals(resampled.accuracy, ResampledMetrics.pubmedqaAccuracy(g, p, idx));
        assertEquals(resampled.macroF1, ResampledMetrics.pubmedqaMacroF1(g, p, idx));
    }

    /** The same for HoC; masks go up to 12 bits to check that bits above 9 are ignored in both places. */
    @Property(tries = 300)
    void hocMatchesTheMetricClass(@ForAll @Size(min = 1, max = 60) List<@IntRange(min = 0, max = 4095) Integer> gold,
                                  @ForAll @Size(min = 60, max = 60) List<@IntRange(min = 0, max = 4095) Integer> pred,
                                  @ForAll @Size(min = 1, max = 80) List<@IntRange(min = 0, max = 1000) Integer> draws) {
        int n = gold.size();
        List<Integer> predN = pred.subList(0, n);
        int[] g = gold.stream().mapToInt(Integer::intValue).toArray();
        int[] p = predN.stream().mapToInt(Integer::intValue).toArray();
        assertEquals(HocMetrics.score(gold, predN).microF1, ResampledMetrics.hocMicroF1(g, p, identity(n)));

        int[] idx = draws.stream().mapToInt(d -> d % n).toArray();
        List<Integer> goldOut = new ArrayList<>(), predOut = new ArrayList<>();
        for (int i : idx) {
            goldOut.add(g[i]);
            predOut.add(p[i]);
        }
        assertEquals(HocMetrics.score(goldOut, predOut).microF1, ResampledMetrics.hocMicroF1(g, p, idx));
    }

    /**
     * gold yes yes no maybe no, pred yes no no no yes. Accuracy: items 0 and 2 right, 2/5.
     * yes: TP 1 (item 0), FP 1 (item 4), FN 1 (item 1) -> 2/4 = 0.5
     * no:  TP 1 (item 2), FP 2 (items 1, 3), FN 1 (item 4) -> 2/5 = 0.4
     * maybe: TP 0, FP 0, FN 1 (item 3) -> 0, counted (it occurs in gold); macro = 0.9 / 3 = 0.3
     * Resample [0 0 2]: all right, maybe occurs nowhere so it is left out: accuracy 1, macro 1.
     * Resample [0 3]: yes F1 1; no F1 0 (FP 1, counted as a prediction); maybe F1 0 (FN 1): macro 1/3.
     * Resample [1 1 4]: nothing right: accuracy 0, macro 0.
     */
    @Test
    void pubmedqaByHand() {
        int[] gold = {YES, YES, NO, MAYBE, NO}, pred = {YES, NO, NO, NO, YES};
        assertEquals(0.4, ResampledMetrics.pubmedqaAccuracy(gold, pred, identity(5)), 1e-15);
        assertEquals(0.3, ResampledMetrics.pubmedqaMacroF1(gold, pred, identity(5)), 1e-15);
        assertEquals(1.0, ResampledMetrics.pubmedqaAccuracy(gold, pred, new int[] {0, 0, 2}));
        assertEquals(1.0, ResampledMetrics.pubmedqaMacroF1(gold, pred, new int[] {0, 0, 2}));
        assertEquals(0.5, ResampledMetrics.pubmedqaAccuracy(gold, pred, new int[] {0, 3}));
        assertEquals(1.0 / 3, ResampledMetrics.pubmedqaMacroF1(gold, pred, new int[] {0, 3}), 1e-15);
        assertEquals(0.0, ResampledMetrics.pubmedqaAccuracy(gold, pred, new int[] {1, 1, 4}));
        assertEquals(0.0, ResampledMetrics.pubmedqaMacroF1(gold, pred, new int[] {1, 1, 4}));
        // No answer for a "yes" item: wrong, and yes has TP 0, FN 1 -> F1 0; it is the only label present.
        assertEquals(0.0, ResampledMetrics.pubmedqaAccuracy(new int[] {YES}, new int[] {NONE}, new int[] {0}));
        assertEquals(0.0, ResampledMetrics.pubmedqaMacroF1(new int[] {YES}, new int[] {NONE}, new int[] {0}));
    }

    /**
     * gold 011 000 100, pred 001 010 100 (bit 0 on the right). Abstract 0: TP bit 0, FN bit 1; abstract 1: FP bit 1;
     * abstract 2: TP bit 2. TP 2, FP 1, FN 1 -> 4/6. Resample [0 2 2]: TP 3, FN 1 -> 6/7. Resample [1 1]: TP 0,
     * FP 2 -> 0. An abstract with no gold and no predicted label: denominator 0 -> 0.
     */
    @Test
    void hocByHand() {
        int[] gold = {0b011, 0b000, 0b100}, pred = {0b001, 0b010, 0b100};
        assertEquals(2.0 / 3, ResampledMetrics.hocMicroF1(gold, pred, identity(3)), 1e-15);
        assertEquals(6.0 / 7, ResampledMetrics.hocMicroF1(gold, pred, new int[] {0, 2, 2}), 1e-15);
        assertEquals(0.0, ResampledMetrics.hocMicroF1(gold, pred, new int[] {1, 1}));
        assertEquals(0.0, ResampledMetrics.hocMicroF1(new int[] {0}, new int[] {0}, new int[] {0}));
    }

    /** {1, 2, 3, 4}: mean 2.5, squared deviations 2.25 + 0.25 + 0.25 + 2.25 = 5 over n - 1 = 3: std sqrt(5/3). */
    @Test
    void meanAndStdByHand() {
        assertArrayEquals(new double[] {2.5, Math.sqrt(5.0 / 3)}, ResampledMetrics.meanAndStd(new double[] {1, 2, 3, 4}), 1e-15);
        assertArrayEquals(new double[] {0.25, 0.0}, ResampledMetrics.meanAndStd(new double[] {0.25}));
        assertArrayEquals(new double[] {7.0, 0.0}, ResampledMetrics.meanAndStd(new double[] {7, 7, 7}));
        assertThrows(IllegalArgumentException.class, () -> ResampledMetrics.meanAndStd(new double[0]));
    }

    @Test
    void badInputsAreRejected() {
        int[] three = {0, 1, 2};
        assertThrows(IllegalArgumentException.class, () -> ResampledMetrics.pubmedqaAccuracy(three, new int[] {0, 1}, identity(2)));
        assertThrows(IllegalArgumentException.class, () -> ResampledMetrics.pubmedqaMacroF1(three, three, new int[0]));
        assertThrows(IllegalArgumentException.class, () -> ResampledMetrics.pubmedqaAccuracy(new int[] {3}, new int[] {0}, identity(1)));
        assertThrows(IllegalArgumentException.class, () -> ResampledMetrics.pubmedqaMacroF1(new int[] {0}, new int[] {-2}, identity(1)));
        assertThrows(IllegalArgumentException.class, () -> ResampledMetrics.hocMicroF1(three, three, new int[0]));
    }
}
