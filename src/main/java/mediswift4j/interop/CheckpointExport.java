package mediswift4j.interop;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import mediswift4j.io.Json;
import mediswift4j.io.SafeTensors;
import mediswift4j.io.TensorEntry;
import mediswift4j.nn.Gpt;
import mediswift4j.nn.MaskedLinear;
import mediswift4j.optim.AdamW;
import mediswift4j.tensor.Tensor;
import mediswift4j.train.Checkpoint;
import mediswift4j.train.TrainState;

/**
 * Checkpoint -> safetensors with GPT-2 / Hugging Face names (SPEC.md section 14). The reverse is
 * {@link CheckpointImport}.
 *
 * For every parameter P of the model, in canonical order (wte, wpe, h.0 ... h.{L-1}, ln_f), the file holds
 *
 *   P              F32, HF layout: the four projection weights transposed to Conv1D's (IN, OUT)
 *   P.mask         U8 (or BOOL), only for masked weights; 1 keep, 0 masked; same layout as P
 *   P.exp_avg      F32 Adam first moment, same layout as P      (omitted with weightsOnly)
 *   P.exp_avg_sq   F32 Adam second moment, same layout as P     (omitted with weightsOnly)
 *
 * and string metadata: "format" = "pt" (what HF's save_file writes), "mediswift4j.layout" ("hf" or
 * "torch-linear"), "n_head", and the rest of the checkpoint (config, training settings, run state, optimizer
 * step) as JSON strings under "mediswift4j.*" keys, so that import gives back a checkpoint with the same
 * parameters, masks, moments and run state.
 */
public final class CheckpointExport {
    private CheckpointExport() {}

    /** Where the four projection weights are stored: GPT-2's Conv1D (IN, OUT) or nn.Linear's (OUT, IN). */
    public enum Layout {
        HF("hf"), TORCH_LINEAR("torch-linear");

        public final String id;

        Layout(String id) {
            this.id = id;
        }

        /** The layout with this id, or null. */
        public static Layout byId(String id) {
            for (Layout l : values()) if (l.id.equals(id)) return l;
            return null;
        }
    }

    public static final String META_LAYOUT = "mediswift4j.layout";
    public static final String META_CONFIG = "mediswift4j.config";
    public static final String META_TRAIN = "mediswift4j.train";
    public static final String META_STATE = "mediswift4j.state";
    public static final String META_OPTIMIZER_STEP = "mediswift4j.optimizer_step";
    public static final String META_HEADS = "n_head";

    /** What to write besides the weights. */
    public record Options(Layout layout, boolean boolMasks, boolean weightsOnly) {
        public static final Options DEFAULT = new Options(Layout.HF, false, false);
    }

    /** Writes the checkpoint to `out` (atomically). */
    public static void write(Checkpoint.Loaded ck, Path out, Options o) throws IOException {
        SafeTensors.write(out, tensors(ck.model(), ck.optimizer(), o), metadata(ck, o));
    }

    /** The tensors of the file, in order (see the class comment). optimizer may be null (weights only). */
    public static LinkedHashMap<String, TensorEntry> tensors(Gpt model, AdamW optimizer, Options o) {
        LinkedHashMap<String, TensorEntry> out = new LinkedHashMap<>();
        Map<String, Integer> optIndex = new LinkedHashMap<>();
        if (optimizer != null) {
            List<Tensor> ps = optimizer.parameters();
            for (int i = 0; i < ps.size(); i++) optIndex.put(ps.get(i).name, i);
        }
        for (Tensor p : model.parameters()) {
            boolean transpose = o.layout() == Layout.HF && Gpt2Names.isTransposedInHf(p.name);
            long[] shape = shapeOf(p, transpose);
            out.put(p.name, TensorEntry.f32(layoutFloats(p.data, p, transpose), shape));
            MaskedLinear layer = maskedLayer(model, p);
            if (layer != null && layer.keep() != null) {
                byte[] keep = transpose ? Gpt2Names.transpose(layer.keep(), p.dim(0), p.dim(1)) : layer.keep().clone();
                out.put(p.name + ".mask", o.boolMasks() ? TensorEntry.bool(keep, shape) : TensorEntry.u8(keep, shape));
            }
            Integer i = optIndex.get(p.name);
            if (!o.weightsOnly() && i != null) {
                out.put(p.name + ".exp_avg", TensorEntry.f32(layoutFloats(optimizer.firstMoment(i), p, transpose), shape));
                out.put(p.name + ".exp_avg_sq", TensorEntry.f32(layoutFloats(optimizer.secondMoment(i), p, transpose), shape));
            }
        }
        return out;
    }

    /** The string metadata (see the class comment). */
    public static Map<String, String> metadata(Checkpoint.Loaded ck, Options o) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("format", "pt");
        m.put(META_LAYOUT, o.layout().id);
        m.put(META_HEADS, Integer.toString(ck.model().config().heads()));
        m.put(META_CONFIG, Json.write(Checkpoint.configJson(ck.model().config())));
        m.put(META_TRAIN, Json.write(ck.settings().toJson()));
        m.put(META_STATE, Json.write(stateJson(ck.state())));
        if (!o.weightsOnly()) m.put(META_OPTIMIZER_STEP, Long.toString(ck.optimizer().stepCount()));
        return m;
    }

    /** The run state as JSON (the same fields as the checkpoint header). */
    public static Map<String, Object> stateJson(TrainState s) {
        return s.toJson();
    }

    private static long[] shapeOf(Tensor p, boolean transpose) {
        long[] s = new long[p.rank()];
        for (int d = 0; d < s.length; d++) s[d] = p.shape[d];
        return transpose ? new long[] {s[1], s[0]} : s;
    }

    /** values laid out like p (OUT, IN) -> the file's layout (a copy either way). */
    private static float[] layoutFloats(float[] values, Tensor p, boolean transpose) {
        return transpose ? Gpt2Names.transpose(values, p.dim(0), p.dim(1)) : values.clone();
    }

    private static MaskedLinear maskedLayer(Gpt model, Tensor p) {
        for (MaskedLinear l : model.maskedLayers()) if (l.weight == p) return l;
        return null;
    }
}
