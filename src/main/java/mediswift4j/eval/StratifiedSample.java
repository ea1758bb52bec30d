package mediswift4j.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import mediswift4j.util.Rng;

/**
 * A seeded sample of n items that keeps each stratum's share of the list (for example a PubMedQA subset with the
 * yes/no/maybe proportions of the full split). The rule, for N items and 0 <= n < N:
 *
 *   strata        the distinct values of stratumOf(item), in order of first appearance; size_s = members of s
 *   quota_s       floor(n * size_s / N)
 *   extra picks   the n - sum(quota_s) picks left over go one each to the strata with the largest fractional
 *                 parts n * size_s / N - quota_s (compared exactly, as the remainders (n * size_s) mod N);
 *                 ties go to the earlier stratum
 *   stream        one generator, Rng.derive(seed, "stratified_sample", 0)
 *   members       for each stratum in order, its members' positions in list order are shuffled by Fisher-Yates
 *                 (for i = m - 1 down to 1: swap positions i and nextInt(i + 1)); every stratum is shuffled, even
 *                 one whose quota is 0, and the first quota_s shuffled positions are chosen
 *   result        the chosen items in their original list order
 *
 * When n >= N the result is every item, in order, and nothing is drawn; n < 0 is an error. Each stratum's count
 * is floor or ceil of n * size_s / N, so it is always within 1 of its exact share and the counts sum to n.
 */
public final class StratifiedSample {
    private StratifiedSample() {}

    /** The stream label of {@link #sample}; part of the rule above. */
    static final String STREAM = "stratified_sample";

    /** n of the items (all of them when n >= items.size()), stratified by stratumOf, by the rule above. */
    public static <T> List<T> sample(List<T> items, Function<T, String> stratumOf, int n, long seed) {
        if (n < 0) throw new IllegalArgumentException("sample size must be 0 or more, got " + n);
        int total = items.size();
        if (n >= total) return new ArrayList<>(items);

        List<int[]> members = membersByStratum(items, stratumOf);
        int[] quota = quotas(members, n, total);
        Rng rng = Rng.derive(seed, STREAM, 0);
        boolean[] chosen = new boolean[total];
        for (int s = 0; s < members.size(); s++) {
            int[] positions = members.get(s);
            shuffle(positions, rng);
            for (int k = 0; k < quota[s]; k++) chosen[positions[k]] = true;
        }
        List<T> out = new ArrayList<>(n);
        for (int i = 0; i < total; i++) if (chosen[i]) out.add(items.get(i));
        return out;
    }

    /** Each stratum's member positions in list order; strata in order of first appearance. */
    private static <T> List<int[]> membersByStratum(List<T> items, Function<T, String> stratumOf) {
        Map<String, List<Integer>> byName = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i++) {
            byName.computeIfAbsent(stratumName(items, stratumOf, i), k -> new ArrayList<>()).add(i);
        }
        List<int[]> out = new ArrayList<>(byName.size());
        for (List<Integer> positions : byName.values()) {
            out.add(positions.stream().mapToInt(Integer::intValue).toArray());
        }
        return out;
    }

    private static <T> String stratumName(List<T> items, Function<T, String> stratumOf, int i) {
        String name = stratumOf.apply(items.get(i));
        if (name == null) throw new IllegalArgumentException("item " + i + " has no stratum (stratumOf returned null)");
        return name;
    }

    /**
     * Largest-remainder quotas. The fractional part of n * size_s / N is remainder_s / N with
     * remainder_s = (n * size_s) mod N, so comparing the integer remainders ranks the fractions exactly, with no
     * floating-point ties to break differently in another language.
     */
    private static int[] quotas(List<int[]> members, int n, int total) {
        int strata = members.size();
        int[] quota = new int[strata];
        long[] remainder = new long[strata];
        int given = 0;
        for (int s = 0; s < strata; s++) {
            long share = (long) n * members.get(s).length; // long: n * size can pass 2^31
            quota[s] = (int) (share / total);
            remainder[s] = share % total;
            given += quota[s];
        }
        // Fewer extra picks than strata are left (the fractional parts are each < 1 and sum to n - given), so each
        // stratum gets at most one. A strict ">" keeps the earlier stratum on ties.
        boolean[] hasExtra = new boolean[strata];
        for (int pick = given; pick < n; pick++) {
            int best = -1;
            for (int s = 0; s < strata; s++) {
                if (!hasExtra[s] && (best < 0 || remainder[s] > remainder[best])) best = s;
            }
            hasExtra[best] = true;
            quota[best]++;
        }
        return quota;
    }

    /** Fisher-Yates from the back: for i = m - 1 down to 1, swap i with nextInt(i + 1). */
    private static void shuffle(int[] positions, Rng rng) {
        for (int i = positions.length - 1; i >= 1; i--) {
            int j = rng.nextInt(i + 1);
            int t = positions[i];
            positions[i] = positions[j];
            positions[j] = t;
        }
    }
}
