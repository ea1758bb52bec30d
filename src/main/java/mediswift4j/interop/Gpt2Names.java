package mediswift4j.interop;

import java.util.LinkedHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import mediswift4j.nn.ModelConfig;

/**
 * GPT-2 parameter names, which tensors are sparsifiable, and the layout rule between our model and Hugging Face
 * GPT-2 checkpoints (SPEC.md section 14).
 *
 * Our in-memory parameters carry GPT-2's own names ("wte.weight", "h.3.attn.c_attn.weight", ...), so the name
 * mapping is the identity, with an optional "transformer." prefix (HF's GPT2LMHeadModel state dict has it, the
 * standalone GPT2Model files do not). What differs is the layout of the four projection weights: our Linear
 * stores W as (OUT, IN) (y = x W^T + b), GPT-2's Conv1D stores (IN, OUT) (y = x W + b). Export therefore
 * transposes attn.c_attn, attn.c_proj, mlp.c_fc and mlp.c_proj weights; import transposes them back. Everything
 * else (embeddings, LayerNorm, biases) has the same layout on both sides. The LM head is tied to wte.weight and
 * not stored.
 */
public final class Gpt2Names {
    private Gpt2Names() {}

    /** The optional prefix of HF GPT2LMHeadModel state dicts. */
    public static final String HF_PREFIX = "transformer.";

    /** What a tensor is, by its (prefix-free) GPT-2 name. */
    public enum Kind {
        TOKEN_EMBEDDING(false), POSITION_EMBEDDING(false), NORM_WEIGHT(false), NORM_BIAS(false),
        ATTN_QKV_WEIGHT(true), ATTN_QKV_BIAS(false), ATTN_PROJ_WEIGHT(true), ATTN_PROJ_BIAS(false),
        MLP_FC_WEIGHT(true), MLP_FC_BIAS(false), MLP_PROJ_WEIGHT(true), MLP_PROJ_BIAS(false),
        /** An untied output head, "lm_head.weight": dense. */
        LM_HEAD(false),
        /** HF's causal-mask buffers "h.{i}.attn.bias" / "h.{i}.attn.masked_bias": not parameters. */
        ATTN_BUFFER(false),
        /** Not a GPT-2 name. */
        OTHER(false);

        /** Static sparsity applies to exactly these: the attention and MLP projection matrices. */
        public final boolean sparsifiable;

        Kind(boolean sparsifiable) {
            this.sparsifiable = sparsifiable;
        }

        public boolean isBias() {
            return this == NORM_BIAS || this == ATTN_QKV_BIAS || this == ATTN_PROJ_BIAS || this == MLP_FC_BIAS || this == MLP_PROJ_BIAS;
        }
    }

    private static final Pattern BLOCK = Pattern.compile("h\\.(\\d+)\\.(.+)");

    /** The name without a leading "transformer." prefix. */
    public static String canonical(String name) {
        return name.startsWith(HF_PREFIX) ? name.substring(HF_PREFIX.length()) : name;
    }

    /** Our parameter name -> the name in an HF checkpoint (identity, optionally with the "transformer." prefix). */
    public static String toHf(String ourName, boolean withTransformerPrefix) {
        return withTransformerPrefix ? HF_PREFIX + ourName : ourName;
    }

    /** An HF checkpoint name -> our parameter name. */
    public static String fromHf(String hfName) {
        return canonical(hfName);
    }

