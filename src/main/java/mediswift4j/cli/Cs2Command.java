package mediswift4j.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import mediswift4j.cs2.Cs2Hardware;
import mediswift4j.cs2.Cs2Model;
import mediswift4j.io.Json;
import mediswift4j.nn.ModelConfig;

/**
 * `cs2`: predicted training step time, throughput and speedup over dense on Cerebras CS-2 systems in
 * weight-streaming mode (SPEC.md section 11). The model is {@link Cs2Model}; the figures are {@link Cs2Hardware}.
 */
final class Cs2Command implements Command {
    @Override
    public String name() {
        return "cs2";
    }

    @Override
    public String summary() {
        return "predict step time on a Cerebras CS-2 (weight-streaming model)";
    }

    @Override
    public String help() {
        return String.join("\n",
                "usage: cs2 (--config NAME | --layers L --d-model C --heads NH) --batch B [--seq-len T] [--vocab V]",
                "           [--sparsity 0,0.5,0.75] [--systems N] [--hw name=value,...] [--json]",
                "",
                "Predicts, per transformer block, compute time against weight-streaming time on a CS-2, then the step",
                "time, tokens/s and speedup over dense. An analytic model (SPEC.md section 11), not a measurement:",
                "every hardware figure is a named parameter, PUBLIC (with its source) or ASSUMPTION (with reasoning).",
                "",
                "  --batch B        sequences per step (required)",
                "  --seq-len T      sequence length (default: the config's context length)",
                "  --sparsity LIST  sparsities in [0, 1) of the masked matrices (default 0,0.5,0.75)",
                "  --systems N      CS-2s fed by SwarmX (data parallel; default 1)",
                "  --hw k=v,...     override figures, e.g. --hw utilisation=0.4,stream_bandwidth=300e9; names:",
                "                   cores sram_bytes sram_bandwidth fabric_bandwidth peak_flops utilisation",
                "                   stream_bandwidth value_bytes index_bytes",
                "  --json           JSON on stdout instead of the table",
                "",
                "example: cs2 --config mediswift-xl --sparsity 0,0.5,0.75 --batch 64 --seq-len 2048",
                "Ranges: --seq-len and --batch [1, 1048576], --systems [1, 65536], --sparsity values [0, 1), --layers [1, 1024],",
                "--d-model [1, 65536], --heads [1, 4096], --vocab [1, 16777216].");
    }

