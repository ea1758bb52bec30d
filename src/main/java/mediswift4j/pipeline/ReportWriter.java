package mediswift4j.pipeline;

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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import mediswift4j.io.AtomicFiles;
import mediswift4j.io.Json;

/**
 * Writes the reproduction's outputs from its results map alone, so a report can be regenerated from results.json:
 * results.json (every number), the SVG charts ({@link ReportCharts}) and report.md (inputs, setup, pre-training,
 * speed, evaluation data and downstream scores ({@link EvaluationSection}), the paper models' FLOPs, and the
 * closing {@link Narrative}). Each file is written atomically; report.md last, so it never names a missing chart.
 *
 * The map is first copied into the form JSON holds (non-finite numbers become null, integers Long), and the
 * report is written from that copy, so the report and results.json always say the same thing.
 */
public final class ReportWriter {
    private ReportWriter() {}

    @SuppressWarnings("unchecked")
    public static void write(Path out, Map<String, Object> results) throws IOException {
        Map<String, Object> r = (Map<String, Object>) Results.sanitize(results);
        Files.createDirectories(out);
        AtomicFiles.writeString(out.resolve("results.json"), Json.write(r, 2, false) + "\n");
        Map<String, String> charts = ReportCharts.all(r);
        for (var e : charts.entrySet()) AtomicFiles.writeString(out.resolve(e.getKey()), e.getValue());
        AtomicFiles.writeString(out.resolve("report.md"), markdown(r, charts.keySet()));
    }

    /** report.md for a results map, naming the charts in `charts` (file names) where they belong. */
    static String markdown(Map<String, Object> r, Set<String> charts) {
        StringBuilder md = new StringBuilder("# MediSwift at tiny scale: reproduction report\n\n");
        md.append("Mode: **").append(str(r, "mode")).append("**, seed ").append(str(r, "seed")).append(", total wall time ")
                .append(fixed(num(r, "wall_seconds"), 0)).append(" s. Every number here is in `results.json`.\n\n");
        inputs(md, r);
        setup(md, r);
        pretraining(md, r, charts);
        speed(md, r, charts);
        EvaluationSection.write(md, r, charts);
        paperFlops(md, r);
        md.append(Narrative.write(r));
        return md.toString();
    }

    private static void chart(StringBuilder md, Set<String> charts, String file, String alt) {
        if (charts.contains(file)) md.append("![").append(alt).append("](").append(file).append(")\n\n");
    }

    private static void inputs(StringBuilder md, Map<String, Object> r) {
        md.append("## Inputs\n\n");
        Map<String, Object> in = map(r, "inputs");
        if (in.isEmpty()) {
            md.append("The results do not record the input files.\n\n");
        } else {
            md.append("Kind: **").append(str(in, "kind")).append("**.\n\n");
            md.append("| input | file | size | sha256 (first 12 hex) | shipped sample |\n| --- | --- | --- | --- | --- |\n");
            for (String task : List.of("corpus", "pubmedqa", "hoc")) {
                for (Map<String, Object> f : maps(in, task)) {
                    String sha = str(f, "sha256");
                    md.append("| ").append(task).append(" | `").append(str(f, "path")).append("` | ").append(bytes(num(f, "bytes")))
                            .append(" | `").append(sha == null ? "n/a" : sha.substring(0, Math.min(12, sha.length())))
                            .append("` | ").append(flag(f, "shipped_sample") ? "yes (synthetic)" : "no").append(" |\n");
                }
            }
            md.append('\n');
        }
        Map<String, Object> corpus = map(r, "corpus");
        if (!corpus.isEmpty()) {
            md.append("Corpus: ").append(count(num(corpus, "documents"))).append(" documents. ");
            md.append(flag(corpus, "allow_test_overlap")
                    ? "Overlap with the PubMedQA and HoC test items was allowed: documents sharing text with them stayed in pre-training.\n\n"
                    : count(num(corpus, "excluded_test_documents")) + " of them overlap the PubMedQA or HoC test items and were left out of pre-training.\n\n");
        }
    }

    private static void setup(StringBuilder md, Map<String, Object> r) {
        md.append("## Setup\n\n");
        Map<String, Object> model = map(r, "model"), tok = map(r, "tokenizer"), data = map(r, "data");
        if (!model.isEmpty()) {
            md.append("- Model `").append(str(model, "name")).append("`: ").append(number(model.get("layers"))).append(" layers, d_model ")
                    .append(number(model.get("d_model"))).append(", ").append(number(model.get("heads"))).append(" heads, context ")
                    .append(number(model.get("context_length"))).append(", vocabulary ").append(number(model.get("vocab_size"))).append(".\n");
        }
        if (!tok.isEmpty()) {
            md.append("- BPE tokenizer trained here: ").append(number(tok.get("vocab_size"))).append(" tokens, from ")
                    .append(count(num(tok, "documents"))).append(" documents (").append(count(num(tok, "characters")))
                    .append(" characters) in ").append(fixed(num(tok, "seconds"), 1)).append(" s.\n");
        }
        if (!data.isEmpty()) {
            md.append("- Corpus tokens: ").append(count(num(data, "tokens"))).append(", of which ").append(count(num(data, "train_tokens")))
                    .append(" for training and ").append(count(num(data, "validation_tokens"))).append(" held out for validation.\n");
        }
        Map<String, Object> plan = map(r, "plan");
        if (!plan.isEmpty()) {
            md.append("\n| plan setting | value |\n| --- | --- |\n");
            for (var e : plan.entrySet()) {
                Object v = e.getValue();
                String s = v instanceof List<?> l ? l.stream().map(Results::number).reduce((a, b) -> a + ", " + b).orElse("")
                        : v instanceof Map ? Json.write(v) : number(v);
                md.append("| ").append(e.getKey()).append(" | ").append(s).append(" |\n");
            }
        }
        md.append('\n');
    }

