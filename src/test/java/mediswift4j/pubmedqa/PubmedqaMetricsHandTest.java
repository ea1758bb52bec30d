package mediswift4j.pubmedqa;

import static mediswift4j.pubmedqa.PubmedqaLabel.MAYBE;
import static mediswift4j.pubmedqa.PubmedqaLabel.NO;
import static mediswift4j.pubmedqa.PubmedqaLabel.YES;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Every field of PubmedqaMetrics on six items worked out by hand (scikit-learn's definitions, SPEC.md section 13;
 * an unanswered item counts against its gold label's recall and is in accuracy's denominator):
 *
 *   gold  yes yes no  maybe no   yes
 *   pred  yes no  no  yes   -    yes
 *
 *   yes:   tp 2, fp 1 (the maybe), fn 1 (answered no)   P 2/3  R 2/3  F1 2/3
 *   no:    tp 1, fp 1 (a yes),     fn 1 (unanswered)    P 1/2  R 1/2  F1 1/2
 *   maybe: tp 0, fp 0,             fn 1                 P 0    R 0    F1 0
 *   accuracy 3/6, macro-F1 (2/3 + 1/2 + 0) / 3 = 7/18, one unanswered
 */
class PubmedqaMetricsHandTest {
    @Test
    void sixItemsByHand() {
        PubmedqaMetrics m = PubmedqaMetrics.score(List.of(YES, YES, NO, MAYBE, NO, YES), Arrays.asList(YES, NO, NO, YES, null, YES));
        assertEquals(6, m.n);
        assertEquals(1, m.unanswered);
        assertEquals(0.5, m.accuracy, 1e-15);
        assertEquals(7.0 / 18, m.macroF1, 1e-15);
        double[] p = new double[3], r = new double[3], f = new double[3];
        p[YES.ordinal()] = 2.0 / 3;
        r[YES.ordinal()] = 2.0 / 3;
        f[YES.ordinal()] = 2.0 / 3;
        p[NO.ordinal()] = 0.5;
        r[NO.ordinal()] = 0.5;
        f[NO.ordinal()] = 0.5;
        assertArrayEquals(p, m.precision, 1e-15);
        assertArrayEquals(r, m.recall, 1e-15);
        assertArrayEquals(f, m.f1, 1e-15);
        long[] support = new long[3];
        support[YES.ordinal()] = 3;
        support[NO.ordinal()] = 2;
        support[MAYBE.ordinal()] = 1;
        assertArrayEquals(support, m.support);
        assertEquals(1, m.confusion[YES.ordinal()][NO.ordinal()]);
        assertEquals(1, m.confusion[MAYBE.ordinal()][YES.ordinal()]);
        assertEquals(2, m.confusion[YES.ordinal()][YES.ordinal()]);
    }
}
