package mediswift4j.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

import mediswift4j.interop.HfFolderExport;
import mediswift4j.interop.ModelSource;
import mediswift4j.io.Json;
import mediswift4j.tokenizer.BpeTokenizer;
import mediswift4j.train.Checkpoint;

/**
 * `export --checkpoint RUN --hf-dir OUT`: the export command's Hugging Face folder form (library:
 * {@link HfFolderExport}; SPEC.md section 14).
 */
final class HfDirExport {
    private HfDirExport() {}

    static final String HELP = String.join("\n",
            "usage: export --checkpoint RUN --hf-dir OUT [--tokenizer DIR] [--weights-only] [--json]",
            "Writes a Hugging Face GPT-2 folder: config.json, model.safetensors (weights only, 'transformer.' names),",
            "vocab.json, merges.txt, tokenizer_config.json, special_tokens_map.json, a README.md model card, and beside",
            "them sparsity.safetensors (masks) and optimizer.safetensors (Adam moments; not with --weights-only).",
            "The tokenizer is the run's own (RUN/tokenizer, else the one recorded) unless --tokenizer is given; a run with",
            "no known tokenizer gives a folder without the tokenizer files (a note on stderr says so).");

    static int run(Args args) throws Exception {
        Path checkpoint = Path.of(args.require("checkpoint"));
        Path out = Path.of(args.require("hf-dir"));
        String tokDir = args.string("tokenizer", null);
        boolean weightsOnly = args.flag("weights-only");
        boolean json = args.flag("json");
        args.finish();
        ModelSource.Loaded src = ModelSource.load(checkpoint);
        if (tokDir == null) tokDir = src.tokenizerDir();
        BpeTokenizer tok = tokDir == null ? null : src.tokenizer(tokDir);
        Checkpoint.Loaded ck = src.checkpoint();
        HfFolderExport.Written w = HfFolderExport.write(ck, tok, out, weightsOnly, version());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hf_dir", out.toString());
        m.put("files", new ArrayList<Object>(w.files()));
        m.put("weights", (long) w.weights());
        m.put("masks", (long) w.masks());
        m.put("moments", (long) w.moments());
        m.put("tokenizer", tokDir);
        m.put("parameters_sha256", Checkpoint.parameterHash(ck.model()));
        if (tok == null) System.err.println("note: " + checkpoint + " names no tokenizer; the folder has no tokenizer files (give --tokenizer DIR)");
        PrintStream o = Main.utf8(System.out);
        if (json) o.println(Json.write(m, 2, false));
        else o.printf("wrote %s: %s (%d weights, %d masks, %d moments), parameters_sha256 %s%n", out, String.join(", ", w.files()), w.weights(),
                w.masks(), w.moments(), m.get("parameters_sha256"));
        return 0;
    }

    /** The jar's version (Implementation-Version), or "development build" when run from classes. */
    static String version() {
        String v = HfDirExport.class.getPackage().getImplementationVersion();
        return v == null ? "(development build)" : v;
    }
}
