package mediswift4j.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import mediswift4j.flops.FlopCount;
import mediswift4j.flops.FlopCounter;
import mediswift4j.io.Json;
import mediswift4j.nn.ModelConfig;

/**
 * `flops`: training FLOPs per layer and pass, dense and sparse (SPEC.md section 10), as JSON or as a table.
 * The counting is in {@link FlopCounter}; this class reads options and prints.
 */
final class FlopsCommand implements Command {
    /** The paper's pre-training token budget (MediSwift, section 3). */
    static final double PAPER_TOKENS = 104.86e9;

    @Override
    public String name() {
        return "flops";
    }

    @Override
    public String summary() {
        return "count training FLOPs per layer and pass, dense and sparse";
    }

    @Override
    public String help() {
        return String.join("\n",
                "usage: flops (--config NAME | --layers L --d-model C --heads NH) [--seq-len S] [--vocab V]",
                "             [--tokens N] [--sparsity 0,0.5,0.75] [--json]",
                "Ranges: --seq-len [1, 1048576], --tokens > 0, --sparsity values [0, 1), --layers [1, 1024], --d-model",
                "[1, 65536], --heads [1, 4096], --vocab [1, 16777216].",
                "",
                "Counts the training FLOPs (forward, input gradient, weight gradient) of the MediSwift GPT per layer,",
                "for each sparsity of the masked matrices (attention Q,K,V and output, MLP fc and proj), and the",
                "reduction over dense. Convention (SPEC.md section 10): a (m x k)(k x n) matmul is 2mkn FLOPs;",
                "attention scores and values 2*S*C each per token (no causal halving); LM head dense; embedding 0;",
                "backward = 2 x forward; norms, softmax, GELU listed separately and left out of the totals.",
                "",
                "  --config NAME    a preset: " + String.join(", ", ModelConfig.presets().keySet()),
                "  --layers/--d-model/--heads   a custom shape instead of --config",
                "  --seq-len S      sequence length (default: the config's context length)",
                "  --vocab V        vocabulary (default: the preset's, 50257 for custom shapes)",
                "  --tokens N       training token budget (default 104.86e9, the paper's)",
                "  --sparsity LIST  sparsities in [0, 1) (default 0,0.5,0.75)",
                "  --json           JSON on stdout instead of the table",
                "",
                "example: flops --config mediswift-xl --seq-len 2048 --vocab 50257 --tokens 104.86e9 --sparsity 0,0.5,0.75");
    }

    @Override
    public int run(Args args) {
        ModelConfig config = CliSupport.modelShape(args);
        int seqLen = args.integer("seq-len", config.contextLength(), 1, 1 << 20);
        double tokens = args.number("tokens", PAPER_TOKENS);
        List<Double> sparsities = CliSupport.sparsities(args);
        boolean json = args.flag("json");
        args.finish();
        if (seqLen < 1) throw new UsageException("--seq-len must be positive, got " + seqLen);
        if (!(tokens > 0)) throw new UsageException("--tokens must be positive");

        List<FlopCount> counts = new ArrayList<>();
        for (double s : sparsities) counts.add(FlopCounter.count(config, seqLen, s));
        PrintStream out = Main.utf8(System.out);
        if (json) out.println(Json.write(toJson(config, seqLen, tokens, counts), 2, false));
        else printTable(out, config, seqLen, tokens, counts);
        out.flush();
        return 0;
    }

