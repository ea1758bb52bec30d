package mediswift4j.cli;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import mediswift4j.data.CorpusTokenizer;
import mediswift4j.nn.ModelConfig;

/**
 * What several commands share: option groups read the same way (a model shape, a sparsity list) and the same
 * console formats (durations, tokenizing progress, a config as JSON). Commands call this class and the library,
 * never each other.
 */
final class CliSupport {
    private CliSupport() {}

    /** A preset by name; an unknown name is a usage error listing the presets. */
    static ModelConfig preset(String name) {
        try {
            return ModelConfig.preset(name);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** --config NAME or --layers/--d-model/--heads (+ --vocab, + --seq-len as the context); `flops` and `cs2`. */
    static ModelConfig modelShape(Args args) {
        String name = args.string("config", null);
        boolean custom = args.has("layers") || args.has("d-model") || args.has("heads");
        if (name != null && custom) throw new UsageException("give either --config or --layers/--d-model/--heads, not both");
        try {
            ModelConfig c;
            if (name != null) {
                c = ModelConfig.preset(name);
            } else if (custom) {
                int layers = args.integer("layers", -1, 1, 1024), d = args.integer("d-model", -1, 1, 1 << 16);
                int heads = args.integer("heads", -1, 1, 4096);
                if (layers < 0 || d < 0 || heads < 0) throw new UsageException("--layers, --d-model and --heads go together");
                int context = args.integer("seq-len", 2048, 1, 1 << 20);
                c = new ModelConfig("custom", layers, d, heads, context, ModelConfig.GPT2_VOCAB);
            } else {
                throw new UsageException("missing --config NAME (or --layers/--d-model/--heads)");
            }
            if (args.has("vocab")) c = c.withVocab(args.integer("vocab", c.vocabSize(), 1, 1 << 24));
            return c;
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** --sparsity LIST (default 0,0.5,0.75), each in [0, 1). */
    static List<Double> sparsities(Args args) {
        List<Double> out = args.has("sparsity") ? args.numbers("sparsity") : List.of(0.0, 0.5, 0.75);
        for (double s : out) if (!(s >= 0 && s < 1)) throw new UsageException("--sparsity values must be in [0, 1), got " + s);
        return out;
    }

    /** The "config" object of the `flops` and `cs2` JSON outputs. */
    static Map<String, Object> configJson(ModelConfig c, int seqLen) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", c.name());
        m.put("layers", c.layers());
        m.put("d_model", c.dModel());
        m.put("heads", c.heads());
        m.put("vocab", c.vocabSize());
        m.put("seq_len", seqLen);
        return m;
    }

    /** Seconds since a System.nanoTime() reading. */
    static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    /** A figure rounded to three decimals for JSON output. */
    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    /** An ETA or elapsed time: 42s, 3m05s, 2h07m. */
    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) return s + "s";
        if (s < 3600) return (s / 60) + "m" + String.format("%02d", s % 60) + "s";
        return (s / 3600) + "h" + String.format("%02d", (s % 3600) / 60) + "m";
    }

    /**
     * Tokenizing progress on one stderr line rewritten in place (`data tokenize`, `pretrain` on corpus files);
     * {@link #end} closes the line if anything was printed.
     */
    static final class TokenizingProgress implements CorpusTokenizer.Progress {
        private final PrintStream err;
        private final long start = System.nanoTime();
        private boolean printed;

        TokenizingProgress(PrintStream err) {
            this.err = err;
        }

        @Override
        public void update(long docs, long tokens) {
            printed = true;
            double s = (System.nanoTime() - start) / 1e9;
            err.printf("\rtokenizing: %,d documents, %,d tokens, %.0f tokens/s", docs, tokens, s > 0 ? tokens / s : 0.0);
        }

        void end() {
            if (printed) err.println();
        }
    }
}
