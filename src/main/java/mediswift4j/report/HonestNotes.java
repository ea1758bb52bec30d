package mediswift4j.report;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report's closing section: what the tiny run does and does not show compared with the paper, derived from
 * the numbers of this run rather than written in advance.
 */
final class HonestNotes {
    private HonestNotes() {}

    @SuppressWarnings("unchecked")
    static String write(Map<String, Object> r, List<PretrainRun> runs) {
        StringBuilder md = new StringBuilder("## What this run shows, and what it does not\n\n");
        double dense = runs.get(0).finalValLoss;
        for (PretrainRun run : runs.subList(1, runs.size())) {
            double gap = run.finalValLoss - dense;
            md.append(String.format(Locale.ROOT, "- At %s sparsity the final validation loss is %.3f, %s the dense model's %.3f by %.3f. ",
                    PretrainRun.label(run.sparsity), run.finalValLoss, gap >= 0 ? "above" : "below", dense, Math.abs(gap)));
            md.append("The paper also finds sparse pre-training loses some language-modelling quality at equal tokens; "
                    + "at this scale and step count the gap is not a prediction of the gap at 302M-1.2B parameters.\n");
        }
        List<Object> speedups = (List<Object>) r.get("speedups");
        for (Object o : speedups) {
            Map<String, Object> m = (Map<String, Object>) o;
            double s = ((Number) m.get("sparsity")).doubleValue();
            if (s == 0) continue;
            double counted = ((Number) m.get("flop_reduction_counted")).doubleValue();
            double measured = ((Number) m.get("cpu_measured_speedup")).doubleValue();
            md.append(String.format(Locale.ROOT, "- At %s the counted FLOP reduction of the tiny model is %.2fx and this CPU measured %.2fx. ",
                    PretrainRun.label(s), counted, measured));
            if (measured < 0.75 * counted) {
                md.append("The CPU realises clearly less than the count: in a model this small the dense parts (attention scores, "
                        + "the LM head over the vocabulary, norms, the optimizer) and per-call overheads weigh more than in the paper's models.\n");
            } else {
                md.append("The compressed sparse kernels turn most of the counted reduction into real CPU time.\n");
            }
        }
        md.append("- The tiny model's FLOP reduction at 75% is smaller than the paper models' 2-2.5x because its LM head "
                + "(vocabulary x width) and attention are a larger share of its FLOPs; the paper-model table above uses the same counter.\n");
        md.append("- The corpus and the PubMedQA/HoC samples are synthetic text written for this project (corpus-samples/README.md); "
                + "downstream scores on them say whether the pipeline learns, not how MediSwift scores on the real benchmarks. "
                + "Run with `--corpus`, `--pubmedqa` and `--hoc` on real data for that.\n");
        return md.toString();
    }
}
