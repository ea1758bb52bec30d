package mediswift4j.pipeline;

import static mediswift4j.pipeline.Results.and;
import static mediswift4j.pipeline.Results.count;
import static mediswift4j.pipeline.Results.fixed;
import static mediswift4j.pipeline.Results.flag;
import static mediswift4j.pipeline.Results.map;
import static mediswift4j.pipeline.Results.maps;
import static mediswift4j.pipeline.Results.num;
import static mediswift4j.pipeline.Results.pct;
import static mediswift4j.pipeline.Results.str;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The downstream bullets of the {@link Narrative}, from `results.downstream`:
 *
 *   - each fine-tuned row against the task's baseline, per score, by the paired bootstrap comparison: "beats"
 *     only when the comparison is real (its interval excludes 0) and positive, "is worse than" when real and
 *     negative, else "is indistinguishable from"; a row with HoC micro-F1 0 or hardly any abstract labelled is
 *     called out as having learned the majority answer, and so is a row answering PubMedQA almost always alike;
 *   - each row-against-row comparison (sparse against dense with the same fine-tuning, soft prompt against none)
 *     the same way, with a count per kind;
 *   - what the test sizes can resolve: the median interval half-width of the rows, in points.
 */
final class DownstreamNarrative {
    /** How a comparison came out: a - b is clearly positive, not distinguishable from 0, or clearly negative. */
    enum Verdict {
        BEATS("beats"), SAME("is indistinguishable from"), WORSE("is worse than");

        final String verb;

        Verdict(String verb) {
            this.verb = verb;
        }
    }

    /** Rows answering one PubMedQA label for at least this share of the questions are called out. */
    static final double CONSTANT_ANSWER = 0.95;
    /** Rows labelling fewer than this share of the HoC abstracts are called out. */
    static final double FEW_HALLMARKS = 0.05;

    private DownstreamNarrative() {}

    /**
     * BEATS only when the comparison is marked real (or carries no mark) and its interval lies above 0; WORSE when
     * real and below 0; anything else, including an inconsistent mark, is SAME.
     */
    static Verdict verdict(Map<String, Object> comparison) {
        Map<String, Object> d = map(comparison, "difference");
        double low = num(d, "low"), high = num(d, "high");
        boolean real = !(Results.get(comparison, "real") instanceof Boolean b) || b;
        if (real && low > 0) return Verdict.BEATS;
        if (real && high < 0) return Verdict.WORSE;
        return Verdict.SAME;
    }

    static void write(StringBuilder md, Map<String, Object> down) {
        List<Map<String, Object>> rows = maps(down, "rows");
        if (rows.isEmpty()) return;
        Map<String, Map<String, Object>> byName = new LinkedHashMap<>();
        for (Map<String, Object> row : rows) byName.put(ReportCharts.rowName(row), row);
        Map<String, List<Map<String, Object>>> againstBaseline = new LinkedHashMap<>(), againstRow = new LinkedHashMap<>();
        for (Map<String, Object> c : maps(down, "comparisons")) {
            String a = str(c, "a"), b = str(c, "b");
            if (!byName.containsKey(a)) continue;
            if (byName.containsKey(b)) againstRow.computeIfAbsent(a + "\n" + b, k -> new ArrayList<>()).add(c);
            else againstBaseline.computeIfAbsent(a, k -> new ArrayList<>()).add(c);
        }
        for (Map<String, Object> row : rows) rowBullet(md, row, againstBaseline.getOrDefault(ReportCharts.rowName(row), List.of()), down);
        pairs(md, againstRow, byName);
        resolution(md, down, rows);
    }

