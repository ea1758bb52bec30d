package mediswift4j.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import mediswift4j.util.Rng;

/** Bootstrap's intervals: invariants over random accuracy vectors, and the index and stream rules by hand. */
class BootstrapTest {
    /** Accuracy over a resample of a 0/1 "item was answered correctly" vector. */
    private static ToDoubleFunction<int[]> accuracyOf(boolean[] correct) {
        return idx -> {
            int right = 0;
            for (int i : idx) if (correct[i]) right++;
            return (double) right / idx.length;
        };
    }

    private static boolean[] toArray(List<Boolean> values) {
        boolean[] out = new boolean[values.size()];
        for (int i = 0; i < out.length; i++) out[i] = values.get(i);
        return out;
    }

    @Property(tries = 60)
    void accuracyIntervalContainsTheEstimate(@ForAll @Size(min = 1, max = 400) List<Boolean> correct, @ForAll long seed) {
        Bootstrap.Interval ci = Bootstrap.percentile(correct.size(), accuracyOf(toArray(correct)), seed);
        long right = correct.stream().filter(c -> c).count();
        assertEquals((double) right / correct.size(), ci.estimate());
        assertTrue(ci.low() <= ci.estimate() && ci.estimate() <= ci.high(), ci.toString());
        assertTrue(ci.low() >= 0 && ci.high() <= 1, ci.toString());
        assertEquals(ci, Bootstrap.percentile(correct.size(), accuracyOf(toArray(correct)), seed));
    }

    /** 60% accuracy (pattern 1 1 1 0 0) over 50 items and over 800: the interval narrows, about as 1/sqrt(n). */
    @Test
    void moreItemsGiveANarrowerInterval() {
        double[] widths = new double[2];
        int[] sizes = {50, 800};
        for (int k = 0; k < 2; k++) {
            boolean[] correct = new boolean[sizes[k]];
            for (int i = 0; i < correct.length; i++) correct[i] = i % 5 < 3;
            Bootstrap.Interval ci = Bootstrap.percentile(correct.length, accuracyOf(correct), 2024);
            assertEquals(0.6, ci.estimate(), 1e-15);
            widths[k] = ci.high() - ci.low();
        }
        assertTrue(widths[0] > 2 * widths[1], "50 items " + widths[0] + ", 800 items " + widths[1]);
    }

    @Test
    void constantStatisticGivesAPointInterval() {
        Bootstrap.Interval ci = Bootstrap.percentile(17, idx -> 0.7, 5);
        assertEquals(new Bootstrap.Interval(0.7, 0.7, 0.7, Bootstrap.RESAMPLES, Bootstrap.LEVEL), ci);
    }

    /**
     * The statistic returns 0 on the identity call, then 1, 2, ..., B on the resamples, so the sorted values are
     * 1..B and value v sits at index v - 1. B = 1000, L = 0.95: indices floor(25) = 25 and ceil(975) - 1 = 974,
     * values 26 and 975. B = 1000, L = 0.9: floor(50) = 50 and ceil(950) - 1 = 949, values 51 and 950 (in float64
     * (1 - 0.9) / 2 * 1000 is 49.999999999999986: this is the case the 1e-9 tolerance is for).
     * B = 10, L = 0.5: floor(2.5) = 2 and ceil(7.5) - 1 = 7, values 3 and 8.
     * B = 1, L = 0.95: floor(0.025) = 0 and ceil(0.975) - 1 = 0, value 1 for both.
     */
    @Test
    void percentilePositionsFollowTheRule() {
        assertInterval(1000, 0.95, 26, 975);
        assertInterval(1000, 0.9, 51, 950);
        assertInterval(10, 0.5, 3, 8);
        assertInterval(1, 0.95, 1, 1);
    }

