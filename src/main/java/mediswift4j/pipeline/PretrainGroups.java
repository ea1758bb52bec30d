package mediswift4j.pipeline;

import static mediswift4j.pipeline.Results.map;
import static mediswift4j.pipeline.Results.maps;
import static mediswift4j.pipeline.Results.num;
import static mediswift4j.pipeline.Results.str;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pre-training runs of a results map grouped by sparsity, in the order they first appear: each group's runs
 * (one per pre-training seed) and the mean and standard deviation of their final validation loss. The mean and
 * std come from `pretrain_summary` when it has the group, else they are computed here (sample standard
 * deviation, 0 for one run).
 */
final class PretrainGroups {
    /** One sparsity: its label, sparsity, runs, and final validation loss over the runs. */
    record Group(String label, double sparsity, List<Map<String, Object>> runs, double lossMean, double lossStd) {
        double mean(String key) {
            return PretrainGroups.mean(runs, key);
        }

        boolean dense() {
            return sparsity == 0 || "dense".equals(label);
        }
    }

    private PretrainGroups() {}

    static List<Group> of(Map<String, Object> r) {
        Map<String, List<Map<String, Object>>> byLabel = new LinkedHashMap<>();
        for (Map<String, Object> run : maps(r, "pretrain")) {
            byLabel.computeIfAbsent(ReportCharts.label(run), k -> new ArrayList<>()).add(run);
        }
        Map<String, Map<String, Object>> summary = new LinkedHashMap<>();
        for (Map<String, Object> s : maps(r, "pretrain_summary")) summary.put(ReportCharts.label(s), s);
        List<Group> out = new ArrayList<>();
        for (var e : byLabel.entrySet()) {
            List<Map<String, Object>> runs = e.getValue();
            Map<String, Object> s = summary.getOrDefault(e.getKey(), Map.of());
            double m = num(s, "final_validation_loss_mean"), sd = num(s, "final_validation_loss_std");
            if (!Double.isFinite(m)) {
                m = mean(runs, "final_validation_loss");
                sd = std(runs, "final_validation_loss", m);
            }
            out.add(new Group(e.getKey(), num(runs.get(0), "sparsity"), runs, m, Double.isFinite(sd) ? sd : 0));
        }
        return out;
    }

    /** The dense group, or null. */
    static Group dense(List<Group> groups) {
        for (Group g : groups) if (g.dense()) return g;
        return null;
    }

    /** A run's name for the reader: "75%", or "75% seed 2" when the run records its seed. */
    static String runName(Map<String, Object> run) {
        String seed = str(run, "seed");
        return ReportCharts.label(run) + (seed == null ? "" : " seed " + seed);
    }

    /** The run's stability verdict, or null when none was recorded. */
    static String verdict(Map<String, Object> run) {
        return str(map(run, "stability"), "verdict");
    }

    static double mean(List<Map<String, Object>> runs, String key) {
        double sum = 0;
        int n = 0;
        for (Map<String, Object> run : runs) {
            double v = num(run, key);
            if (!Double.isFinite(v)) continue;
            sum += v;
            n++;
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    private static double std(List<Map<String, Object>> runs, String key, double mean) {
        double ss = 0;
        int n = 0;
        for (Map<String, Object> run : runs) {
            double v = num(run, key);
            if (!Double.isFinite(v)) continue;
            ss += (v - mean) * (v - mean);
            n++;
        }
        return n < 2 ? 0 : Math.sqrt(ss / (n - 1));
    }
}
