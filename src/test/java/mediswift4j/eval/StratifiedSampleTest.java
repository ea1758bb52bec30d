package mediswift4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** StratifiedSample's invariants over random lists, and examples worked out by hand from the rule. */
class StratifiedSampleTest {
    /**
     * Items are their own positions 0..N-1 (so a chosen item says where it came from); up to six strata. Checks
     * size, membership, order, no duplicates, each stratum within 1 of its exact share, and determinism.
     */
    @Property(tries = 300)
    void keepsSharesOrderAndMembership(@ForAll @Size(min = 1, max = 300) List<@IntRange(min = 0, max = 5) Integer> strata,
                                       @ForAll @IntRange(min = 0, max = 350) int n, @ForAll long seed) {
        int total = strata.size();
        List<Integer> items = new ArrayList<>();
        for (int i = 0; i < total; i++) items.add(i);
        Function<Integer, String> stratumOf = i -> "s" + strata.get(i);

        List<Integer> chosen = StratifiedSample.sample(items, stratumOf, n, seed);
        int expectedSize = Math.min(n, total);
        assertEquals(expectedSize, chosen.size());
        for (int k = 0; k < chosen.size(); k++) {
            int position = chosen.get(k);
            assertTrue(position >= 0 && position < total, "not an input item: " + position);
            // strictly increasing positions: original order kept and no item twice
            if (k > 0) assertTrue(chosen.get(k - 1) < position, "order or duplicate at " + k);
        }

        Map<String, Integer> sizes = counts(items, stratumOf);
        Map<String, Integer> picked = counts(chosen, stratumOf);
        for (Map.Entry<String, Integer> stratum : sizes.entrySet()) {
            long count = picked.getOrDefault(stratum.getKey(), 0);
            // |count - n * size / N| < 1, multiplied through by N to stay in exact integers
            long scaledError = Math.abs(count * total - (long) expectedSize * stratum.getValue());
            assertTrue(scaledError < total, stratum.getKey() + ": " + count + " of " + stratum.getValue());
        }

        assertEquals(chosen, StratifiedSample.sample(items, stratumOf, n, seed));
        if (n >= total) assertEquals(items, chosen);
    }

    /**
     * Ten items, strata by first letter: y at positions 0 2 4 6 7 (5), n at 1 5 8 (3), m at 3 9 (2); n = 5, seed 7.
     * Shares 2.5, 1.5, 1.0 -> quotas 2, 1, 1 with one pick left; the fractional parts of y and n tie at 0.5, so the
     * earlier stratum y gets it: quotas 3, 1, 1.
     * The draws of derive(7, "stratified_sample", 0) were computed outside Java from SPEC section 2 (a separate
     * SplitMix64 that reproduces the SPEC test vectors): nextInt(5..2) = 0, 3, 1, 0 for y; nextInt(3), nextInt(2)
     * = 1, 0 for n; nextInt(2) = 1 for m. By hand:
     *   y [0 2 4 6 7]: i=4 j=0 -> [7 2 4 6 0]; i=3 j=3 -> same; i=2 j=1 -> [7 4 2 6 0]; i=1 j=0 -> [4 7 2 6 0];
     *                  first three: positions 4 7 2
     *   n [1 5 8]:     i=2 j=1 -> [1 8 5]; i=1 j=0 -> [8 1 5]; first: position 8
     *   m [3 9]:       i=1 j=1 -> same; first: position 3
     * Chosen positions 2 3 4 7 8 in list order: y2 m1 y3 y5 n3.
     */
    @Test
    void handWorkedExample() {
        List<String> items = List.of("y1", "n1", "y2", "m1", "y3", "n2", "y4", "y5", "n3", "m2");
        Function<String, String> firstLetter = s -> s.substring(0, 1);
        assertEquals(List.of("y2", "m1", "y3", "y5", "n3"), StratifiedSample.sample(items, firstLetter, 5, 7));
        assertEquals(List.of("y", "n", "m"), List.copyOf(counts(items, firstLetter).keySet()));
        assertEquals(Map.of("y", 5, "n", 3, "m", 2), counts(items, firstLetter));
    }

    /**
     * Four one-item strata, n = 2: every quota is floor(0.5) = 0 and every fractional part is 0.5, so the two picks
     * go to the two earliest strata whatever the seed (a one-item shuffle draws nothing).
     */
    @Test
    void tiesGoToTheEarlierStratum() {
        List<String> items = List.of("a", "b", "c", "d");
        for (long seed : new long[] {0, 1, 12345}) {
            assertEquals(List.of("a", "b"), StratifiedSample.sample(items, s -> s, 2, seed));
        }
    }

    /**
     * Sizes A 5, B 3, C 2 (N = 10), n = 4: shares 2.0, 1.2, 0.8 -> quotas 2, 1, 0 with one pick left, which goes
     * to the largest fractional part, C's 0.8, not to the earlier B's 0.2: counts 2, 1, 1.
     */
    @Test
    void theLargestFractionGetsTheLeftoverPick() {
        List<String> items = List.of("A1", "B1", "A2", "C1", "A3", "B2", "A4", "C2", "A5", "B3");
        Function<String, String> firstLetter = s -> s.substring(0, 1);
        for (long seed = 0; seed < 5; seed++) {
            List<String> chosen = StratifiedSample.sample(items, firstLetter, 4, seed);
            assertEquals(Map.of("A", 2, "B", 1, "C", 1), counts(chosen, firstLetter));
        }
    }

    @Test
    void edgeSizes() {
        List<String> items = List.of("a1", "b1", "a2");
        Function<String, String> firstLetter = s -> s.substring(0, 1);
        assertEquals(List.of(), StratifiedSample.sample(items, firstLetter, 0, 3));
        assertEquals(items, StratifiedSample.sample(items, firstLetter, 3, 3));
        assertEquals(items, StratifiedSample.sample(items, firstLetter, 99, 3));
        assertEquals(List.of(), StratifiedSample.sample(List.<String>of(), firstLetter, 4, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StratifiedSample.sample(items, firstLetter, -1, 3));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
    }

    /** Stratum -> number of items, strata in order of first appearance. */
    private static <T> Map<String, Integer> counts(List<T> items, Function<T, String> stratumOf) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (T item : items) out.merge(stratumOf.apply(item), 1, Integer::sum);
        return out;
    }
}
