package mediswift4j.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import mediswift4j.io.AtomicFiles;
import mediswift4j.io.Json;

/**
 * Writes the reproduction's outputs: results.json (every number), report.md (tables, charts, honest notes) and the
 * SVG charts it embeds. Reads only the results map and the recorded runs, so a report can be regenerated.
 */
final class ReportWriter {
    private ReportWriter() {}

    static void write(Path out, Map<String, Object> results, List<PretrainRun> runs) throws IOException {
        AtomicFiles.writeString(out.resolve("results.json"), Json.write(results, 2, false) + "\n");
        AtomicFiles.writeString(out.resolve("loss_vs_step.svg"), lossChart(runs, false));
        AtomicFiles.writeString(out.resolve("loss_vs_flops.svg"), lossChart(runs, true));
        AtomicFiles.writeString(out.resolve("speedup.svg"), speedupChart(results));
        AtomicFiles.writeString(out.resolve("report.md"), markdown(results, runs));
    }

    private static String lossChart(List<PretrainRun> runs, boolean byFlops) {
        List<SvgChart.Series> series = new ArrayList<>();
        for (PretrainRun r : runs) {
            double[] x = new double[r.validation.size()], y = new double[r.validation.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = byFlops ? r.validation.get(i)[2] : r.validation.get(i)[0];
                y[i] = r.validation.get(i)[1];
            }
            series.add(new SvgChart.Series(PretrainRun.label(r.sparsity), x, y));
        }
        return byFlops
                ? SvgChart.lineChart("Validation loss against training FLOPs", "training FLOPs (counted, SPEC section 10)", "validation loss", series, false)
                : SvgChart.lineChart("Validation loss against step", "optimizer step", "validation loss", series, false);
    }

    @SuppressWarnings("unchecked")
    private static String speedupChart(Map<String, Object> results) {
        List<SvgChart.BarGroup> groups = new ArrayList<>();
        for (Object o : (List<Object>) results.get("speedups")) {
            Map<String, Object> m = (Map<String, Object>) o;
            double s = ((Number) m.get("sparsity")).doubleValue();
            groups.add(new SvgChart.BarGroup(PretrainRun.label(s), new double[] {
                    num(m, "flop_reduction_counted"), num(m, "cs2_predicted_speedup"), num(m, "cpu_measured_speedup")}));
        }
        return SvgChart.barChart("Speedup over dense (tiny model)", "x dense",
                new String[] {"FLOPs counted", "CS-2 model", "CPU measured"}, groups);
    }

    private static double num(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v instanceof Number ? ((Number) v).doubleValue() : Double.NaN;
    }

    @SuppressWarnings("unchecked")
    private static String markdown(Map<String, Object> r, List<PretrainRun> runs) {
        StringBuilder md = new StringBuilder();
        Map<String, Object> model = (Map<String, Object>) r.get("model");
        Map<String, Object> plan = (Map<String, Object>) r.get("plan");
        Map<String, Object> data = (Map<String, Object>) r.get("data");
        Map<String, Object> tok = (Map<String, Object>) r.get("tokenizer");
        md.append("# MediSwift at tiny scale: reproduction report\n\n");
        md.append(String.format(Locale.ROOT, "Mode: **%s**, seed %s, total wall time %.0f s. Every number here is in `results.json`.%n%n",
                r.get("mode"), r.get("seed"), num(r, "wall_seconds")));
        md.append("## Setup\n\n");
        md.append(String.format(Locale.ROOT, "- Model `%s`: %s layers, d_model %s, %s heads, context %s, vocabulary %s (BPE trained here on %s documents).%n",
                model.get("name"), model.get("layers"), model.get("d_model"), model.get("heads"), model.get("context_length"),
                model.get("vocab_size"), tok.get("documents")));
        md.append(String.format(Locale.ROOT, "- Corpus: %s tokens, %s for training, %s held out for validation.%n",
                data.get("tokens"), data.get("train_tokens"), data.get("validation_tokens")));
        md.append(String.format(Locale.ROOT, "- Pre-training: %s steps of %s x %s tokens, peak LR %s, warm-up %s, AdamW, cosine to 10%%; the same data order and initial values for every sparsity (masks differ).%n%n",
                plan.get("steps"), plan.get("batch"), plan.get("seq_len"), plan.get("lr"), plan.get("warmup")));

        md.append("## Pre-training: dense, 50% and 75% static sparsity\n\n");
        md.append("| sparsity | final validation loss | final training loss | tokens/s (CPU) | wall s | training FLOPs (counted) |\n");
        md.append("| --- | --- | --- | --- | --- | --- |\n");
        for (Object o : (List<Object>) r.get("pretrain")) {
            Map<String, Object> p = (Map<String, Object>) o;
            md.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.0f | %.1f | %.3g |%n", p.get("label"),
                    num(p, "final_validation_loss"), num(p, "final_train_loss"), num(p, "tokens_per_s"), num(p, "wall_seconds"),
                    num(p, "training_flops_actual")));
        }
        md.append("\n![validation loss against step](loss_vs_step.svg)\n\n![validation loss against FLOPs](loss_vs_flops.svg)\n\n");

        md.append("## Where sparsity pays: FLOPs counted, CS-2 predicted, CPU measured\n\n");
        md.append("| sparsity | FLOP reduction (counted) | CS-2 model speedup | CPU measured speedup | CPU tokens/s |\n| --- | --- | --- | --- | --- |\n");
        for (Object o : (List<Object>) r.get("speedups")) {
            Map<String, Object> m = (Map<String, Object>) o;
            md.append(String.format(Locale.ROOT, "| %s | %.2fx | %.2fx | %.2fx | %.0f |%n", PretrainRun.label(num(m, "sparsity")),
                    num(m, "flop_reduction_counted"), num(m, "cs2_predicted_speedup"), num(m, "cpu_measured_speedup"), num(m, "cpu_tokens_per_s")));
        }
        md.append("\n![speedups](speedup.svg)\n\n");

        md.append("## Downstream: dense fine-tuning, with and without a soft prompt\n\n");
        List<Object> down = (List<Object>) r.get("downstream");
        if (down == null || down.isEmpty()) {
            md.append("Not run.\n\n");
        } else {
            md.append("| pre-training | fine-tuning | PubMedQA accuracy | PubMedQA macro-F1 | HoC micro-F1 |\n| --- | --- | --- | --- | --- |\n");
            for (Object o : down) {
                Map<String, Object> m = (Map<String, Object>) o;
                md.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %.1f | %.1f |%n", m.get("pretraining"), m.get("fine_tuning"),
                        100 * num(m, "pubmedqa_accuracy"), 100 * num(m, "pubmedqa_macro_f1"), 100 * num(m, "hoc_micro_f1")));
            }
            md.append('\n');
        }

        md.append("## The paper's models: training FLOPs (S 2048, V 50257, 104.86e9 tokens)\n\n");
        md.append("| model | sparsity | training FLOPs | reduction over dense | CS-2 model speedup (batch 64) |\n| --- | --- | --- | --- | --- |\n");
        for (Object o : (List<Object>) r.get("flop_table")) {
            Map<String, Object> m = (Map<String, Object>) o;
            md.append(String.format(Locale.ROOT, "| %s | %s | %.3g | %.2fx | %.2fx |%n", m.get("model"), PretrainRun.label(num(m, "sparsity")),
                    num(m, "training_flops"), num(m, "reduction"), num(m, "cs2_predicted_speedup")));
        }
        md.append('\n');
        md.append(HonestNotes.write(r, runs));
        return md.toString();
    }
}