    private static void rowBullet(StringBuilder md, Map<String, Object> row, List<Map<String, Object>> comparisons, Map<String, Object> down) {
        String name = ReportCharts.rowName(row);
        String runs = row.get("runs") == null ? "" : " (" + Results.number(row.get("runs")) + (num(row, "runs") == 1 ? " run)" : " runs)");
        md.append("- **").append(name).append("**").append(runs).append(": ");
        List<String> clauses = new ArrayList<>();
        for (Map<String, Object> c : comparisons) {
            String metric = str(c, "metric");
            clauses.add(Results.metricName(metric) + " " + pct(num(map(row, metric), "mean")) + "% " + verdict(c).verb + " "
                    + shortName(str(c, "b")) + " (" + Results.difference(map(c, "difference")) + ")");
        }
        if (clauses.isEmpty()) {
            for (String[] s : ReportCharts.SCORES) {
                if (!map(row, s[0]).isEmpty()) clauses.add(Results.metricName(s[0]) + " " + pct(num(map(row, s[0]), "mean")) + "%");
            }
            md.append(String.join("; ", clauses)).append("; no comparison with a baseline was recorded.");
        } else {
            md.append(String.join("; ", clauses)).append('.');
        }
        double hoc = num(map(row, "hoc_micro_f1"), "mean"), labelled = num(row, "hoc_abstracts_with_prediction");
        if (hoc == 0 || labelled < FEW_HALLMARKS) {
            md.append(" It predicts (almost) no hallmark");
            if (Double.isFinite(labelled)) md.append(": it gave a label to ").append(pct(labelled)).append("% of the evaluated HoC abstracts (first run)");
            md.append(" and scores ").append(pct(hoc)).append("% micro-F1, i.e. ").append(noLabelAnswer(map(map(down, "hoc"), "test"))).append('.');
        }
        md.append(constantAnswer(map(row, "pubmedqa_predicted"), maps(down, "baselines"))).append('\n');
    }

    /** A baseline's name without a trailing parenthetical description: "always 'yes' (most frequent ...)" -> "always 'yes'". */
    static String shortName(String name) {
        return name == null ? "?" : name.replaceAll("\\s*\\([^()]*\\)$", "");
    }

    /**
     * What answering "no label" amounts to on the test set: the majority answer when no single label is on more
     * abstracts than "none" (then no label set is either), else just a collapse to no label.
     */
    private static String noLabelAnswer(Map<String, Object> test) {
        for (String key : new String[] {"labels_full", "labels_evaluated"}) {
            Map<String, Object> labels = map(test, key);
            double none = num(labels, "none"), top = 0;
            if (!Double.isFinite(none)) continue;
            for (var e : labels.entrySet()) if (!e.getKey().equals("none") && e.getValue() instanceof Number n) top = Math.max(top, n.doubleValue());
            String set = key.equals("labels_full") ? "full test set" : "evaluated test abstracts";
            if (none >= top) {
                return "it learned the majority answer (no label, the most frequent label set of the " + set + ": " + count(none) + " abstracts) "
                        + "rather than the task";
            }
            return "it collapsed to answering no label, although on the " + set + " " + count(top) + " abstracts carry the most frequent label "
                    + "and " + count(none) + " have none";
        }
        return "it learned to answer no label rather than the task";
    }

    /** " It answers 'yes' to 97.0% of the evaluated PubMedQA questions (first run) ..." when one label dominates. */
    private static String constantAnswer(Map<String, Object> predicted, List<Map<String, Object>> baselines) {
        double total = 0, top = -1;
        String topLabel = null;
        for (var e : predicted.entrySet()) {
            if (!(e.getValue() instanceof Number n)) continue;
            total += n.doubleValue();
            if (n.doubleValue() > top) {
                top = n.doubleValue();
                topLabel = e.getKey();
            }
        }
        if (total <= 0 || top / total < CONSTANT_ANSWER) return "";
        String majority = "";
        for (Map<String, Object> b : baselines) {
            String n = str(b, "name");
            if ("pubmedqa".equals(str(b, "task")) && n != null && n.contains("'" + topLabel + "'")) majority = ", the majority baseline's answer";
        }
        return " It answers '" + topLabel + "' to " + fixed(100 * top / total, 1) + "% of the evaluated PubMedQA questions (first run)" + majority
                + ": a near-constant answer.";
    }

    private static void pairs(StringBuilder md, Map<String, List<Map<String, Object>>> againstRow, Map<String, Map<String, Object>> byName) {
        Map<Kind, int[]> tally = new LinkedHashMap<>(); // kind -> beats, same, worse
        for (var e : againstRow.entrySet()) {
            String[] ab = e.getKey().split("\n", 2);
            Kind kind = kind(byName.get(ab[0]), byName.get(ab[1]));
            Map<Verdict, List<String>> byVerdict = new LinkedHashMap<>();
            for (Verdict v : Verdict.values()) byVerdict.put(v, new ArrayList<>());
            for (Map<String, Object> c : e.getValue()) {
                Verdict v = verdict(c);
                byVerdict.get(v).add(Results.metricName(str(c, "metric")) + " (" + Results.difference(map(c, "difference")) + ")");
                tally.computeIfAbsent(kind, k -> new int[3])[v.ordinal()]++;
            }
            List<String> parts = new ArrayList<>();
            for (var v : byVerdict.entrySet()) {
                if (v.getValue().isEmpty()) continue;
                parts.add(v.getKey().verb + " " + (parts.isEmpty() ? ab[1] : "it") + " on " + and(v.getValue()));
            }
            md.append("- ").append(ab[0]).append(' ').append(String.join("; ", parts)).append(".\n");
        }
        for (var t : tally.entrySet()) {
            int[] n = t.getValue();
            Kind k = t.getKey();
            int total = n[0] + n[1] + n[2];
            md.append("- Of the ").append(total).append(' ').append(k.name()).append(total == 1 ? " comparison, " : " comparisons, ").append(n[0])
                    .append(" favour ").append(k.first()).append(", ").append(n[2]).append(" favour ").append(k.second()).append(" and ")
                    .append(n[1]).append(n[1] == 1 ? " is" : " are").append(" indistinguishable.\n");
        }
    }