    @Override
    public int run(Args args) {
        ModelConfig config = CliSupport.modelShape(args);
        int seqLen = args.integer("seq-len", config.contextLength(), 1, 1 << 20);
        int batch = args.integer("batch", -1, 1, 1 << 20);
        int systems = args.integer("systems", 1, 1, 1 << 16);
        List<Double> sparsities = CliSupport.sparsities(args);
        Cs2Hardware hw = Cs2Hardware.defaults();
        for (String kv : args.list("hw")) {
            int eq = kv.indexOf('=');
            if (eq < 0) throw new UsageException("--hw expects name=value, got '" + kv + "'");
            try {
                hw = hw.with(kv.substring(0, eq), Double.parseDouble(kv.substring(eq + 1)));
            } catch (NumberFormatException e) {
                throw new UsageException("--hw " + kv.substring(0, eq) + " expects a number, got '" + kv.substring(eq + 1) + "'");
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }
        boolean json = args.flag("json");
        args.finish();
        if (batch < 1) throw new UsageException("--batch B (a positive number of sequences per step) is required");
        if (seqLen < 1) throw new UsageException("--seq-len must be positive, got " + seqLen);
        if (systems < 1) throw new UsageException("--systems must be positive, got " + systems);

        List<Cs2Model.Prediction> preds = new ArrayList<>();
        for (double s : sparsities) preds.add(Cs2Model.predict(config, s, batch, seqLen, systems, hw));
        PrintStream out = Main.utf8(System.out);
        if (json) out.println(Json.write(toJson(config, seqLen, hw, preds), 2, false));
        else printTable(out, config, seqLen, hw, preds);
        out.flush();
        return 0;
    }

    private static Map<String, Object> toJson(ModelConfig config, int seqLen, Cs2Hardware hw, List<Cs2Model.Prediction> preds) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("config", CliSupport.configJson(config, seqLen));
        root.put("batch", preds.get(0).batch());
        root.put("systems", preds.get(0).systems());
        List<Object> params = new ArrayList<>();
        for (Cs2Hardware.Parameter p : hw.parameters()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", p.name());
            m.put("value", p.value());
            m.put("unit", p.unit());
            m.put("assumption", p.assumption());
            m.put("source", p.source());
            params.add(m);
        }
        root.put("hardware", params);
        List<Object> results = new ArrayList<>();
        for (Cs2Model.Prediction p : preds) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("sparsity", p.sparsity());
            r.put("step_seconds", p.stepSeconds());
            r.put("dense_step_seconds", p.denseStepSeconds());
            r.put("tokens_per_second", p.tokensPerSecond());
            r.put("speedup_over_dense", p.speedup());
            r.put("flop_reduction", p.flopReduction());
            Map<String, Object> br = new LinkedHashMap<>();
            br.put("sparse_matmul_seconds", p.sparseMatmulSeconds());
            br.put("dense_attention_seconds", p.attentionSeconds());
            br.put("dense_lm_head_seconds", p.lmHeadSeconds());
            br.put("stream_wait_seconds", p.streamingExcessSeconds());
            r.put("step_breakdown", br);
            r.put("critical_batch", p.criticalBatch());
            r.put("activation_bytes", p.activationBytes());
            r.put("fits_in_sram", p.fitsInSram());
            List<Object> units = new ArrayList<>();
            for (Cs2Model.Unit u : p.units()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", u.name());
                m.put("flops", u.flops());
                m.put("compute_seconds", u.computeSeconds());
                m.put("dense_attention_seconds", u.attentionSeconds());
                m.put("stream_bytes", u.streamBytes());
                m.put("stream_seconds", u.streamSeconds());
                m.put("sram_seconds", u.sramSeconds());
                m.put("seconds", u.seconds());
                m.put("bound", u.bound());
                units.add(m);
            }
            r.put("units", units);
            results.add(r);
        }
        root.put("results", results);
        return root;
    }

    private static void printTable(PrintStream out, ModelConfig c, int seqLen, Cs2Hardware hw, List<Cs2Model.Prediction> preds) {
        Cs2Model.Prediction p0 = preds.get(0);
        out.printf(Locale.ROOT, "%s: L=%d C=%d NH=%d V=%d, batch %d x %d tokens, %d CS-2 system(s) (SPEC.md section 11)%n%n",
                c.name(), c.layers(), c.dModel(), c.heads(), c.vocabSize(), p0.batch(), seqLen, p0.systems());
        out.println("hardware figures:");
        for (Cs2Hardware.Parameter p : hw.parameters()) {
            out.printf(Locale.ROOT, "  %-17s %11.4g %-9s %s%n", p.name(), p.value(), p.unit(), p.source());
        }
        out.println();
        out.printf(Locale.ROOT, "%-9s %11s %12s %9s %10s | %10s %10s %10s %10s | %9s%n", "sparsity", "step (s)", "tokens/s",
                "speedup", "FLOP red.", "sparse mm", "dense attn", "lm head", "stream wt", "crit. B");
        for (Cs2Model.Prediction p : preds) {
            out.printf(Locale.ROOT, "%-9.3f %11.4e %12.4e %8.2fx %9.2fx | %10.3e %10.3e %10.3e %10.3e | %9.1f%n",
                    p.sparsity(), p.stepSeconds(), p.tokensPerSecond(), p.speedup(), p.flopReduction(),
                    p.sparseMatmulSeconds(), p.attentionSeconds(), p.lmHeadSeconds(), p.streamingExcessSeconds(),
                    p.criticalBatch());
        }
        out.println();
        out.println("one block and the LM head per step (every block is the same; the JSON lists each):");
        out.printf(Locale.ROOT, "%-9s %-8s %11s %11s %11s %11s %8s%n", "sparsity", "unit", "compute s", "of it attn",
                "stream s", "sram s", "bound");
        for (Cs2Model.Prediction p : preds) {
            for (Cs2Model.Unit u : List.of(p.units().get(0), p.units().get(p.units().size() - 1))) {
                out.printf(Locale.ROOT, "%-9.3f %-8s %11.4e %11.4e %11.4e %11.4e %8s%n", p.sparsity(),
                        u.name().equals("lm_head") ? "lm_head" : "block", u.computeSeconds(), u.attentionSeconds(),
                        u.streamSeconds(), u.sramSeconds(), u.bound());
            }
        }
        out.println();
        out.println("Sparsity shrinks only the 'sparse mm' column: dense attention and the LM head stay, and below the");
        out.println("critical batch (crit. B) a block waits for its weights to stream in rather than for its FLOPs.");
        if (!p0.fitsInSram()) {
            out.printf(Locale.ROOT, "note: stored activations (%.3g GB, Korthikanti et al. 2022) exceed the %.0f GB SRAM; a real "
                    + "run would recompute or split the batch, which this model does not price.%n", p0.activationBytes() / 1e9,
                    hw.sramBytes() / 1e9);
        }
    }
}
