package mediswift4j.nn;

import java.util.ArrayList;
import java.util.List;

/**
 * Which tensors are sparsified and how their masks are drawn (SPEC.md section 7).
 *
 * Exactly six weight matrices per block are masked: the attention query, key, value and output projections and the
 * two MLP matrices. Embeddings, the tied LM head, LayerNorms and all biases stay dense. Query, key and value are
 * stored packed in h.{i}.attn.c_attn.weight (3C, C) -- rows [0, C) q, [C, 2C) k, [2C, 3C) v -- but each is its own
 * tensor for masking, with its own label and exactly round(s * C * C) masked entries. Each mask is drawn by
 * {@link Masks#random} from Rng.derive(seed, label, 0) with these labels:
 *
 *   h.{i}.attn.q, h.{i}.attn.k, h.{i}.attn.v   (C, C)   rows of c_attn.weight
 *   h.{i}.attn.c_proj                          (C, C)
 *   h.{i}.mlp.c_fc                             (4C, C)
 *   h.{i}.mlp.c_proj                           (C, 4C)
 */
public final class ModelMasks {
    private ModelMasks() {}

    /** One masked tensor: its label, the parameter holding it, and the row range it occupies there. */
    public record Target(String label, String parameter, int rowStart, int rows, int cols) {
        public int size() {
            return rows * cols;
        }
    }

    /** Every masked tensor of a model, in order: per block q, k, v, attn.c_proj, mlp.c_fc, mlp.c_proj. */
    public static List<Target> targets(ModelConfig cfg) {
        int c = cfg.dModel();
        List<Target> out = new ArrayList<>();
        for (int i = 0; i < cfg.layers(); i++) {
            String p = "h." + i + ".";
            out.add(new Target(p + "attn.q", p + "attn.c_attn.weight", 0, c, c));
            out.add(new Target(p + "attn.k", p + "attn.c_attn.weight", c, c, c));
            out.add(new Target(p + "attn.v", p + "attn.c_attn.weight", 2 * c, c, c));
            out.add(new Target(p + "attn.c_proj", p + "attn.c_proj.weight", 0, c, c));
            out.add(new Target(p + "mlp.c_fc", p + "mlp.c_fc.weight", 0, 4 * c, c));
            out.add(new Target(p + "mlp.c_proj", p + "mlp.c_proj.weight", 0, c, 4 * c));
        }
        return out;
    }

    /**
     * Draws every mask for sparsity s from `seed` and installs it in the model's layers (zeroing masked weights).
     * s = 0 leaves the layers dense (no mask at all).
     */
    public static void draw(Gpt model, long seed, double sparsity) {
        if (!(sparsity >= 0 && sparsity < 1)) throw new IllegalArgumentException("sparsity must be in [0, 1), got " + sparsity);
        for (MaskedLinear layer : model.maskedLayers()) {
            if (sparsity == 0) {
                layer.setKeep(null);
                continue;
            }
            byte[] keep = new byte[layer.weight.size()];
            for (Target t : targets(model.config())) {
                if (!t.parameter().equals(layer.weight.name)) continue;
                byte[] part = Masks.random(seed, t.label(), t.size(), sparsity);
                System.arraycopy(part, 0, keep, t.rowStart() * t.cols(), t.size());
            }
            layer.setKeep(keep);
        }
    }

    /** Removes every mask (dense fine-tuning after sparse pre-training): masked weights start from 0 and may move. */
    public static void clear(Gpt model) {
        for (MaskedLinear layer : model.maskedLayers()) layer.setKeep(null);
    }

    /** The layer holding a parameter name, or null. */
    public static MaskedLinear layer(Gpt model, String parameterName) {
        for (MaskedLinear l : model.maskedLayers()) if (l.weight.name.equals(parameterName)) return l;
        return null;
    }

    /** Fraction of zeros in each target's mask (0 for dense layers), in target order. */
    public static double[] sparsities(Gpt model) {
        List<Target> ts = targets(model.config());
        double[] out = new double[ts.size()];
        for (int k = 0; k < ts.size(); k++) {
            Target t = ts.get(k);
            byte[] keep = layer(model, t.parameter()).keep();
            if (keep == null) continue;
            long z = 0;
            int base = t.rowStart() * t.cols();
            for (int i = 0; i < t.size(); i++) if (keep[base + i] == 0) z++;
            out[k] = (double) z / t.size();
        }
        return out;
    }
}
