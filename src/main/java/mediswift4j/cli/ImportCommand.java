package mediswift4j.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import mediswift4j.interop.CheckpointImport;
import mediswift4j.interop.HfFolderImport;
import mediswift4j.interop.ModelSource;
import mediswift4j.io.Json;
import mediswift4j.tokenizer.BpeTokenizer;
import mediswift4j.train.Checkpoint;

/**
 * `import --in FILE.safetensors --out DIR`: reads GPT-2-named safetensors (ours or any GPT-2-style file) into a
 * checkpoint directory (library: {@link CheckpointImport}; SPEC.md section 14).
 */
final class ImportCommand implements Command {
    @Override
    public String name() {
        return "import";
    }

    @Override
    public String summary() {
        return "read safetensors weights into a checkpoint";
    }

    @Override
    public String help() {
        return String.join("\n",
                "usage: import --in FILE.safetensors|FOLDER --out DIR [--heads NH] [--json]",
                "",
                "FOLDER is a Hugging Face GPT-2 folder (config.json + model.safetensors, e.g. from `export --hf-dir` or",
                "transformers' save_pretrained): heads and sizes from config.json, masks and Adam moments from",
                "sparsity.safetensors and optimizer.safetensors when present, its vocab.json + merges.txt copied to DIR/tokenizer.",
                "Reads GPT-2-named weights (optional 'transformer.' prefix; Conv1D (IN, OUT) or Linear (OUT, IN) layout,",
                "recognised from the shape of h.0.attn.c_attn.weight), masks '<param>.mask' and Adam moments",
                "'<param>.exp_avg(_sq)' when present, and writes DIR/checkpoint.bin. The config is inferred from the shapes",
                "(layers, d_model, vocabulary, context); the number of heads comes from --heads or the file's metadata",
                "(mediswift4j.config or n_head). A file without masks gives a dense model, one without moments a fresh",
                "optimizer. Masked weights and moments must be exactly 0; any inconsistency is an error (exit 1).");
    }

    @Override
    public int run(Args args) throws Exception {
        Path in = Path.of(args.require("in"));
        Path out = Path.of(args.require("out"));
        Integer heads = args.has("heads") ? args.integer("heads", 0) : null;
        boolean json = args.flag("json");
        args.finish();
        if (heads != null && heads < 1) throw new UsageException("--heads must be positive, got " + heads);

        boolean folder = HfFolderImport.isFolder(in);
        CheckpointImport.Imported im = folder ? HfFolderImport.read(in, heads) : CheckpointImport.read(in, heads);
        Checkpoint.save(out, im.model(), im.optimizer(), im.settings(), im.state());
        if (folder && ModelSource.hasTokenizerFiles(in)) BpeTokenizer.load(in).save(out.resolve(ModelSource.TOKENIZER_DIR));

        Map<String, Object> m = new LinkedHashMap<>();
        m.put("out", Checkpoint.file(out).toString());
        m.put("config", Checkpoint.configJson(im.model().config()));
        m.put("layout", im.layout().id);
        m.put("masks", (long) im.maskCount());
        m.put("optimizer_state", im.hadOptimizerState());
        m.put("optimizer_step", im.optimizer().stepCount());
        m.put("ignored", new java.util.ArrayList<Object>(im.ignored()));
        m.put("parameters_sha256", Checkpoint.parameterHash(im.model()));
        PrintStream o = Main.utf8(System.out);
        if (json) o.println(Json.write(m, 2, false));
        else o.printf("wrote %s: %s, %s layout, %d masks, %s, parameters_sha256 %s%n", m.get("out"), Json.write(m.get("config")), im.layout().id,
                im.maskCount(), im.hadOptimizerState() ? "Adam state at step " + im.optimizer().stepCount() : "fresh optimizer", m.get("parameters_sha256"));
        return 0;
    }
}