    /** A kind of row-against-row comparison, and what its first and second rows stand for. */
    private record Kind(String name, String first, String second) {}

    private static Kind kind(Map<String, Object> a, Map<String, Object> b) {
        double sa = num(a, "sparsity"), sb = num(b, "sparsity");
        String fa = String.valueOf(str(a, "fine_tuning")), fb = String.valueOf(str(b, "fine_tuning"));
        if (sa > 0 && sb == 0 && fa.equals(fb)) return new Kind("sparse-against-dense (same fine-tuning)", "sparse pre-training", "dense");
        if (fa.contains("soft prompt") && !fb.contains("soft prompt") && sa == sb) {
            return new Kind("soft-prompt-against-none (same pre-training)", "the soft prompt", "none");
        }
        return new Kind("other row-against-row", "the first row", "the second");
    }

    private static void resolution(StringBuilder md, Map<String, Object> down, List<Map<String, Object>> rows) {
        List<String> widths = new ArrayList<>();
        for (String[] s : ReportCharts.SCORES) {
            double[] h = rows.stream().map(row -> map(row, s[0])).mapToDouble(m -> (num(m, "high") - num(m, "low")) / 2)
                    .filter(Double::isFinite).sorted().toArray();
            if (h.length == 0) continue;
            double median = h.length % 2 == 1 ? h[h.length / 2] : (h[h.length / 2 - 1] + h[h.length / 2]) / 2;
            widths.add("±" + fixed(100 * median, 1) + " points on " + Results.metricName(s[0]));
        }
        Map<String, Object> pq = map(map(down, "pubmedqa"), "test"), hoc = map(map(down, "hoc"), "test");
        List<String> sizes = new ArrayList<>();
        if (Double.isFinite(num(pq, "evaluated"))) sizes.add(count(num(pq, "evaluated")) + " PubMedQA questions");
        if (Double.isFinite(num(hoc, "evaluated_abstracts"))) sizes.add(count(num(hoc, "evaluated_abstracts")) + " HoC abstracts");
        if (!widths.isEmpty()) {
            md.append("- What the test sets can resolve: ").append(sizes.isEmpty() ? "" : "with " + and(sizes) + " evaluated, ")
                    .append("a row's 95% interval typically spans ").append(and(widths)).append(" (median half-width over rows). ")
                    .append("Differences between rows smaller than that are not evidence; the paired comparisons above are the test.");
            List<String> sampled = new ArrayList<>();
            if (flag(pq, "sampled")) sampled.add(count(num(pq, "evaluated")) + " of the " + count(num(pq, "full")) + " PubMedQA test questions");
            if (flag(hoc, "sampled")) sampled.add(count(num(hoc, "evaluated_abstracts")) + " of the " + count(num(hoc, "full_abstracts")) + " HoC test abstracts");
            if (!sampled.isEmpty()) md.append(" The evaluated items are a seeded sample of ").append(and(sampled)).append("; the full sets would give narrower intervals.");
            md.append('\n');
        }
        double[] runs = rows.stream().mapToDouble(row -> num(row, "runs")).filter(Double::isFinite).toArray();
        if (runs.length > 0 && Arrays.stream(runs).max().getAsDouble() <= 1) {
            md.append("- Each row is a single fine-tuning run, so its ± is 0 and the variation between fine-tuning seeds is not measured.\n");
        } else if (runs.length > 0) {
            md.append("- The ± is the standard deviation over a row's runs (").append(count(Arrays.stream(runs).min().getAsDouble()))
                    .append(runs.length > 1 && Arrays.stream(runs).min().getAsDouble() != Arrays.stream(runs).max().getAsDouble()
                            ? " to " + count(Arrays.stream(runs).max().getAsDouble()) : "")
                    .append(" per row): the spread between seeds and folds, which the bracketed test-item interval does not include.\n");
        }
    }
}
