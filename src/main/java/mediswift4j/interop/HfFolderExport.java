package mediswift4j.interop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import mediswift4j.io.AtomicFiles;
import mediswift4j.io.Json;
import mediswift4j.io.SafeTensors;
import mediswift4j.io.TensorEntry;
import mediswift4j.nn.MaskedLinear;
import mediswift4j.nn.Masks;
import mediswift4j.nn.ModelConfig;
import mediswift4j.tokenizer.BpeTokenizer;
import mediswift4j.train.Checkpoint;

/**
 * A checkpoint as a Hugging Face GPT-2 model folder (SPEC.md section 14, "Hugging Face folder"), the files that
 * GPT2LMHeadModel.from_pretrained and GPT2Tokenizer.from_pretrained read, plus our sparsity and optimizer state
 * beside them:
 *   config.json               model_type gpt2, sizes, gelu_new (the tanh GELU), eps 1e-5, tied embeddings, ids
 *   model.safetensors         the weights only: "transformer." + our GPT-2 names, Conv1D layout, no lm_head
 *                             (tied), metadata format "pt" plus our config, settings and run state
 *   sparsity.safetensors      "transformer.<param>.mask" (U8, 1 keep) for every masked weight (when any)
 *   optimizer.safetensors     "transformer.<param>.exp_avg" / ".exp_avg_sq", metadata mediswift4j.optimizer_step
 *   vocab.json, merges.txt, tokenizer_config.json, special_tokens_map.json   the tokenizer
 *   README.md                 a model card computed from the run
 * Every file is written atomically; {@link HfFolderImport} reads the folder back.
 */
public final class HfFolderExport {
    private HfFolderExport() {}

    /** What was written: file names in order, tensor counts. */
    public record Written(List<String> files, int weights, int masks, int moments) {}

    public static Written write(Checkpoint.Loaded ck, BpeTokenizer tok, Path out, boolean weightsOnly, String version) throws IOException {
        Files.createDirectories(out);
        CheckpointExport.Options o = new CheckpointExport.Options(CheckpointExport.Layout.HF, false, weightsOnly);
        LinkedHashMap<String, TensorEntry> all = CheckpointExport.tensors(ck.model(), weightsOnly ? null : ck.optimizer(), o);
        LinkedHashMap<String, TensorEntry> weights = new LinkedHashMap<>(), masks = new LinkedHashMap<>(), moments = new LinkedHashMap<>();
        for (var e : all.entrySet()) {
            String k = Gpt2Names.HF_PREFIX + e.getKey();
            if (k.endsWith(".mask")) masks.put(k, e.getValue());
            else if (k.endsWith(".exp_avg") || k.endsWith(".exp_avg_sq")) moments.put(k, e.getValue());
            else weights.put(k, e.getValue());
        }
        Map<String, String> meta = CheckpointExport.metadata(ck, o);
        meta.remove(CheckpointExport.META_OPTIMIZER_STEP);
        List<String> files = new ArrayList<>();
        AtomicFiles.writeString(out.resolve(HfFolderImport.CONFIG), Json.write(config(ck.model().config(), tok), 2, false) + "\n");
        files.add(HfFolderImport.CONFIG);
        SafeTensors.write(out.resolve(HfFolderImport.WEIGHTS), weights, meta);
        files.add(HfFolderImport.WEIGHTS);
        if (!masks.isEmpty()) {
            SafeTensors.write(out.resolve(HfFolderImport.MASKS), masks, Map.of("format", "pt"));
            files.add(HfFolderImport.MASKS);
        }
        if (!moments.isEmpty()) {
            Map<String, String> om = new LinkedHashMap<>();
            om.put("format", "pt");
            om.put(CheckpointExport.META_OPTIMIZER_STEP, Long.toString(ck.optimizer().stepCount()));
            SafeTensors.write(out.resolve(HfFolderImport.OPTIMIZER), moments, om);
            files.add(HfFolderImport.OPTIMIZER);
        }
        if (tok != null) {
            tok.save(out);
            files.add("vocab.json");
            files.add("merges.txt");
            String eot = tok.endOfTextId() >= 0 ? BpeTokenizer.END_OF_TEXT : null;
            Map<String, Object> special = new LinkedHashMap<>();
            special.put("bos_token", eot);
            special.put("eos_token", eot);
            special.put("unk_token", eot);
            Map<String, Object> tc = new LinkedHashMap<>();
            tc.put("tokenizer_class", "GPT2Tokenizer");
            tc.put("model_max_length", (long) ck.model().config().contextLength());
            tc.put("add_prefix_space", false);
            tc.put("add_bos_token", false);
            tc.put("errors", "replace");
            tc.putAll(special);
            AtomicFiles.writeString(out.resolve("tokenizer_config.json"), Json.write(tc, 2, false) + "\n");
            AtomicFiles.writeString(out.resolve("special_tokens_map.json"), Json.write(special, 2, false) + "\n");
            files.add("tokenizer_config.json");
            files.add("special_tokens_map.json");
        }
        AtomicFiles.writeString(out.resolve("README.md"), HfModelCard.text(ck, tok, files, version));
        files.add("README.md");
        return new Written(files, weights.size(), masks.size(), moments.size());
    }

    /** config.json: the keys GPT2Config reads, with our fixed architecture choices. */
    public static Map<String, Object> config(ModelConfig c, BpeTokenizer tok) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("architectures", List.of("GPT2LMHeadModel"));
        m.put("model_type", "gpt2");
        m.put("vocab_size", (long) c.vocabSize());
        m.put("n_positions", (long) c.contextLength());
        m.put("n_ctx", (long) c.contextLength());
        m.put("n_embd", (long) c.dModel());
        m.put("n_layer", (long) c.layers());
        m.put("n_head", (long) c.heads());
        m.put("n_inner", null);
        m.put("activation_function", "gelu_new");
        m.put("layer_norm_epsilon", 1e-5);
        m.put("resid_pdrop", 0.0);
        m.put("embd_pdrop", 0.0);
        m.put("attn_pdrop", 0.0);
        m.put("initializer_range", 0.02);
        m.put("scale_attn_weights", true);
        m.put("scale_attn_by_inverse_layer_idx", false);
        m.put("reorder_and_upcast_attn", false);
        m.put("tie_word_embeddings", true);
        m.put("use_cache", true);
        Long eot = tok != null && tok.endOfTextId() >= 0 ? (long) tok.endOfTextId() : null;
        m.put("bos_token_id", eot);
        m.put("eos_token_id", eot);
        m.put("torch_dtype", "float32");
        return m;
    }

    /** The fraction of masked weights over all masked layers (0 for a dense model). */
    static double overallSparsity(Checkpoint.Loaded ck) {
        long masked = 0, total = 0;
        for (MaskedLinear l : ck.model().maskedLayers()) {
            total += l.weight.size();
            if (l.keep() != null) masked += Masks.zeros(l.keep());
        }
        return total == 0 ? 0 : (double) masked / total;
    }

    static String pct(double x) {
        return String.format(Locale.ROOT, "%.2f%%", 100 * x);
    }
}
