package mediswift4j.train;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import mediswift4j.io.Json;
import mediswift4j.nn.Gpt;
import mediswift4j.nn.MaskedLinear;
import mediswift4j.sparse.CompressedKernel;
import mediswift4j.util.InputException;

/**
 * The dense-or-compressed choices of a run, carried by its checkpoint (SPEC.md section 9, "kernel_overrides").
 * The two paths round differently, so a resumed run must take the choices the interrupted one took: the header
 * lists the layer shapes where AUTO's measurement overrode the fixed rule, and a loaded model is pinned to those
 * and to the fixed rule everywhere else, so it never measures again (CompressedKernel.pin).
 */
final class KernelChoices {
    private KernelChoices() {}

    static final String FIELD = "kernel_overrides";

    /** Adds the model's overrides to a checkpoint header (nothing when there are none). */
    static void write(Map<String, Object> header, Gpt model) {
        CompressedKernel k = kernel(model);
        if (k == null) return;
        Map<String, Boolean> o = k.overrides();
        if (o.isEmpty()) return;
        Map<String, Object> m = new LinkedHashMap<>();
        for (var e : o.entrySet()) m.put(e.getKey(), e.getValue() ? "compressed" : "dense");
        header.put(FIELD, m);
    }

    /** Pins the loaded model's kernel to the header's overrides (an absent field: the fixed rule everywhere). */
    static void restore(Gpt model, Map<String, Object> header, String where) {
        Map<String, Boolean> pins = new TreeMap<>();
        Object field = header.get(FIELD);
        if (field != null) {
            Map<String, Object> m = Json.asObject(field, where + "." + FIELD);
            for (var e : m.entrySet()) {
                String v = Json.asString(e.getValue(), where + "." + FIELD + "." + e.getKey());
                if (!e.getKey().matches("\\d+x\\d+@[0-9.]+") || !(v.equals("compressed") || v.equals("dense"))) {
                    throw new InputException(where + "." + FIELD + ": entry \"" + e.getKey() + "\": \"" + v
                            + "\" is not OUTxIN@SPARSITY: \"compressed\" or \"dense\"");
                }
                pins.put(e.getKey(), v.equals("compressed"));
            }
        }
        CompressedKernel k = kernel(model);
        if (k != null) k.pin(pins);
    }

    private static CompressedKernel kernel(Gpt model) {
        for (MaskedLinear l : model.maskedLayers()) {
            if (l.kernel() instanceof CompressedKernel k) return k;
        }
        return null;
    }
}
