package mediswift4j.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import mediswift4j.io.Json;
import mediswift4j.nn.ModelMasks;
import mediswift4j.nn.ParamCount;
import mediswift4j.train.Checkpoint;

/** `checkpoint info DIR [--json]`: config, step, tokens seen, per-tensor sparsity and a SHA-256 of parameters and masks. */
final class CheckpointCommand implements Command {
    @Override
    public String name() {
        return "checkpoint";
    }

    @Override
    public String summary() {
        return "inspect a checkpoint (config, step, sparsity, hash)";
    }

    @Override
    public String help() {
        return String.join("\n",
                "usage: checkpoint info DIR [--json]",
                "",
                "Loads and verifies DIR/checkpoint.bin (SHA-256 of the file) and prints the model config, training",
                "settings, step, tokens seen, the sparsity of each masked tensor (labels h.{i}.attn.q/k/v,",
                "h.{i}.attn.c_proj, h.{i}.mlp.c_fc, h.{i}.mlp.c_proj) and parameters_sha256: SHA-256 over the",
                "parameters (float32 little-endian, canonical order) followed by the masks.");
    }

    @Override
    public int run(Args args) {
        String sub = args.positional(0, "checkpoint sub-command (info)");
        if (!sub.equals("info")) throw new UsageException("unknown checkpoint sub-command '" + sub + "'");
        Path dir = Path.of(args.positional(1, "checkpoint directory"));
        boolean json = args.flag("json");
        args.finish();
        Checkpoint.Loaded ck = Checkpoint.load(dir);
        Map<String, Object> m = info(ck);
        PrintStream out = Main.utf8(System.out);
        if (json) {
            out.println(Json.write(m, 2, false));
        } else {
            for (var e : m.entrySet()) {
                if (e.getKey().equals("tensor_sparsity")) continue;
                out.printf("%-20s %s%n", e.getKey(), e.getValue() instanceof Map || e.getValue() instanceof List ? Json.write(e.getValue()) : e.getValue());
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> ts = (Map<String, Object>) m.get("tensor_sparsity");
            out.println("tensor sparsity:");
            for (var e : ts.entrySet()) out.printf("  %-20s %.6f%n", e.getKey(), (Double) e.getValue());
        }
        return 0;
    }

    static Map<String, Object> info(Checkpoint.Loaded ck) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("config", Checkpoint.configJson(ck.model().config()));
        m.put("train", ck.settings().toJson());
        m.put("step", ck.state().step);
        m.put("tokens_seen", ck.state().tokensSeen);
        m.put("elapsed_seconds", ck.state().elapsedSeconds);
        m.put("tokenizer", ck.state().tokenizer);
        m.put("data", new java.util.ArrayList<Object>(ck.state().data));
        m.put("params_total", ParamCount.of(ck.model().config()).total());
        Map<String, Object> ts = new LinkedHashMap<>();
        List<ModelMasks.Target> targets = ModelMasks.targets(ck.model().config());
        double[] s = ModelMasks.sparsities(ck.model());
        for (int i = 0; i < targets.size(); i++) ts.put(targets.get(i).label(), s[i]);
        m.put("tensor_sparsity", ts);
        m.put("parameters_sha256", Checkpoint.parameterHash(ck.model()));
        return m;
    }
}
