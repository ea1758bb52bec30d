package mediswift4j.eval;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.function.ToDoubleFunction;

import mediswift4j.util.Rng;

/**
 * Percentile bootstrap confidence intervals over evaluation items. A statistic is a function of an array of item
 * indices (a resample); the rule, for n items, B resamples and confidence level L:
 *
 *   estimate   statistic(0, 1, ..., n - 1), the identity resample
 *   stream     one generator, Rng.derive(seed, "bootstrap", 0)
 *   resamples  for b = 0 .. B - 1, for i = 0 .. n - 1: index_b[i] = nextInt(n)   (items drawn with replacement)
 *   values     v_b = statistic(index_b), sorted ascending
 *   interval   low = v[floor((1 - L) / 2 * B + 1e-9)], high = v[ceil((1 + L) / 2 * B - 1e-9) - 1], positions
 *              computed in float64 and clamped into [0, B - 1]; the 1e-9 absorbs float64 rounding (without it
 *              L = 0.9, B = 1000 would give (1 - L) / 2 * B = 49.999999999999986 and low = v[49] instead of v[50]).
 *              With the defaults B = 1000, L = 0.95 the positions are 25 and 974: 25 values lie below the
 *              interval and 25 above it
 *
 * Comparing two systems on the same items: use statistic = idx -> metricA(idx) - metricB(idx), so that both
 * metrics see the same resample (a paired bootstrap). The difference is called real only when its interval
 * excludes zero ({@link Interval#excludesZero}); otherwise the two are reported as not distinguishable.
 */
public final class Bootstrap {
    private Bootstrap() {}

    /** Default number of resamples. */
    public static final int RESAMPLES = 1000;
    /** Default confidence level. */
    public static final double LEVEL = 0.95;
    /** The stream label of {@link #percentile}; part of the rule above. */
    static final String STREAM = "bootstrap";
    /** Tolerance on the percentile positions, far below any real fractional part and far above float64 error. */
    private static final double ROUNDING = 1e-9;

    /** A point estimate and its percentile interval, with the settings that produced it. */
    public record Interval(double estimate, double low, double high, int resamples, double level) {
        /** True when the interval lies strictly on one side of zero: the only case a difference is called real. */
        public boolean excludesZero() {
            return low > 0 || high < 0;
        }

        /** The interval as a JSON-ready map: estimate, low, high, resamples, level (in that order). */
        public LinkedHashMap<String, Object> toJson() {
            LinkedHashMap<String, Object> out = new LinkedHashMap<>();
            out.put("estimate", estimate);
            out.put("low", low);
            out.put("high", high);
            out.put("resamples", (long) resamples); // long, as the JSON reader returns whole numbers
            out.put("level", level);
            return out;
        }
    }

    /** The interval with the defaults: {@link #RESAMPLES} resamples at level {@link #LEVEL}. */
    public static Interval percentile(int n, ToDoubleFunction<int[]> statistic, long seed) {
        return percentile(n, statistic, RESAMPLES, seed, LEVEL);
    }

    /**
     * The percentile interval of the rule above. Each resample is a fresh array, so a statistic may keep it; the
     * statistic must not return NaN (a NaN would sort to one end and silently move the interval).
     */
    public static Interval percentile(int n, ToDoubleFunction<int[]> statistic, int resamples, long seed, double level) {
        if (n <= 0) throw new IllegalArgumentException("bootstrap needs at least one item, got n = " + n);
        if (resamples <= 0) throw new IllegalArgumentException("bootstrap needs at least one resample, got " + resamples);
        if (!(level > 0 && level < 1)) throw new IllegalArgumentException("confidence level must be in (0, 1), got " + level);

        int[] identity = new int[n];
        for (int i = 0; i < n; i++) identity[i] = i;
        double estimate = checked(statistic.applyAsDouble(identity), "the identity resample");

        Rng rng = Rng.derive(seed, STREAM, 0);
        double[] values = new double[resamples];
        for (int b = 0; b < resamples; b++) {
            int[] index = new int[n];
            for (int i = 0; i < n; i++) index[i] = rng.nextInt(n);
            values[b] = checked(statistic.applyAsDouble(index), "resample " + b);
        }
        Arrays.sort(values);
        int lowAt = clamp((int) Math.floor((1 - level) / 2 * resamples + ROUNDING), resamples);
        int highAt = clamp((int) Math.ceil((1 + level) / 2 * resamples - ROUNDING) - 1, resamples);
        return new Interval(estimate, values[lowAt], values[highAt], resamples, level);
    }

    private static double checked(double value, String where) {
        if (Double.isNaN(value)) throw new IllegalArgumentException("the statistic returned NaN on " + where);
        return value;
    }

    private static int clamp(int position, int resamples) {
        return Math.max(0, Math.min(resamples - 1, position));
    }
}
