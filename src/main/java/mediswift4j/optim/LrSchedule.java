package mediswift4j.optim;

/**
 * Learning rate: linear warm-up, then cosine decay to a floor of 10% of the peak (SPEC.md section 8).
 *
 * For the update with 0-based index s (the first update is s = 0), W warm-up steps and N total steps:
 *   s < W:  lr = peak * (s + 1) / W
 *   else:   p = (s - W) / max(1, N - W)   (clamped to [0, 1]);  lr = floor + (peak - floor) * 0.5 * (1 + cos(pi p))
 * with floor = 0.1 * peak, in float64, rounded to float32 once.
 */
public record LrSchedule(double peak, int warmup, int total, double floorFraction) {

    public static LrSchedule of(double peak, int warmup, int total) {
        return new LrSchedule(peak, warmup, total, 0.1);
    }

    public float at(long s) {
        if (s < warmup) return (float) (peak * (s + 1) / warmup);
        double p = (double) (s - warmup) / Math.max(1, total - warmup);
        p = Math.min(1.0, Math.max(0.0, p));
        double floor = floorFraction * peak;
        return (float) (floor + (peak - floor) * 0.5 * (1.0 + StrictMath.cos(Math.PI * p)));
    }
}
