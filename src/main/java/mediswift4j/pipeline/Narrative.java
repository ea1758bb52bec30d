package mediswift4j.pipeline;

import static mediswift4j.pipeline.Results.and;
import static mediswift4j.pipeline.Results.bytes;
import static mediswift4j.pipeline.Results.count;
import static mediswift4j.pipeline.Results.fixed;
import static mediswift4j.pipeline.Results.flag;
import static mediswift4j.pipeline.Results.map;
import static mediswift4j.pipeline.Results.maps;
import static mediswift4j.pipeline.Results.num;
import static mediswift4j.pipeline.Results.number;
import static mediswift4j.pipeline.Results.str;
import static mediswift4j.pipeline.Results.times;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The report's closing section, "What this run shows, and what it does not". Every sentence is computed from
 * the results map; none describes the data or the results in advance. In order:
 *
 *   1. the inputs (the shipped samples or the user's files, named) and whether test items were kept out of
 *      pre-training; the word "synthetic" appears only when inputs.kind says shipped samples were used;
 *   2. pre-training: each sparsity's final validation loss against dense, the paper's expected direction
 *      (sparse higher per token) and whether this run agrees; a disagreement points to the stability verdicts
 *      and the learning rate; every run whose verdict is not "stable" is named;
 *   3. speed: counted FLOP reduction, CS-2 prediction and CPU measurement side by side;
 *   4. downstream ({@link DownstreamNarrative}): each row against its baseline and sparse against dense, by the
 *      paired intervals, and rows that collapsed to the majority answer;
 *   5. what the test sizes can resolve: the typical interval half-width.
 */
public final class Narrative {
    static final String HEADING = "## What this run shows, and what it does not\n\n";
    private static final String[] GROUPS = {"corpus", "pubmedqa", "hoc"};
    private static final String[] GROUP_NAMES = {"corpus", "PubMedQA", "HoC"};

    private Narrative() {}

    /** The closing markdown section for a results map. */
    public static String write(Map<String, Object> results) {
        StringBuilder md = new StringBuilder(HEADING);
        inputs(md, results);
        leakage(md, map(results, "corpus"));
        pretraining(md, results);
        stability(md, results);
        speed(md, results);
        DownstreamNarrative.write(md, map(results, "downstream"));
        return md.toString();
    }

    // ---------------------------------------------------------------- (1) inputs

    private static void inputs(StringBuilder md, Map<String, Object> r) {
        Map<String, Object> in = map(r, "inputs");
        if (in.isEmpty()) {
            md.append("- The results do not record which input files were used, so this report cannot say what data the scores are on.\n");
            return;
        }
        String kind = str(in, "kind");
        boolean mayBeSynthetic = "shipped synthetic samples".equals(kind) || "mixed".equals(kind);
        List<String> shipped = new ArrayList<>(), own = new ArrayList<>(), all = new ArrayList<>();
        for (int g = 0; g < GROUPS.length; g++) {
            List<String> s = new ArrayList<>(), o = new ArrayList<>(), a = new ArrayList<>();
            for (Map<String, Object> f : maps(in, GROUPS[g])) {
                String name = "`" + str(f, "path") + "` (" + bytes(num(f, "bytes")) + ")";
                (mayBeSynthetic && flag(f, "shipped_sample") ? s : o).add(name);
                a.add(name);
            }
            if (!s.isEmpty()) shipped.add(GROUP_NAMES[g] + " " + and(s));
            if (!o.isEmpty()) own.add(GROUP_NAMES[g] + " " + and(o));
            if (!a.isEmpty()) all.add(GROUP_NAMES[g] + " " + and(a));
        }
        if ("shipped synthetic samples".equals(kind)) {
            md.append("- The inputs are the synthetic samples shipped with the project: ").append(all.isEmpty() ? "none recorded" : String.join("; ", all))
                    .append(". The losses and scores below show whether the pipeline learns on them, not how MediSwift does on a real corpus ")
                    .append("or on the real PubMedQA and HoC; run with `--corpus`, `--pubmedqa` and `--hoc` on real data for that.\n");
        } else if ("mixed".equals(kind)) {
            md.append("- The inputs mix your files (").append(own.isEmpty() ? "none recorded" : String.join("; ", own))
                    .append(") with synthetic samples shipped with the project (").append(shipped.isEmpty() ? "none recorded" : String.join("; ", shipped))
                    .append("). Results that rest on a shipped sample show whether the pipeline learns, not how MediSwift does on real data.\n");
        } else if ("user files".equals(kind)) {
            md.append("- The inputs are your files: ").append(all.isEmpty() ? "none recorded" : String.join("; ", all)).append(".\n");
        } else {
            md.append("- The inputs (kind: ").append(kind == null ? "not recorded" : kind).append(") are: ")
                    .append(all.isEmpty() ? "none recorded" : String.join("; ", all)).append(".\n");
        }
    }

    private static void leakage(StringBuilder md, Map<String, Object> corpus) {
        if (corpus.isEmpty()) {
            md.append("- The results do not record whether corpus documents overlapping the test sets were kept out of pre-training.\n");
        } else if (flag(corpus, "allow_test_overlap")) {
            md.append("- Overlap between the corpus and the PubMedQA/HoC test items was allowed: no such document was removed, so the ")
                    .append("pre-trained models may have seen test items, and the downstream scores can include that leak.\n");
        } else {
            double excluded = num(corpus, "excluded_test_documents"), docs = num(corpus, "documents");
            md.append(excluded > 0
                    ? "- " + count(excluded) + " of the corpus's " + count(docs) + " documents overlap PubMedQA or HoC test items and were "
                      + "left out of pre-training, so the models did not pre-train on those test items.\n"
                    : excluded == 0
                    ? "- None of the corpus's " + count(docs) + " documents overlaps a PubMedQA or HoC test item, so none was left out of pre-training.\n"
                    : "- The results do not record how many corpus documents overlapping the test sets were left out of pre-training.\n");
        }
    }

    // ---------------------------------------------------------------- (2) pre-training

    private static void pretraining(StringBuilder md, Map<String, Object> r) {
        List<PretrainGroups.Group> groups = PretrainGroups.of(r);
        if (groups.isEmpty()) return;
        PretrainGroups.Group dense = PretrainGroups.dense(groups);
        if (dense == null || !Double.isFinite(dense.lossMean())) {
            md.append("- Pre-training: there is no dense run with a final validation loss, so the sparse runs have nothing to be compared with.\n");
            return;
        }
        TreeSet<Double> tokens = new TreeSet<>();
        int maxSeeds = 0;
        for (PretrainGroups.Group g : groups) {
            maxSeeds = Math.max(maxSeeds, g.runs().size());
            for (Map<String, Object> run : g.runs()) if (Double.isFinite(num(run, "tokens"))) tokens.add(num(run, "tokens"));
        }
        md.append("- Pre-training, final validation loss").append(maxSeeds > 1 ? " (mean ± std over pre-training seeds)" : "");
        if (tokens.size() == 1) md.append(" at equal tokens (").append(count(tokens.first())).append(" per run)");
        md.append(": dense ").append(loss(dense));
        List<String> agree = new ArrayList<>(), disagree = new ArrayList<>(), unsettled = new ArrayList<>();
        for (PretrainGroups.Group g : groups) {
            if (g == dense) continue;
            double diff = g.lossMean() - dense.lossMean();
            md.append("; ").append(g.label()).append(' ').append(loss(g));
            if (!Double.isFinite(diff)) continue;
            md.append(" (").append(String.format(java.util.Locale.ROOT, "%+.3f", diff)).append(")");
            (diff > 0 ? agree : disagree).add(g.label());
            if (g.runs().size() > 1 && dense.runs().size() > 1 && Math.abs(diff) <= Math.max(g.lossStd(), dense.lossStd())) unsettled.add(g.label());
        }
        md.append(". ");
        if (tokens.size() > 1) {
            md.append("The runs saw different numbers of tokens (").append(count(tokens.first())).append(" to ").append(count(tokens.last()))
                    .append("), so this is not an equal-token comparison. ");
        }
        md.append("The paper expects sparse pre-training to reach a higher loss than dense per token (and to make up for it in FLOPs). ");
        if (disagree.isEmpty() && !agree.isEmpty()) {
            md.append("This run agrees at ").append(and(agree)).append(". ");
        } else if (!disagree.isEmpty()) {
            if (!agree.isEmpty()) md.append("This run agrees at ").append(and(agree)).append(". ");
            md.append("It does not agree at ").append(and(disagree)).append(": ").append(disagree.size() == 1 ? "that sparsity" : "those sparsities")
                    .append(disagreeBelow(groups, dense, disagree) ? " ended below dense" : " ended at or below dense").append(". That is what this run measured; before drawing anything from it, check the ")
                    .append("stability verdicts (").append(verdicts(dense, groups, disagree)).append(") and the learning rate")
                    .append(learningRate(map(r, "plan"))).append(". A sweep over learning rates and seeds would show whether the ordering holds. ");
        }
        if (!unsettled.isEmpty()) {
            md.append("At ").append(and(unsettled)).append(" the gap to dense is within the seed-to-seed standard deviation, so the direction is not settled there. ");
        }
        if (maxSeeds <= 1) md.append("With one pre-training seed per sparsity, the seed-to-seed spread is not measured.");
        while (md.charAt(md.length() - 1) == ' ') md.setLength(md.length() - 1);
        md.append('\n');
    }

    private static boolean disagreeBelow(List<PretrainGroups.Group> groups, PretrainGroups.Group dense, List<String> labels) {
        for (PretrainGroups.Group g : groups) if (labels.contains(g.label()) && !(g.lossMean() < dense.lossMean())) return false;
        return true;
    }

    private static String loss(PretrainGroups.Group g) {
        return fixed(g.lossMean(), 3) + (g.runs().size() > 1 ? " ± " + fixed(g.lossStd(), 3) : "");
    }

    private static String verdicts(PretrainGroups.Group dense, List<PretrainGroups.Group> groups, List<String> labels) {
        List<String> out = new ArrayList<>();
        for (PretrainGroups.Group g : groups) {
            if (g != dense && !labels.contains(g.label())) continue;
            List<String> v = new ArrayList<>();
            for (Map<String, Object> run : g.runs()) {
                String verdict = PretrainGroups.verdict(run);
                v.add(verdict == null ? "not recorded" : verdict);
            }
            out.add(g.label() + ": " + String.join(", ", v));
        }
        return String.join("; ", out);
    }

    /** " (a peak of 0.003 after 40 warm-up steps, the same for every sparsity)", or "" when the plan has no lr. */
    private static String learningRate(Map<String, Object> plan) {
        if (plan.get("lr") == null) return "";
        return " (a peak of " + number(plan.get("lr")) + (plan.get("warmup") == null ? "" : " after " + number(plan.get("warmup")) + " warm-up steps")
                + ", the same for every sparsity)";
    }

    private static void stability(StringBuilder md, Map<String, Object> r) {
        List<Map<String, Object>> runs = maps(r, "pretrain");
        if (runs.isEmpty()) return;
        int recorded = 0;
        List<String> flagged = new ArrayList<>();
        for (Map<String, Object> run : runs) {
            String v = PretrainGroups.verdict(run);
            if (v == null) continue;
            recorded++;
            if (!"stable".equals(v)) {
                flagged.add("- Unstable pre-training run **" + PretrainGroups.runName(run) + "**: " + v + ", "
                        + str(map(run, "stability"), "detail") + ". Its losses, and the rows fine-tuned from it, are not comparable at face value.\n");
            }
        }
        if (recorded == 0) md.append("- No stability verdicts were recorded for the pre-training runs.\n");
        else if (flagged.isEmpty()) md.append("- All ").append(recorded).append(" pre-training runs with a verdict are \"stable\".\n");
        else flagged.forEach(md::append);
    }

    // ---------------------------------------------------------------- (3) speed

    private static void speed(StringBuilder md, Map<String, Object> r) {
        List<Map<String, Object>> speedups = maps(r, "speedups");
        if (speedups.isEmpty()) return;
        for (Map<String, Object> m : speedups) {
            if (!(num(m, "sparsity") > 0)) continue;
            String label = ReportCharts.label(m);
            double counted = num(m, "flop_reduction_counted"), predicted = num(m, "cs2_predicted_speedup"), measured = num(m, "cpu_measured_speedup");
            md.append("- At ").append(label).append(" the counted FLOP reduction is ").append(times(counted)).append(", the CS-2 model predicts ")
                    .append(times(predicted));
            if (!Double.isFinite(measured)) md.append(", and no CPU speedup was recorded");
            else md.append(" and this CPU measured ").append(times(measured));
            if (counted > 0 && Double.isFinite(measured)) md.append(", ").append(fixed(100 * measured / counted, 0)).append("% of the counted reduction");
            md.append(". ").append(kernel(r, label)).append(paperReductions(r, num(m, "sparsity"), counted));
            while (md.charAt(md.length() - 1) == ' ') md.setLength(md.length() - 1);
            md.append('\n');
        }
        md.append("- CPU tokens/s were measured inside this run, while anything else on the machine competed for the cores; ")
                .append("`bench train` measures training speed in isolation.\n");
    }

    /** Which kernels the masked layers of this sparsity's runs used, when recorded. */
    private static String kernel(Map<String, Object> r, String label) {
        int compressed = 0, dense = 0;
        for (Map<String, Object> run : maps(r, "pretrain")) {
            if (!label.equals(ReportCharts.label(run)) || !(Results.get(run, "sparse_kernel") instanceof Boolean b)) continue;
            if (b) compressed++;
            else dense++;
        }
        if (compressed > 0 && dense == 0) return "Its masked layers ran on the compressed sparse kernels. ";
        if (dense > 0 && compressed == 0) return "Its masked layers ran as dense matrices holding zeros, so the CPU multiplied the zeros too. ";
        if (dense > 0) return "Some of its runs used the compressed sparse kernels and some dense matrices holding zeros. ";
        return "";
    }

    /** The paper models' counted reductions at the same sparsity, from flop_table. */
    private static String paperReductions(Map<String, Object> r, double sparsity, double tiny) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (Map<String, Object> m : maps(r, "flop_table")) {
            if (num(m, "sparsity") != sparsity || !Double.isFinite(num(m, "reduction"))) continue;
            lo = Math.min(lo, num(m, "reduction"));
            hi = Math.max(hi, num(m, "reduction"));
        }
        if (!(hi >= lo)) return "";
        String range = lo == hi ? times(lo) : times(lo) + " to " + times(hi);
        return "The paper models' counted reduction at this sparsity is " + range + " (table above), against " + times(tiny) + " for the tiny model.";
    }
}
