package mediswift4j.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Edges of the resampling helpers, with expected values worked out by hand. */
class EvalEdgesTest {
    /** Sample standard deviation (n - 1): for 1, 2, 3, 4 the squares sum to 5, so std = sqrt(5 / 3). */
    @Test
    void meanAndSampleStd() {
        assertArrayEquals(new double[] {2.5, Math.sqrt(5.0 / 3)}, ResampledMetrics.meanAndStd(new double[] {1, 2, 3, 4}), 1e-15);
        assertArrayEquals(new double[] {7, 0}, ResampledMetrics.meanAndStd(new double[] {7}), 0);
    }

    /** An unanswered item (-1) is allowed and counts as wrong: 2 of 4 right. Labels outside -1..2 are refused. */
    @Test
    void unansweredPredictionIsAccepted() {
        int[] gold = {0, 1, 2, 0}, pred = {0, ResampledMetrics.NO_ANSWER, 2, 1}, all = {0, 1, 2, 3};
        assertEquals(0.5, ResampledMetrics.pubmedqaAccuracy(gold, pred, all), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> ResampledMetrics.pubmedqaAccuracy(gold, new int[] {0, -2, 2, 1}, all));
        assertThrows(IllegalArgumentException.class, () -> ResampledMetrics.pubmedqaAccuracy(gold, new int[] {0, 3, 2, 1}, all));
    }

    @Test
    void bootstrapNeedsAnItem() {
        assertThrows(IllegalArgumentException.class, () -> Bootstrap.percentile(0, idx -> 0.0, 10, 1, 0.95));
        assertThrows(IllegalArgumentException.class, () -> Bootstrap.percentile(5, idx -> 0.0, 0, 1, 0.95));
        assertThrows(IllegalArgumentException.class, () -> Bootstrap.percentile(5, idx -> 0.0, 10, 1, 0.0));
        assertThrows(IllegalArgumentException.class, () -> Bootstrap.percentile(5, idx -> 0.0, 10, 1, 1.0));
    }

    /** Asking for as many items as there are returns them all, in their order. */
    @Test
    void sampleOfEverythingKeepsTheOrder() {
        List<String> items = List.of("a1", "b1", "a2", "b2", "a3");
        assertEquals(items, StratifiedSample.sample(items, s -> s.substring(0, 1), items.size(), 5));
        assertEquals(items, StratifiedSample.sample(items, s -> s.substring(0, 1), 99, 5));
    }

    /**
     * The class comment's rule by hand for one stratum of two and n = 1: Fisher-Yates swaps position 1 with
     * j = nextInt(2) of derive(seed, "stratified_sample", 0); the first shuffled position is chosen, so the pick is
     * the second item exactly when j = 0.
     */
    @Test
    void shuffleOfTwoFollowsTheRule() {
        List<String> items = List.of("a", "b");
        for (long seed = 0; seed < 16; seed++) {
            int j = mediswift4j.util.Rng.derive(seed, "stratified_sample", 0).nextInt(2);
            assertEquals(List.of(j == 0 ? "b" : "a"), StratifiedSample.sample(items, s -> "one", 1, seed), "seed " + seed);
        }
    }
}