    private static void pretraining(StringBuilder md, Map<String, Object> r, Set<String> charts) {
        List<PretrainGroups.Group> groups = PretrainGroups.of(r);
        md.append("## Pre-training: dense and static sparsity\n\n");
        if (groups.isEmpty()) {
            md.append("Not run.\n\n");
            return;
        }
        md.append("Final losses are the mean ± standard deviation over pre-training seeds when there are several.\n\n");
        md.append("| sparsity | runs | final validation loss | final training loss | tokens | tokens/s (CPU) | wall s | stability |\n");
        md.append("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
        List<String> flagged = new ArrayList<>();
        for (PretrainGroups.Group g : groups) {
            String loss = fixed(g.lossMean(), 3) + (g.runs().size() > 1 ? " ± " + fixed(g.lossStd(), 3) : "");
            List<String> verdicts = new ArrayList<>();
            for (Map<String, Object> run : g.runs()) {
                String v = PretrainGroups.verdict(run);
                if (v == null) continue;
                verdicts.add(g.runs().size() > 1 ? v + " (seed " + str(run, "seed") + ")" : v);
                if (!"stable".equals(v)) {
                    flagged.add("- " + PretrainGroups.runName(run) + ": **" + v + "**, " + str(map(run, "stability"), "detail") + ".");
                }
            }
            md.append("| ").append(g.label()).append(" | ").append(g.runs().size()).append(" | ").append(loss).append(" | ")
                    .append(fixed(g.mean("final_train_loss"), 3)).append(" | ").append(count(g.mean("tokens"))).append(" | ")
                    .append(fixed(g.mean("tokens_per_s"), 0)).append(" | ").append(fixed(g.mean("wall_seconds"), 1)).append(" | ")
                    .append(verdicts.isEmpty() ? "n/a" : String.join(", ", verdicts)).append(" |\n");
        }
        md.append('\n');
        if (!flagged.isEmpty()) md.append("Runs whose stability verdict is not \"stable\":\n\n").append(String.join("\n", flagged)).append("\n\n");
        chart(md, charts, "loss_vs_step.svg", "validation loss against step");
        chart(md, charts, "loss_vs_flops.svg", "validation loss against FLOPs");
    }

    private static void speed(StringBuilder md, Map<String, Object> r, Set<String> charts) {
        List<Map<String, Object>> rows = maps(r, "speedups");
        if (rows.isEmpty()) return;
        md.append("## Where sparsity pays: FLOPs counted, CS-2 predicted, CPU measured\n\n");
        md.append("| sparsity | FLOP reduction (counted) | CS-2 model speedup | CPU measured speedup | CPU tokens/s |\n| --- | --- | --- | --- | --- |\n");
        for (Map<String, Object> m : rows) {
            md.append("| ").append(ReportCharts.label(m)).append(" | ").append(times(num(m, "flop_reduction_counted"))).append(" | ")
                    .append(times(num(m, "cs2_predicted_speedup"))).append(" | ").append(times(num(m, "cpu_measured_speedup")))
                    .append(" | ").append(fixed(num(m, "cpu_tokens_per_s"), 0)).append(" |\n");
        }
        md.append('\n');
        chart(md, charts, "speedup.svg", "speedups");
    }

    private static void paperFlops(StringBuilder md, Map<String, Object> r) {
        List<Map<String, Object>> rows = maps(r, "flop_table");
        if (rows.isEmpty()) return;
        md.append("## The paper's models: training FLOPs (S 2048, V 50257, 104.86e9 tokens)\n\n");
        md.append("| model | sparsity | training FLOPs | reduction over dense | CS-2 model speedup (batch 64) |\n| --- | --- | --- | --- | --- |\n");
        for (Map<String, Object> m : rows) {
            md.append("| ").append(str(m, "model")).append(" | ").append(ReportCharts.label(m)).append(" | ")
                    .append(Double.isFinite(num(m, "training_flops")) ? String.format(java.util.Locale.ROOT, "%.3g", num(m, "training_flops")) : "n/a")
                    .append(" | ").append(times(num(m, "reduction"))).append(" | ").append(times(num(m, "cs2_predicted_speedup"))).append(" |\n");
        }
        md.append('\n');
    }
}