    private static Map<String, Object> toJson(ModelConfig config, int seqLen, double tokens, List<FlopCount> counts) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("config", CliSupport.configJson(config, seqLen));
        root.put("tokens", tokens);
        root.put("convention", "SPEC.md section 10: matmul 2mkn; attention scores and values 2*S*C each per token, "
                + "no causal halving; LM head dense; embedding lookup 0; backward = 2 x forward; masked matrices x (1 - s); "
                + "elementwise ops listed, not in totals");
        List<Object> results = new ArrayList<>();
        for (FlopCount fc : counts) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("sparsity", fc.sparsity());
            r.put("training_flops", fc.training(tokens));
            r.put("training_flops_dense", fc.trainingDense(tokens));
            r.put("reduction", fc.reduction());
            r.put("per_token", Map.of("forward", fc.forwardPerToken(), "input_grad", fc.inputGradPerToken(),
                    "weight_grad", fc.weightGradPerToken(), "total", fc.perToken(), "total_dense", fc.perTokenDense()));
            r.put("sparsifiable_fraction", fc.sparsifiableFraction());
            r.put("reduction_limit", fc.reductionLimit());
            r.put("dense_attention_fraction", fc.denseOfKind(FlopCount.Kind.ACTIVATIONS) / fc.perTokenDense());
            r.put("lm_head_fraction", fc.denseOfKind(FlopCount.Kind.DENSE_WEIGHT) / fc.perTokenDense());
            List<Object> layers = new ArrayList<>();
            for (FlopCount.LayerTotal lt : fc.layers()) {
                Map<String, Object> l = new LinkedHashMap<>();
                l.put("layer", lt.layer());
                l.put("forward", lt.forward());
                l.put("input_grad", lt.inputGrad());
                l.put("weight_grad", lt.weightGrad());
                l.put("total", lt.total());
                l.put("total_dense", lt.denseTotal());
                List<Object> terms = new ArrayList<>();
                for (FlopCount.Term t : fc.termsOf(lt.layer())) {
                    Map<String, Object> tm = new LinkedHashMap<>();
                    tm.put("name", t.name());
                    tm.put("kind", t.kind().name().toLowerCase(Locale.ROOT));
                    tm.put("forward", t.forward());
                    tm.put("input_grad", t.inputGrad());
                    tm.put("weight_grad", t.weightGrad());
                    terms.add(tm);
                }
                l.put("terms", terms);
                layers.add(l);
            }
            r.put("layers_per_token", layers);
            Map<String, Object> ew = new LinkedHashMap<>();
            for (FlopCount.Elementwise e : fc.elementwise()) {
                if (e.layer().equals("block.0") || !e.layer().startsWith("block.")) ew.put(e.layer() + " " + e.name(), e.forward());
            }
            r.put("elementwise_forward_per_token_not_in_totals", ew);
            results.add(r);
        }
        root.put("results", results);
        return root;
    }

    private static void printTable(PrintStream out, ModelConfig c, int seqLen, double tokens, List<FlopCount> counts) {
        out.printf(Locale.ROOT, "%s: L=%d C=%d NH=%d, S=%d, V=%d, tokens=%.4g (SPEC.md section 10)%n%n",
                c.name(), c.layers(), c.dModel(), c.heads(), seqLen, c.vocabSize(), tokens);
        out.printf(Locale.ROOT, "%-9s %13s %13s %11s %11s %11s %10s %10s%n", "sparsity", "train FLOPs", "dense FLOPs",
                "fwd/token", "igrad/tok", "wgrad/tok", "reduction", "limit s->1");
        for (FlopCount fc : counts) {
            out.printf(Locale.ROOT, "%-9.3f %13.4e %13.4e %11.4e %11.4e %11.4e %9.2fx %9.2fx%n", fc.sparsity(),
                    fc.training(tokens), fc.trainingDense(tokens), fc.forwardPerToken(), fc.inputGradPerToken(),
                    fc.weightGradPerToken(), fc.reduction(), fc.reductionLimit());
        }
        out.println();
        out.println("training FLOPs per token, by layer and term (every block is the same; the JSON lists each):");
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-22s %-12s", "layer / term", "kind"));
        for (FlopCount fc : counts) head.append(String.format(Locale.ROOT, " %12s", "s=" + fc.sparsity()));
        out.println(head);
        FlopCount first = counts.get(0);
        for (String layer : List.of("embedding", "block.0", "lm_head")) {
            String label = layer.equals("block.0") ? "each of " + c.layers() + " blocks" : layer;
            out.println(label);
            for (int i = 0; i < first.termsOf(layer).size(); i++) {
                FlopCount.Term t = first.termsOf(layer).get(i);
                StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "  %-20s %-12s", t.name(),
                        t.kind().name().toLowerCase(Locale.ROOT)));
                for (FlopCount fc : counts) row.append(String.format(Locale.ROOT, " %12.4e", fc.termsOf(layer).get(i).total()));
                out.println(row);
            }
        }
        out.println();
        out.printf(Locale.ROOT, "Of the dense FLOPs, %.1f%% are in masked matrices, %.1f%% in attention scores and values "
                        + "(activations, never masked) and %.1f%% in the dense LM head.%n",
                100 * first.sparsifiableFraction(), 100 * first.denseOfKind(FlopCount.Kind.ACTIVATIONS) / first.perTokenDense(),
                100 * first.denseOfKind(FlopCount.Kind.DENSE_WEIGHT) / first.perTokenDense());
        out.println("So the reduction at sparsity s is 1 / (1 - s * f) with f that first share: less than 1 / (1 - s).");
        out.printf(Locale.ROOT, "Elementwise ops (norms, softmax, GELU, adds), not in the totals: %.4e forward FLOPs per token.%n",
                first.elementwisePerToken());
    }
}
