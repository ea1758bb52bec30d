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
 * The report's charts, built from the results map alone: validation loss against step and against training
 * FLOPs (one line per pre-training run, one colour per sparsity), the speedups (counted, CS-2 model, CPU
 * measured), and one interval chart per downstream score (each row's mean as a dot with its bootstrap interval,
 * the task's baselines on the evaluated items as dashed lines). A chart whose data is absent is left out.
 */
final class ReportCharts {
    /** The downstream scores, as keys of a row, and the task and metric names of the baselines that go with them. */
    static final String[][] SCORES = {
            {"pubmedqa_accuracy", "pubmedqa", "accuracy"},
            {"pubmedqa_macro_f1", "pubmedqa", "macro_f1"},
            {"hoc_micro_f1", "hoc", "micro_f1"}};

    private ReportCharts() {}

    /** File name to SVG text, in the order the report shows them. */
    static Map<String, String> all(Map<String, Object> r) {
        Map<String, String> charts = new LinkedHashMap<>();
        List<SvgChart.Series> bySteps = lossSeries(r, false), byFlops = lossSeries(r, true);
        if (!bySteps.isEmpty()) {
            charts.put("loss_vs_step.svg", SvgChart.lineChart("Validation loss against step", "optimizer step",
                    "validation loss", bySteps, false));
        }
        if (!byFlops.isEmpty()) {
            charts.put("loss_vs_flops.svg", SvgChart.lineChart("Validation loss against training FLOPs",
                    "training FLOPs (counted)", "validation loss", byFlops, true));
        }
        List<SvgChart.BarGroup> speed = speedGroups(r);
        if (!speed.isEmpty()) {
            charts.put("speedup.svg", SvgChart.barChart("Speedup over dense (tiny model)", "x dense",
                    new String[] {"FLOPs counted", "CS-2 model", "CPU measured"}, speed));
        }
        Map<String, Object> down = map(r, "downstream");
        for (String[] score : SCORES) {
            List<SvgChart.Interval> rows = new ArrayList<>();
            for (Map<String, Object> row : maps(down, "rows")) {
                Map<String, Object> s = map(row, score[0]);
                if (s.isEmpty()) continue;
                rows.add(new SvgChart.Interval(rowName(row), 100 * num(s, "mean"), 100 * num(s, "low"), 100 * num(s, "high")));
            }
            if (rows.isEmpty()) continue;
            List<SvgChart.Reference> refs = new ArrayList<>();
            for (Map<String, Object> b : maps(down, "baselines")) {
                if (!score[1].equals(str(b, "task"))) continue;
                double v = num(map(map(b, "evaluated"), score[2]), "estimate");
                if (Double.isFinite(v)) refs.add(new SvgChart.Reference(str(b, "name"), 100 * v));
            }
            String title = Results.metricName(score[0]) + " on the evaluated test items";
            charts.put("downstream_" + score[0] + ".svg", SvgChart.intervalChart(title,
                    "% (dot: mean over runs; whisker: 95% bootstrap interval over test items)", rows, refs));
        }
        return charts;
    }

    /** A downstream row's display name: its name, else "pre-training / fine-tuning". */
    static String rowName(Map<String, Object> row) {
        String name = str(row, "name");
        return name != null ? name : str(row, "pretraining") + " / " + str(row, "fine_tuning");
    }

    /** A sparsity's label: the recorded one, else "dense" or "NN%". */
    static String label(Map<String, Object> m) {
        String l = str(m, "label");
        if (l != null) return l;
        double s = num(m, "sparsity");
        return !Double.isFinite(s) ? "?" : s == 0 ? "dense" : Math.round(s * 100) + "%";
    }

    private static List<SvgChart.Series> lossSeries(Map<String, Object> r, boolean byFlops) {
        List<SvgChart.Series> series = new ArrayList<>();
        for (Map<String, Object> run : maps(r, "pretrain")) {
            List<Map<String, Object>> curve = maps(run, "validation_curve");
            if (curve.isEmpty()) continue;
            double[] x = new double[curve.size()], y = new double[curve.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = num(curve.get(i), byFlops ? "flops" : "step");
                y[i] = num(curve.get(i), "validation_loss");
            }
            series.add(new SvgChart.Series(label(run), x, y));
        }
        return series;
    }

    private static List<SvgChart.BarGroup> speedGroups(Map<String, Object> r) {
        List<SvgChart.BarGroup> groups = new ArrayList<>();
        for (Map<String, Object> m : maps(r, "speedups")) {
            groups.add(new SvgChart.BarGroup(label(m), new double[] {
                    num(m, "flop_reduction_counted"), num(m, "cs2_predicted_speedup"), num(m, "cpu_measured_speedup")}));
        }
        return groups;
    }
}
