package mediswift4j.cli;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

import mediswift4j.io.Json;
import mediswift4j.nn.Masks;
import mediswift4j.nn.ModelConfig;
import mediswift4j.nn.ModelMasks;
import mediswift4j.nn.ParamCount;

/** `model list` and `model info`: presets and parameter counts, computed without allocating the model. */
final class ModelCommand implements Command {
    @Override
    public String name() {
        return "model";
    }

    @Override
    public String summary() {
        return "list model presets and print parameter counts";
    }

    @Override
    public String help() {
        return String.join("\n",
                "usage: model list [--json]",
                "       model info --config NAME [--vocab V] [--sparsity S] [--json]   (--vocab [1, 16777216], --sparsity [0, 1))",
                "",
                "list: the presets (mediswift-tiny/small/base for laptops; med/large/xl paper-sized, context 2048).",
                "info: layers, width, heads, context, and parameter counts: params_total, params_embedding (wte + wpe),",
                "params_non_embedding, params_sparsifiable (the six weight matrices per block); with --sparsity, the",
                "number of masked weights (round(s * n) per tensor) and the non-zero parameters left.");
    }

    @Override
    public int run(Args args) {
        String sub = args.positional(0, "model sub-command (list, info)");
        PrintStream out = Main.utf8(System.out);
        switch (sub) {
            case "list": {
                boolean json = args.flag("json");
                args.finish();
                if (json) {
                    java.util.List<Object> all = new java.util.ArrayList<>();
                    for (ModelConfig c : ModelConfig.presets().values()) all.add(info(c, -1));
                    out.println(Json.write(all, 2, false));
                } else {
                    for (ModelConfig c : ModelConfig.presets().values()) {
                        ParamCount pc = ParamCount.of(c);
                        out.printf("%-16s L=%-3d C=%-5d NH=%-3d context=%-5d vocab=%-6d non-embedding params %,d%n",
                                c.name(), c.layers(), c.dModel(), c.heads(), c.contextLength(), c.vocabSize(), pc.nonEmbedding());
                    }
                }
                return 0;
            }
            case "info": {
                ModelConfig c = CliSupport.preset(args.require("config"));
                int vocab = args.integer("vocab", c.vocabSize(), 1, 1 << 24);
                double s = args.number("sparsity", -1);
                boolean json = args.flag("json");
                args.finish();
                if (vocab < 1) throw new UsageException("--vocab must be positive");
                if (s != -1 && !(s >= 0 && s < 1)) throw new UsageException("--sparsity must be in [0, 1)");
                Map<String, Object> m = info(c.withVocab(vocab), s);
                if (json) {
                    out.println(Json.write(m, 2, false));
                } else {
                    for (var e : m.entrySet()) {
                        Object v = e.getValue();
                        out.printf("%-22s %s%n", e.getKey(), v instanceof Long ? String.format("%,d", v) : v);
                    }
                }
                return 0;
            }
            default:
                throw new UsageException("unknown model sub-command '" + sub + "'");
        }
    }

    static Map<String, Object> info(ModelConfig c, double sparsity) {
        ParamCount pc = ParamCount.of(c);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", c.name());
        m.put("layers", (long) c.layers());
        m.put("d_model", (long) c.dModel());
        m.put("heads", (long) c.heads());
        m.put("head_size", (long) c.headSize());
        m.put("mlp_width", (long) c.mlpWidth());
        m.put("context_length", (long) c.contextLength());
        m.put("vocab_size", (long) c.vocabSize());
        m.put("params_total", pc.total());
        m.put("params_embedding", pc.embedding());
        m.put("params_non_embedding", pc.nonEmbedding());
        m.put("params_sparsifiable", pc.sparsifiable());
        m.put("masked_tensors", (long) ModelMasks.targets(c).size());
        if (sparsity >= 0) {
            long masked = 0;
            for (ModelMasks.Target t : ModelMasks.targets(c)) masked += Masks.maskedCount(t.size(), sparsity);
            m.put("sparsity", sparsity);
            m.put("params_masked", masked);
            m.put("params_nonzero", pc.total() - masked);
        }
        return m;
    }
}
