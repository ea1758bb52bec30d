package mediswift4j.pipeline;

import static mediswift4j.pipeline.Results.count;
import static mediswift4j.pipeline.Results.fixed;
import static mediswift4j.pipeline.Results.flag;
import static mediswift4j.pipeline.Results.list;
import static mediswift4j.pipeline.Results.map;
import static mediswift4j.pipeline.Results.maps;
import static mediswift4j.pipeline.Results.num;
import static mediswift4j.pipeline.Results.pct;
import static mediswift4j.pipeline.Results.str;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The report's downstream sections, from `results.downstream`: the evaluation data (PubMedQA protocol, folds and
 * split sizes; whether each test set is the full one or a seeded sample, with its label distribution next to the
 * full set's), the no-model baselines (on the evaluated items with their interval, and on the full test set),
 * and the fine-tuned rows as "mean ± std [low, high]" per score in percent, with their charts.
 */
final class EvaluationSection {
    private EvaluationSection() {}

    static void write(StringBuilder md, Map<String, Object> r, Set<String> charts) {
        Map<String, Object> down = map(r, "downstream");
        if (down.isEmpty()) {
            md.append("## Downstream: dense fine-tuning, with and without a soft prompt\n\nNot run.\n\n");
            return;
        }
        md.append("## Evaluation data\n\n");
        pubmedqa(md, map(down, "pubmedqa"));
        hoc(md, map(down, "hoc"));
        baselines(md, maps(down, "baselines"));
        rows(md, maps(down, "rows"), charts);
    }

    private static void pubmedqa(StringBuilder md, Map<String, Object> pq) {
        if (pq.isEmpty()) return;
        md.append("**PubMedQA.** Protocol: ").append(str(pq, "protocol")).append(". Folds evaluated: ")
                .append(String.join(", ", list(pq, "folds").stream().map(Results::number).toList()))
                .append("; each fold trains on ").append(count(num(pq, "train_items"))).append(" questions and selects its epoch on ")
                .append(count(num(pq, "dev_items"))).append(" dev questions. ");
        Map<String, Object> t = map(pq, "test");
        md.append(testSet(t, "evaluated", "full", "questions", "")).append(".\n\n");
        labelTable(md, map(t, "labels_evaluated"), map(t, "labels_full"), "questions", num(t, "evaluated"), num(t, "full"));
    }

    private static void hoc(StringBuilder md, Map<String, Object> hoc) {
        if (hoc.isEmpty()) return;
        md.append("**HoC.** Training: ").append(count(num(hoc, "train_sentences"))).append(" sentences from ")
                .append(count(num(hoc, "train_abstracts"))).append(" abstracts; dev (epoch selection): ")
                .append(count(num(hoc, "dev_sentences"))).append(" sentences from ").append(count(num(hoc, "dev_abstracts")))
                .append(" abstracts. Scores are per abstract. ");
        Map<String, Object> t = map(hoc, "test");
        double sentences = num(t, "evaluated_sentences");
        md.append(testSet(t, "evaluated_abstracts", "full_abstracts", "abstracts",
                Double.isFinite(sentences) ? ", " + count(sentences) + " sentences evaluated" : "")).append(".\n\n");
        labelTable(md, map(t, "labels_evaluated"), map(t, "labels_full"), "abstracts", num(t, "evaluated_abstracts"), num(t, "full_abstracts"));
    }

    /** "Test: the full test set, 500 questions" or "Test: a seeded stratified sample of 150 of the 500 test questions (sample seed 1234)". */
    private static String testSet(Map<String, Object> t, String evaluatedKey, String fullKey, String unit, String extra) {
        double evaluated = num(t, evaluatedKey), full = num(t, fullKey);
        if (t.isEmpty()) return "The test set is not recorded";
        if (flag(t, "sampled")) {
            return "Test: a seeded stratified sample of " + count(evaluated) + " of the " + count(full) + " test " + unit + extra
                    + " (sample seed " + str(t, "sample_seed") + ")";
        }
        return "Test: the full test set, " + count(Double.isFinite(evaluated) ? evaluated : full) + " " + unit + extra;
    }

