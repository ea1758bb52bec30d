package mediswift4j.hoc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Every count and ratio of HocMetrics on five abstracts worked out by hand (labels as bits: {0, 1} = 0b11):
 *
 *   gold  {0,1}  {1}    {2}  {}   {0}
 *   pred  {0,1}  {1,2}  {}   {1}  {}
 *
 *   label 0: tp 1, fp 0, fn 1   P 1    R 1/2  F1 2/3
 *   label 1: tp 2, fp 1, fn 0   P 2/3  R 1    F1 4/5
 *   label 2: tp 0, fp 1, fn 1   P 0    R 0    F1 0
 *   micro:   tp 3, fp 2, fn 2   P 3/5  R 3/5  F1 6/10
 */
class HocMetricsHandTest {
    @Test
    void fiveAbstractsByHand() {
        HocMetrics m = HocMetrics.score(List.of(0b11, 0b10, 0b100, 0, 0b1), List.of(0b11, 0b110, 0, 0b10, 0));
        assertEquals(5, m.abstracts);
        assertEquals(3, m.tp);
        assertEquals(2, m.fp);
        assertEquals(2, m.fn);
        assertEquals(0.6, m.microPrecision, 1e-15);
        assertEquals(0.6, m.microRecall, 1e-15);
        assertEquals(0.6, m.microF1, 1e-15);
        double[][] expected = {{1, 0.5, 2.0 / 3}, {2.0 / 3, 1, 0.8}, {0, 0, 0}};
        long[][] counts = {{1, 0, 1}, {2, 1, 0}, {0, 1, 1}};
        for (int k = 0; k < 3; k++) {
            assertEquals(counts[k][0], m.labelTp[k], "tp " + k);
            assertEquals(counts[k][1], m.labelFp[k], "fp " + k);
            assertEquals(counts[k][2], m.labelFn[k], "fn " + k);
            assertEquals(expected[k][0], m.precision[k], 1e-15, "precision " + k);
            assertEquals(expected[k][1], m.recall[k], 1e-15, "recall " + k);
            assertEquals(expected[k][2], m.f1[k], 1e-15, "f1 " + k);
        }
        for (int k = 3; k < HocLabels.COUNT; k++) assertEquals(0.0, m.f1[k], "label " + k + " never occurs");
    }
}
