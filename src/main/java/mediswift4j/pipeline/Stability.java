package mediswift4j.pipeline;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A pre-training run's stability verdict, computed from its curves (SPEC.md section 16), so the report can flag
 * a run whose numbers should not be compared at face value:
 *
 *   diverged                 the divergence guard stopped it (a non-finite loss, gradient or parameter; set by
 *                            Reproduction, not here)
 *   loss spikes              at least one step's training loss exceeds the median of the previous 20 steps by
 *                            more than SPIKE nats (1.0: batches of one run differ by a few tenths)
 *   rising validation loss   the last validation loss exceeds the lowest one before it by more than RISE (0.02)
 *   stable                   none of these
 *
 * The first verdict that applies wins, in the order above; the detail names the numbers.
 */
final class Stability {
    static final double SPIKE = 1.0, RISE = 0.02;
    static final int WINDOW = 20;

    private Stability() {}

    /** train rows: step, loss, ...; validation rows: step, loss, .... */
    static Map<String, Object> of(List<double[]> train, List<double[]> validation) {
        int spikes = 0;
        long firstSpike = -1;
        double worst = 0;
        double[] prev = new double[WINDOW];
        for (int i = WINDOW; i < train.size(); i++) {
            for (int j = 0; j < WINDOW; j++) prev[j] = train.get(i - WINDOW + j)[1];
            Arrays.sort(prev);
            double median = (prev[WINDOW / 2 - 1] + prev[WINDOW / 2]) / 2;
            double jump = train.get(i)[1] - median;
            if (jump > SPIKE) {
                spikes++;
                if (firstSpike < 0) firstSpike = (long) train.get(i)[0];
                worst = Math.max(worst, jump);
            }
        }
        double lowest = Double.POSITIVE_INFINITY;
        long lowestStep = -1;
        for (int i = 0; i + 1 < validation.size(); i++) {
            if (validation.get(i)[1] < lowest) {
                lowest = validation.get(i)[1];
                lowestStep = (long) validation.get(i)[0];
            }
        }
        double last = validation.isEmpty() ? Double.NaN : validation.get(validation.size() - 1)[1];
        Map<String, Object> m = new LinkedHashMap<>();
        if (spikes > 0) {
            m.put("verdict", "loss spikes");
            m.put("detail", String.format(Locale.ROOT, "%d step(s) with a training loss more than %.1f above the median of the %d steps before "
                    + "(first at step %d, largest jump %.2f)", spikes, SPIKE, WINDOW, firstSpike, worst));
        } else if (lowestStep >= 0 && last > lowest + RISE) {
            m.put("verdict", "rising validation loss");
            m.put("detail", String.format(Locale.ROOT, "validation loss %.3f at the end, %.3f at step %d", last, lowest, lowestStep));
        } else {
            m.put("verdict", "stable");
            m.put("detail", validation.isEmpty() ? "no validation points"
                    : String.format(Locale.ROOT, "no loss spike; final validation loss %.3f is the lowest (within %.2f)", last, RISE));
        }
        m.put("spikes", (long) spikes);
        return m;
    }

    /** The verdict of a run the divergence guard stopped. */
    static Map<String, Object> diverged(String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("verdict", "diverged");
        m.put("detail", message);
        m.put("spikes", 0L);
        return m;
    }
}