    /** Counts per gold label, with their share of the items (`nEvaluated`, `nFull`; when unknown, the counts' sum). */
    private static void labelTable(StringBuilder md, Map<String, Object> evaluated, Map<String, Object> full, String unit,
                                   double nEvaluated, double nFull) {
        if (evaluated.isEmpty() && full.isEmpty()) return;
        Set<String> labels = new LinkedHashSet<>(full.keySet());
        labels.addAll(evaluated.keySet());
        double te = Double.isFinite(nEvaluated) ? nEvaluated : total(evaluated), tf = Double.isFinite(nFull) ? nFull : total(full);
        md.append("| gold label | evaluated ").append(unit).append(" | full test set |\n| --- | --- | --- |\n");
        for (String l : labels) {
            md.append("| ").append(l).append(" | ").append(share(num(evaluated, l), te)).append(" | ").append(share(num(full, l), tf)).append(" |\n");
        }
        md.append('\n');
        if (unit.equals("abstracts")) {
            md.append("An abstract counts once under each of its labels (shares are of all abstracts, so they can add up to more than 100%); ")
                    .append("\"none\" counts abstracts without a label.\n\n");
        }
    }

    /** The sum of a label table's counts. */
    private static double total(Map<String, Object> counts) {
        double s = 0;
        for (Object v : counts.values()) if (v instanceof Number n) s += n.doubleValue();
        return s;
    }

    private static String share(double n, double total) {
        if (!Double.isFinite(n)) return "n/a";
        return count(n) + (total > 0 ? " (" + fixed(100 * n / total, 1) + "%)" : "");
    }

    private static void baselines(StringBuilder md, List<Map<String, Object>> baselines) {
        if (baselines.isEmpty()) return;
        md.append("## Baselines without a model\n\n");
        md.append("Percent; on the evaluated test items with a 95% bootstrap interval, and on the full test set.\n\n");
        md.append("| task | baseline | score | evaluated items [95% interval] | full test set |\n| --- | --- | --- | --- | --- |\n");
        for (Map<String, Object> b : baselines) {
            Map<String, Object> ev = map(b, "evaluated"), full = map(b, "full_test");
            Set<String> metrics = new LinkedHashSet<>(ev.keySet());
            metrics.addAll(full.keySet());
            for (String m : metrics) {
                Map<String, Object> e = map(ev, m);
                md.append("| ").append(taskName(str(b, "task"))).append(" | ").append(str(b, "name")).append(" | ")
                        .append(Results.metricName(m)).append(" | ").append(pct(num(e, "estimate"))).append(" [")
                        .append(pct(num(e, "low"))).append(", ").append(pct(num(e, "high"))).append("] | ")
                        .append(pct(num(full, m))).append(" |\n");
            }
        }
        md.append('\n');
    }

    static String taskName(String task) {
        return "pubmedqa".equals(task) ? "PubMedQA" : "hoc".equals(task) ? "HoC" : String.valueOf(task);
    }

    private static void rows(StringBuilder md, List<Map<String, Object>> rows, Set<String> charts) {
        md.append("## Downstream: dense fine-tuning, with and without a soft prompt\n\n");
        if (rows.isEmpty()) {
            md.append("No fine-tuned rows recorded.\n\n");
            return;
        }
        md.append("Percent, as mean ± standard deviation over runs [95% bootstrap interval of the mean over test items]. ")
                .append("Runs: fine-tuning seeds x PubMedQA folds x pre-training seeds; HoC has no folds, and its run count is ")
                .append("shown in parentheses when it differs.\n\n");
        md.append("| row | runs | PubMedQA accuracy | PubMedQA macro-F1 | HoC micro-F1 | epochs selected on dev (PubMedQA; HoC) | s |\n");
        md.append("| --- | --- | --- | --- | --- | --- | --- |\n");
        for (Map<String, Object> row : rows) {
            Map<String, Object> epochs = map(row, "selected_epochs");
            String runs = Results.number(row.get("runs"));
            if (row.get("hoc_runs") != null && !Results.number(row.get("hoc_runs")).equals(runs)) runs += " (HoC " + Results.number(row.get("hoc_runs")) + ")";
            md.append("| ").append(ReportCharts.rowName(row)).append(" | ").append(runs).append(" | ")
                    .append(Results.scoreCell(map(row, "pubmedqa_accuracy"))).append(" | ")
                    .append(Results.scoreCell(map(row, "pubmedqa_macro_f1"))).append(" | ")
                    .append(Results.scoreCell(map(row, "hoc_micro_f1"))).append(" | ")
                    .append(join(list(epochs, "pubmedqa"))).append("; ").append(join(list(epochs, "hoc"))).append(" | ")
                    .append(fixed(num(row, "seconds"), 0)).append(" |\n");
        }
        md.append('\n');
        for (String[] score : ReportCharts.SCORES) {
            String file = "downstream_" + score[0] + ".svg";
            if (charts.contains(file)) md.append("![").append(Results.metricName(score[0])).append("](").append(file).append(")\n\n");
        }
    }

    private static String join(List<Object> values) {
        List<String> s = new ArrayList<>();
        for (Object v : values) s.add(Results.number(v));
        return s.isEmpty() ? "n/a" : String.join(", ", s);
    }
}
