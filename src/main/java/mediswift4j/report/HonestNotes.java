package mediswift4j.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report's closing section: what the tiny run does and does not show compared with the paper, derived from
 * this run's numbers rather than written in advance, so a run that contradicts the paper says so.
 */
final class HonestNotes {
    private HonestNotes() {}

    @SuppressWarnings("unchecked")
    static String write(Map<String, Object> r, List<PretrainRun> runs) {
        StringBuilder md = new StringBuilder("## What this run shows, and what it does not\n\n");
        pretraining(md, runs);
        speed(md, (List<Object>) r.get("speedups"), (List<Object>) r.get("pretrain"));
        downstream(md, (List<Object>) r.get("downstream"));
        md.append("- The tiny model's counted FLOP reduction at 75% is smaller than the paper models' 2-2.5x because its LM head "
                + "(vocabulary x width) and attention scores are a larger share of its FLOPs; the paper-model table uses the same counter.\n");
        md.append("- The corpus and the PubMedQA/HoC samples are synthetic text written for this project (corpus-samples/README.md): "
                + "the validation losses are low because its sentences follow templates, and downstream scores say whether the pipeline "
                + "learns, not how MediSwift scores on the real benchmarks. Run with `--corpus`, `--pubmedqa` and `--hoc` on real data for that.\n");
        return md.toString();
    }

    private static void pretraining(StringBuilder md, List<PretrainRun> runs) {
        double dense = runs.get(0).finalValLoss;
        List<String> parts = new ArrayList<>();
        boolean allWorse = true;
        for (PretrainRun run : runs.subList(1, runs.size())) {
            parts.add(String.format(Locale.ROOT, "%s: %.3f (%+.3f)", PretrainRun.label(run.sparsity), run.finalValLoss, run.finalValLoss - dense));
            allWorse &= run.finalValLoss > dense;
        }
        md.append(String.format(Locale.ROOT, "- Pre-training at equal tokens: dense reaches validation loss %.3f; %s. ", dense, String.join(", ", parts)));
        md.append(allWorse
                ? "As in the paper, sparse pre-training loses some language-modelling quality at equal tokens and gains it back "
                  + "in FLOPs; the size of the gap at this scale is no prediction of the gap at 302M-1.2B parameters.\n"
                : "Unlike the paper, a sparse model matched or beat dense here; at this scale and step count that is within what a "
                  + "different seed or learning rate can change, and is no evidence about the paper's models.\n");
    }

    @SuppressWarnings("unchecked")
    private static void speed(StringBuilder md, List<Object> speedups, List<Object> pretrain) {
        for (int i = 0; i < speedups.size(); i++) {
            Map<String, Object> m = (Map<String, Object>) speedups.get(i);
            double s = ((Number) m.get("sparsity")).doubleValue();
            if (s == 0) continue;
            double counted = ((Number) m.get("flop_reduction_counted")).doubleValue();
            double measured = ((Number) m.get("cpu_measured_speedup")).doubleValue();
            Object kernel = ((Map<String, Object>) pretrain.get(i)).get("sparse_kernel");
            md.append(String.format(Locale.ROOT, "- At %s the counted FLOP reduction is %.2fx and this CPU measured %.2fx. ",
                    PretrainRun.label(s), counted, measured));
            if (Boolean.TRUE.equals(kernel)) {
                md.append(measured >= 0.75 * counted
                        ? "The compressed sparse kernels turned most of the counted reduction into CPU time.\n"
                        : "The masked layers ran on the compressed sparse kernels, but the dense parts of a model this small (attention, "
                          + "the LM head, norms, the optimizer) and unstructured sparsity's irregular memory access keep the CPU well short of the count.\n");
            } else {
                md.append("The masked layers ran as dense matrices with zeros (below the sparsity where the compressed kernels pay, "
                        + "SPEC section 15), so the CPU does the dense work: only hardware that skips zeros, like the CS-2, turns this "
                        + "sparsity into speed.\n");
            }
        }
        md.append("- CPU tokens/s were measured inside this run, while anything else the machine ran competed for it; "
                + "`bench train` measures training speed in isolation.\n");
    }

    @SuppressWarnings("unchecked")
    private static void downstream(StringBuilder md, List<Object> rows) {
        if (rows == null || rows.size() < 2) return;
        double minPq = 1, maxPq = 0, minHoc = 1, maxHoc = 0, majorityPq = 0;
        for (Object o : rows) {
            Map<String, Object> m = (Map<String, Object>) o;
            double pq = ((Number) m.get("pubmedqa_accuracy")).doubleValue(), hoc = ((Number) m.get("hoc_micro_f1")).doubleValue();
            if ("majority baseline".equals(m.get("pretraining"))) {
                majorityPq = pq;
                continue;
            }
            minPq = Math.min(minPq, pq);
            maxPq = Math.max(maxPq, pq);
            minHoc = Math.min(minHoc, hoc);
            maxHoc = Math.max(maxHoc, hoc);
        }
        md.append(String.format(Locale.ROOT, "- Downstream, one seed: PubMedQA accuracy ranges %.1f-%.1f against the majority baseline's %.1f, "
                + "HoC micro-F1 %.1f-%.1f. ", 100 * minPq, 100 * maxPq, 100 * majorityPq, 100 * minHoc, 100 * maxHoc));
        md.append(minPq > majorityPq
                ? "Every fine-tuned model beats the majority baseline, so dense fine-tuning recovers useful models from sparse pre-training, "
                  + "the paper's point. "
                : "Some fine-tuned models do not beat the majority baseline: at this size and number of epochs fine-tuning is not reliable. ");
        md.append(String.format(Locale.ROOT, "The %.0f-point PubMedQA spread between rows comes from one seed, a %s test set and short "
                + "fine-tuning; it does not rank the sparsities or the soft prompt (the paper's comparisons need several seeds at far larger scale)",
                100 * (maxPq - minPq), "small"));
        md.append(maxHoc - minHoc < 0.03 ? "; the synthetic HoC sample is easy enough that every model nearly saturates it.\n" : ".\n");
    }
}
