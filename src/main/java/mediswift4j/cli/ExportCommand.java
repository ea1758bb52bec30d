package mediswift4j.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import mediswift4j.interop.CheckpointExport;
import mediswift4j.io.Json;
import mediswift4j.io.SafeTensors;
import mediswift4j.train.Checkpoint;

/**
 * `export --checkpoint DIR --out FILE.safetensors`: writes a checkpoint's weights, masks and Adam moments with
 * GPT-2 / Hugging Face names (library: {@link CheckpointExport}; SPEC.md section 14).
 */
final class ExportCommand implements Command {
    @Override
    public String name() {
        return "export";
    }

    @Override
    public String summary() {
        return "write a checkpoint as safetensors with GPT-2 parameter names";
    }

    @Override
    public String help() {
        return String.join("\n",
                "usage: export --checkpoint DIR --out FILE.safetensors [--format hf|torch-linear] [--mask-dtype u8|bool]",
                "              [--weights-only] [--json]",
                "",
                "Writes every parameter under its GPT-2 name (wte.weight, wpe.weight, h.{i}.ln_1.weight, h.{i}.attn.c_attn.weight,",
                "h.{i}.attn.c_proj.weight, h.{i}.mlp.c_fc.weight, h.{i}.mlp.c_proj.weight, ln_f.weight, ... and biases),",
                "each masked weight's mask as '<param>.mask' (1 keep, 0 masked) and Adam's moments as '<param>.exp_avg' and",
                "'<param>.exp_avg_sq', plus the config, training settings and run state as metadata, so that `import` gives",
                "back the same checkpoint. --format hf (default) stores the four projection weights as GPT-2's Conv1D",
                "(IN, OUT); torch-linear keeps our nn.Linear (OUT, IN). --weights-only leaves out the optimizer state.",
                "",
                HfDirExport.HELP);
    }

    @Override
    public int run(Args args) throws Exception {
        if (args.has("hf-dir")) return HfDirExport.run(args);
        Path checkpoint = Path.of(args.require("checkpoint"));
        Path out = Path.of(args.require("out"));
        String format = args.string("format", "hf");
        String maskDtype = args.string("mask-dtype", "u8");
        boolean weightsOnly = args.flag("weights-only");
        boolean json = args.flag("json");
        args.finish();
        CheckpointExport.Layout layout = CheckpointExport.Layout.byId(format);
        if (layout == null) throw new UsageException("--format must be hf or torch-linear, got '" + format + "'");
        if (!maskDtype.equals("u8") && !maskDtype.equals("bool")) throw new UsageException("--mask-dtype must be u8 or bool, got '" + maskDtype + "'");

        Checkpoint.Loaded ck = Checkpoint.load(checkpoint);
        CheckpointExport.Options options = new CheckpointExport.Options(layout, maskDtype.equals("bool"), weightsOnly);
        var tensors = CheckpointExport.tensors(ck.model(), weightsOnly ? null : ck.optimizer(), options);
        SafeTensors.write(out, tensors, CheckpointExport.metadata(ck, options));

        Map<String, Object> m = new LinkedHashMap<>();
        m.put("out", out.toString());
        m.put("format", layout.id);
        m.put("tensors", (long) tensors.size());
        m.put("masks", tensors.keySet().stream().filter(k -> k.endsWith(".mask")).count());
        m.put("optimizer_state", !weightsOnly);
        m.put("parameters_sha256", Checkpoint.parameterHash(ck.model()));
        PrintStream o = Main.utf8(System.out);
        if (json) o.println(Json.write(m, 2, false));
        else o.printf("wrote %s: %d tensors (%s layout, %d masks%s), parameters_sha256 %s%n", out, tensors.size(), layout.id,
                (Long) m.get("masks"), weightsOnly ? ", no optimizer state" : ", with Adam moments", m.get("parameters_sha256"));
        return 0;
    }
}