    public static Kind kind(String name) {
        String n = canonical(name);
        switch (n) {
            case "wte.weight": return Kind.TOKEN_EMBEDDING;
            case "wpe.weight": return Kind.POSITION_EMBEDDING;
            case "ln_f.weight": return Kind.NORM_WEIGHT;
            case "ln_f.bias": return Kind.NORM_BIAS;
            case "lm_head.weight": return Kind.LM_HEAD;
            default: break;
        }
        Matcher m = BLOCK.matcher(n);
        if (!m.matches()) return Kind.OTHER;
        switch (m.group(2)) {
            case "ln_1.weight": case "ln_2.weight": return Kind.NORM_WEIGHT;
            case "ln_1.bias": case "ln_2.bias": return Kind.NORM_BIAS;
            case "attn.c_attn.weight": return Kind.ATTN_QKV_WEIGHT;
            case "attn.c_attn.bias": return Kind.ATTN_QKV_BIAS;
            case "attn.c_proj.weight": return Kind.ATTN_PROJ_WEIGHT;
            case "attn.c_proj.bias": return Kind.ATTN_PROJ_BIAS;
            case "mlp.c_fc.weight": return Kind.MLP_FC_WEIGHT;
            case "mlp.c_fc.bias": return Kind.MLP_FC_BIAS;
            case "mlp.c_proj.weight": return Kind.MLP_PROJ_WEIGHT;
            case "mlp.c_proj.bias": return Kind.MLP_PROJ_BIAS;
            case "attn.bias": case "attn.masked_bias": return Kind.ATTN_BUFFER;
            default: return Kind.OTHER;
        }
    }

    /** True for the attention and MLP projection weights, the only tensors MediSwift makes sparse. */
    public static boolean isSparsifiable(String name) {
        return kind(name).sparsifiable;
    }

    /** True when the HF (Conv1D) layout is the transpose of ours: the same four projection weights. */
    public static boolean isTransposedInHf(String name) {
        return kind(name).sparsifiable;
    }

    /** Every parameter of a model, in our layout (Linear weights (OUT, IN)), in a fixed order. */
    public static LinkedHashMap<String, long[]> parameterShapes(ModelConfig cfg) {
        long c = cfg.dModel(), v = cfg.vocabSize(), t = cfg.contextLength();
        LinkedHashMap<String, long[]> p = new LinkedHashMap<>();
        p.put("wte.weight", new long[] {v, c});
        p.put("wpe.weight", new long[] {t, c});
        for (int i = 0; i < cfg.layers(); i++) {
            String h = "h." + i + ".";
            p.put(h + "ln_1.weight", new long[] {c});
            p.put(h + "ln_1.bias", new long[] {c});
            p.put(h + "attn.c_attn.weight", new long[] {3 * c, c});   // (OUT=3C, IN=C): rows [Q | K | V]
            p.put(h + "attn.c_attn.bias", new long[] {3 * c});
            p.put(h + "attn.c_proj.weight", new long[] {c, c});
            p.put(h + "attn.c_proj.bias", new long[] {c});
            p.put(h + "ln_2.weight", new long[] {c});
            p.put(h + "ln_2.bias", new long[] {c});
            p.put(h + "mlp.c_fc.weight", new long[] {4 * c, c});
            p.put(h + "mlp.c_fc.bias", new long[] {4 * c});
            p.put(h + "mlp.c_proj.weight", new long[] {c, 4 * c});
            p.put(h + "mlp.c_proj.bias", new long[] {c});
        }
        p.put("ln_f.weight", new long[] {c});
        p.put("ln_f.bias", new long[] {c});
        return p;
    }

    /** The shape a parameter has in an HF checkpoint, given our shape. */
    public static long[] hfShape(String name, long[] ourShape) {
        if (!isTransposedInHf(name)) return ourShape.clone();
        return new long[] {ourShape[1], ourShape[0]};
    }

    /** A row-major (rows, cols) matrix -> its (cols, rows) transpose. Used in both directions. */
    public static float[] transpose(float[] a, int rows, int cols) {
        if ((long) rows * cols != a.length) throw new IllegalArgumentException("transpose: " + a.length + " values is not " + rows + " x " + cols);
        float[] out = new float[a.length];
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < cols; k++) out[k * rows + r] = a[r * cols + k];
        }
        return out;
    }

    /** Same for byte masks (a mask is transposed together with its weight). */
    public static byte[] transpose(byte[] a, int rows, int cols) {
        if ((long) rows * cols != a.length) throw new IllegalArgumentException("transpose: " + a.length + " values is not " + rows + " x " + cols);
        byte[] out = new byte[a.length];
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < cols; k++) out[k * rows + r] = a[r * cols + k];
        }
        return out;
    }
}
