package mediswift4j.nn;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The shape of a GPT: layers L, width C (d_model), heads NH, context length, vocabulary V.
 *
 * The paper's three models are GPT-3-shaped (context 2048); the small presets learn in minutes on a laptop CPU
 * and match the configurations used for CPU throughput comparisons. The vocabulary is not part of a preset: it
 * comes from the tokenizer (or --vocab). The MLP is always 4C wide.
 */
public record ModelConfig(String name, int layers, int dModel, int heads, int contextLength, int vocabSize) {

    public ModelConfig {
        if (layers < 1 || dModel < 1 || heads < 1 || contextLength < 1 || vocabSize < 1) {
            throw new IllegalArgumentException("model config '" + name + "': every size must be positive");
        }
        if (dModel % heads != 0) {
            throw new IllegalArgumentException("model config '" + name + "': d_model " + dModel + " is not divisible by " + heads + " heads");
        }
    }

    public int headSize() {
        return dModel / heads;
    }

    public int mlpWidth() {
        return 4 * dModel;
    }

    public ModelConfig withVocab(int v) {
        return new ModelConfig(name, layers, dModel, heads, contextLength, v);
    }

    public ModelConfig withContext(int t) {
        return new ModelConfig(name, layers, dModel, heads, t, vocabSize);
    }

    /** GPT-2's vocabulary size, used by the paper-sized presets unless told otherwise. */
    public static final int GPT2_VOCAB = 50257;

    private static final Map<String, ModelConfig> PRESETS = new LinkedHashMap<>();

    static {
        add(new ModelConfig("mediswift-tiny", 2, 128, 4, 128, 2048));
        add(new ModelConfig("mediswift-small", 4, 256, 4, 256, 8192));
        add(new ModelConfig("mediswift-base", 6, 384, 6, 256, 16384));
        add(new ModelConfig("mediswift-med", 24, 1024, 16, 2048, GPT2_VOCAB));
        add(new ModelConfig("mediswift-large", 24, 1536, 16, 2048, GPT2_VOCAB));
        add(new ModelConfig("mediswift-xl", 24, 2048, 16, 2048, GPT2_VOCAB));
    }

    private static void add(ModelConfig c) {
        PRESETS.put(c.name(), c);
    }

    public static Map<String, ModelConfig> presets() {
        return java.util.Collections.unmodifiableMap(PRESETS);
    }

    /** The preset with this name, or an IllegalArgumentException listing the known names. */
    public static ModelConfig preset(String name) {
        ModelConfig c = PRESETS.get(name);
        if (c == null) throw new IllegalArgumentException("unknown model config '" + name + "'; known: " + String.join(", ", PRESETS.keySet()));
        return c;
    }
}