    private static void assertInterval(int resamples, double level, double low, double high) {
        int[] calls = {0};
        Bootstrap.Interval ci = Bootstrap.percentile(4, idx -> calls[0]++, resamples, 9, level);
        assertEquals(0.0, ci.estimate());
        assertEquals(low, ci.low());
        assertEquals(high, ci.high());
        assertEquals(resamples + 1, calls[0]);
    }

    /** Resample b, position i takes the (b * n + i)-th nextInt(n) of derive(seed, "bootstrap", 0). */
    @Test
    void resamplesComeFromOneStreamInOrder() {
        int n = 7, resamples = 20;
        List<int[]> seen = new ArrayList<>();
        Bootstrap.percentile(n, idx -> {
            seen.add(idx.clone());
            return 0;
        }, resamples, 123, 0.9);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6}, seen.get(0));
        Rng stream = Rng.derive(123, "bootstrap", 0);
        for (int b = 0; b < resamples; b++) {
            int[] expected = new int[n];
            for (int i = 0; i < n; i++) expected[i] = stream.nextInt(n);
            assertArrayEquals(expected, seen.get(b + 1), "resample " + b);
        }
    }

    /**
     * Three items, correct = 1 0 1, two resamples, seed 11. The first six nextInt(3) of derive(11, "bootstrap", 0),
     * computed outside Java from SPEC section 2, are 2 2 2 2 1 1: resamples [2 2 2] (accuracy 1) and [2 1 1]
     * (accuracy 1/3). Sorted: 1/3, 1. At L = 0.95: low index floor(0.05) = 0, high index ceil(1.95) - 1 = 1.
     */
    @Test
    void handWorkedTwoResamples() {
        Bootstrap.Interval ci = Bootstrap.percentile(3, accuracyOf(new boolean[] {true, false, true}), 2, 11, 0.95);
        assertEquals(new Bootstrap.Interval(2.0 / 3, 1.0 / 3, 1.0, 2, 0.95), ci);
    }

    /** A paired difference: a clear gap excludes zero; a system against itself gives exactly [0, 0], which does not. */
    @Test
    void pairedDifferenceExcludesZeroOnlyForARealGap() {
        int n = 200;
        boolean[] strong = new boolean[n], weak = new boolean[n];
        for (int i = 0; i < n; i++) {
            strong[i] = i % 10 != 0; // 90%
            weak[i] = i % 2 == 0;    // 50%
        }
        ToDoubleFunction<int[]> a = accuracyOf(strong), b = accuracyOf(weak);
        Bootstrap.Interval gap = Bootstrap.percentile(n, idx -> a.applyAsDouble(idx) - b.applyAsDouble(idx), 1);
        assertEquals(0.4, gap.estimate(), 1e-12);
        assertTrue(gap.excludesZero(), gap.toString());
        Bootstrap.Interval same = Bootstrap.percentile(n, idx -> a.applyAsDouble(idx) - a.applyAsDouble(idx), 1);
        assertEquals(0.0, same.low());
        assertEquals(0.0, same.high());
        assertFalse(same.excludesZero());
        assertTrue(new Bootstrap.Interval(-0.2, -0.3, -0.1, 10, 0.95).excludesZero());
    }

    @Test
    void jsonKeysAndBadArguments() {
        Bootstrap.Interval ci = new Bootstrap.Interval(0.5, 0.25, 0.75, 1000, 0.95);
        assertEquals(List.of("estimate", "low", "high", "resamples", "level"), List.copyOf(ci.toJson().keySet()));
        assertEquals(1000L, ci.toJson().get("resamples"));
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> Bootstrap.percentile(0, idx -> 0, 1));
        assertTrue(empty.getMessage().contains("at least one item"), empty.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Bootstrap.percentile(3, idx -> 0, 0, 1, 0.95));
        assertThrows(IllegalArgumentException.class, () -> Bootstrap.percentile(3, idx -> 0, 10, 1, 1.0));
        assertThrows(IllegalArgumentException.class, () -> Bootstrap.percentile(3, idx -> Double.NaN, 1));
    }
}
