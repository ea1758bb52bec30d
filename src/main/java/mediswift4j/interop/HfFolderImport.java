package mediswift4j.interop;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import mediswift4j.io.Json;
import mediswift4j.io.SafeTensors;
import mediswift4j.io.TensorEntry;
import mediswift4j.util.InputException;

/**
 * Reads a Hugging Face GPT-2 model folder (ours from {@link HfFolderExport}, or one written by transformers'
 * save_pretrained) as a checkpoint (SPEC.md section 14, "Hugging Face folder").
 *
 * config.json must say model_type "gpt2" and gives the number of heads (n_head); the sizes are read from the
 * tensor shapes by {@link CheckpointImport} and must agree with n_layer, n_embd, n_positions and vocab_size.
 * Settings our model does not have are refused rather than silently ignored: an activation other than the tanh
 * GELU ("gelu_new" or "gelu_pytorch_tanh"), layer_norm_epsilon other than 1e-5, scale_attn_weights false,
 * scale_attn_by_inverse_layer_idx or reorder_and_upcast_attn true, an untied head (checked on the tensors).
 * model.safetensors holds the weights (HF names, optional "transformer." prefix, Conv1D layout; attn.bias and
 * attn.masked_bias buffers and a tied lm_head.weight are ignored); sparsity.safetensors (masks) and
 * optimizer.safetensors (Adam moments, step) are read when present. Their tensors and metadata are merged and
 * handed to CheckpointImport, which checks everything else.
 */
public final class HfFolderImport {
    private HfFolderImport() {}

    public static final String CONFIG = "config.json", WEIGHTS = "model.safetensors";
    public static final String MASKS = "sparsity.safetensors", OPTIMIZER = "optimizer.safetensors";

    /** A directory with config.json: to be read as an HF folder. */
    public static boolean isFolder(Path p) {
        return Files.isDirectory(p) && Files.isRegularFile(p.resolve(CONFIG));
    }

    public static CheckpointImport.Imported read(Path dir, Integer headsOverride) {
        Path cfgFile = dir.resolve(CONFIG);
        if (!Files.isRegularFile(cfgFile)) throw new InputException(dir + ": not a Hugging Face model folder (no " + CONFIG + ")");
        String where = cfgFile.toString();
        Map<String, Object> cfg = Json.asObject(Json.read(cfgFile), where);
        Object type = cfg.get("model_type");
        if (!"gpt2".equals(type)) throw new InputException(where + ": model_type is " + (type == null ? "missing" : "\"" + type + "\"") + ", expected \"gpt2\"");
        checkSettings(cfg, where);
        Path weights = dir.resolve(WEIGHTS);
        if (!Files.isRegularFile(weights)) {
            String other = Files.isRegularFile(dir.resolve("model.safetensors.index.json")) ? " (sharded checkpoints are not supported)"
                    : Files.isRegularFile(dir.resolve("pytorch_model.bin")) ? " (pytorch_model.bin is a pickle; save with safe_serialization=True)" : "";
            throw new InputException(dir + ": no " + WEIGHTS + other);
        }
        SafeTensors.Contents contents = contents(dir);
        if (Boolean.FALSE.equals(cfg.get("tie_word_embeddings")) && !contents.tensors.containsKey("lm_head.weight")) {
            throw new InputException(where + ": tie_word_embeddings is false but " + WEIGHTS + " has no lm_head.weight (our LM head is tied to wte)");
        }
        Integer heads = headsOverride != null ? headsOverride : Json.asInt(Json.field(cfg, "n_head", where), where + ".n_head");
        CheckpointImport.Imported im = CheckpointImport.fromContents(dir.toString(), contents, heads);
        var c = im.model().config();
        checkSize(cfg, "n_layer", c.layers(), where);
        checkSize(cfg, "n_embd", c.dModel(), where);
        checkSize(cfg, "n_positions", c.contextLength(), where);
        checkSize(cfg, "vocab_size", c.vocabSize(), where);
        return im;
    }

    /** The tensors and metadata of model.safetensors, sparsity.safetensors and optimizer.safetensors together. */
    public static SafeTensors.Contents contents(Path dir) {
        LinkedHashMap<String, TensorEntry> tensors = new LinkedHashMap<>();
        Map<String, String> meta = new LinkedHashMap<>();
        Path weights = dir.resolve(WEIGHTS);
        if (!Files.isRegularFile(weights)) throw new InputException(dir + ": no " + WEIGHTS);
        merge(weights, tensors, meta);
        for (String extra : new String[] {MASKS, OPTIMIZER}) {
            if (Files.isRegularFile(dir.resolve(extra))) merge(dir.resolve(extra), tensors, meta);
        }
        return new SafeTensors.Contents(tensors, meta);
    }

    private static void merge(Path file, LinkedHashMap<String, TensorEntry> tensors, Map<String, String> meta) {
        SafeTensors.Contents c = SafeTensors.read(file);
        for (var e : c.tensors.entrySet()) {
            if (tensors.put(e.getKey(), e.getValue()) != null) {
                throw new InputException(file + ": tensor \"" + e.getKey() + "\" is also in another file of the folder");
            }
        }
        if (c.metadata != null) meta.putAll(c.metadata);
    }

    private static void checkSettings(Map<String, Object> cfg, String where) {
        Object act = cfg.getOrDefault("activation_function", "gelu_new");
        if (!"gelu_new".equals(act) && !"gelu_pytorch_tanh".equals(act)) {
            throw new InputException(where + ": activation_function \"" + act + "\" is not supported (ours is the tanh GELU, \"gelu_new\")");
        }
        Object eps = cfg.get("layer_norm_epsilon");
        if (eps != null && Json.asNumber(eps, where + ".layer_norm_epsilon") != 1e-5) {
            throw new InputException(where + ": layer_norm_epsilon " + eps + " is not supported (ours is 1e-5)");
        }
        if (Boolean.FALSE.equals(cfg.get("scale_attn_weights"))) throw new InputException(where + ": scale_attn_weights false is not supported");
        for (String flag : new String[] {"scale_attn_by_inverse_layer_idx", "reorder_and_upcast_attn", "add_cross_attention"}) {
            if (Boolean.TRUE.equals(cfg.get(flag))) throw new InputException(where + ": " + flag + " true is not supported");
        }
    }

    private static void checkSize(Map<String, Object> cfg, String key, int actual, String where) {
        Object v = cfg.get(key);
        if (v != null && Json.asLong(v, where + "." + key) != actual) {
            throw new InputException(where + ": " + key + " is " + v + " but the weights say " + actual);
        }
    }
}
