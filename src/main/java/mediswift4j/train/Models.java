package mediswift4j.train;

import java.util.IdentityHashMap;
import java.util.Map;

import mediswift4j.nn.Gpt;
import mediswift4j.nn.MaskedLinear;
import mediswift4j.nn.ModelConfig;
import mediswift4j.optim.AdamW;
import mediswift4j.sparse.CompressedKernel;
import mediswift4j.tensor.Tensor;

/**
 * How a model and its optimizer are built for training and loading, in one place, so that Trainer (fresh runs)
 * and Checkpoint (loads) use the same recipe without calling each other:
 *
 *   newModel(cfg)              a Gpt with zero parameters whose maskable layers run on CompressedKernel in AUTO
 *                              mode: compressed where a layer's mask is sparse enough to pay (SPEC.md section 15),
 *                              dense elsewhere; a bare `new Gpt(cfg)` runs every layer dense
 *   newOptimizer(model, adam)  AdamW over every parameter, skipping the entries masked in the model's layers
 */
public final class Models {
    private Models() {}

    /** A model for training or loading: parameters all zero (initialise or load them), compressed kernels installed. */
    public static Gpt newModel(ModelConfig cfg) {
        Gpt model = new Gpt(cfg);
        model.setKernel(new CompressedKernel(CompressedKernel.Mode.AUTO));
        return model;
    }

    /** AdamW over every model parameter, skipping the entries masked in the model's layers. */
    public static AdamW newOptimizer(Gpt model, AdamW.Settings adam) {
        Map<Tensor, byte[]> masks = new IdentityHashMap<>();
        for (MaskedLinear l : model.maskedLayers()) if (l.keep() != null) masks.put(l.weight, l.keep());
        return new AdamW(model.parameters(), masks, adam);
    }
}
