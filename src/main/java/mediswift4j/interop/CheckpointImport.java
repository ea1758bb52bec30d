package mediswift4j.interop;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import mediswift4j.io.Json;
import mediswift4j.io.SafeTensors;
import mediswift4j.io.TensorEntry;
import mediswift4j.nn.Gpt;
import mediswift4j.nn.MaskedLinear;
import mediswift4j.nn.ModelConfig;
import mediswift4j.nn.ModelMasks;
import mediswift4j.optim.AdamW;
import mediswift4j.tensor.Tensor;
import mediswift4j.train.Checkpoint;
import mediswift4j.train.CheckpointRules;
import mediswift4j.train.Models;
import mediswift4j.train.TrainSettings;
import mediswift4j.train.TrainState;
import mediswift4j.util.InputException;
import mediswift4j.util.Rng;

/**
 * safetensors with GPT-2 / Hugging Face names -> a model, its masks, optimizer state and run state (SPEC.md
 * section 14); the reverse of {@link CheckpointExport}.
 *
 * Accepts our own export and plain GPT-2-style files (HF GPT2Model / GPT2LMHeadModel state dicts, with or without
 * the "transformer." prefix). The config is inferred from the shapes: V and C from wte (V, C), the context T from
 * wpe (T, C), L from the blocks h.0 .. h.{L-1}; the number of heads cannot be seen in any shape and comes from the
 * caller, the "mediswift4j.config" metadata or "n_head". The layout (Conv1D (IN, OUT) or Linear (OUT, IN)) is
 * read from the shape of h.0.attn.c_attn.weight ((C, 3C) or (3C, C)). Without masks the model is dense; without
 * moments the optimizer is fresh (step 0). Everything is checked: unknown tensors, missing or misshapen
 * parameters, non-finite values, masks that are not 0/1, masked weights or moments that are not 0, an untied
 * lm_head -- each an InputException naming the file and tensor.
 */
public final class CheckpointImport {
    private CheckpointImport() {}

    /** An imported checkpoint, ready for Checkpoint.save. */
    public record Imported(Gpt model, AdamW optimizer, TrainSettings settings, TrainState state,
                           CheckpointExport.Layout layout, int maskCount, boolean hadOptimizerState, List<String> ignored) {}

    private static final Pattern BLOCK = Pattern.compile("h\\.(\\d+)\\..+");

    /** Reads `file`; heads (may be null) overrides the metadata. */
    public static Imported read(java.nio.file.Path file, Integer heads) {
        return fromContents(file.toString(), SafeTensors.read(file), heads);
    }

    public static Imported fromContents(String file, SafeTensors.Contents contents, Integer headsOverride) {
        Map<String, String> meta = contents.metadata == null ? Map.of() : contents.metadata;
        Sorted t = sort(file, contents);
        ModelConfig cfg = config(file, t.params(), meta, headsOverride);
        CheckpointExport.Layout layout = layout(file, t.params(), meta, cfg.dModel());
        Gpt model = Models.newModel(cfg);
        readParameters(file, t, model, layout);
        installMasks(file, t, model, layout);
        TrainSettings settings = settings(file, meta, model);
        AdamW optimizer = Models.newOptimizer(model, settings.adam());
        boolean hadMoments = restoreMoments(file, t, meta, model, optimizer, layout);
        TrainState state;
        if (meta.containsKey(CheckpointExport.META_STATE)) {
            String w = file + " metadata " + CheckpointExport.META_STATE;
            state = TrainState.fromJson(Json.asObject(Json.parse(meta.get(CheckpointExport.META_STATE), w), w), w);
        } else {
            state = new TrainState();
            state.dataRngState = Rng.derive(settings.seed(), "data", 0).state();
        }
        CheckpointRules.checkAll(file, model, optimizer, settings, state);
        return new Imported(model, optimizer, settings, state, layout, t.masks().size(), hadMoments, t.ignored());
    }

    /** The file's tensors sorted into parameters, masks and moments by canonical name; `original` maps back to the file's keys. */
    private record Sorted(Map<String, TensorEntry> params, Map<String, TensorEntry> masks, Map<String, TensorEntry> m,
                          Map<String, TensorEntry> v, Map<String, String> original, List<String> ignored, TensorEntry[] lmHead) {}

    /** Sorts by suffix (.mask, .exp_avg, .exp_avg_sq) and canonical GPT-2 name; attention buffers are ignored, a duplicate refused. */
    private static Sorted sort(String file, SafeTensors.Contents contents) {
        Sorted t = new Sorted(new LinkedHashMap<>(), new LinkedHashMap<>(), new LinkedHashMap<>(), new LinkedHashMap<>(),
                new LinkedHashMap<>(), new ArrayList<>(), new TensorEntry[1]);
        for (var e : contents.tensors.entrySet()) {
            String key = e.getKey();
            String n = key.startsWith("optimizer.") ? key.substring("optimizer.".length()) : key;
            Map<String, TensorEntry> into;
            if (n.endsWith(".mask")) {
                into = t.masks();
                n = n.substring(0, n.length() - ".mask".length());
            } else if (n.endsWith(".exp_avg_sq")) {
                into = t.v();
                n = n.substring(0, n.length() - ".exp_avg_sq".length());
            } else if (n.endsWith(".exp_avg")) {
                into = t.m();
                n = n.substring(0, n.length() - ".exp_avg".length());
            } else {
                into = t.params();
            }
            n = Gpt2Names.canonical(n);
            Gpt2Names.Kind kind = Gpt2Names.kind(n);
            if (into == t.params() && kind == Gpt2Names.Kind.ATTN_BUFFER) {
                t.ignored().add(key);
                continue;
            }
            if (into == t.params() && kind == Gpt2Names.Kind.LM_HEAD) {
                t.lmHead[0] = e.getValue();
                continue;
            }
            if (kind == Gpt2Names.Kind.OTHER || kind == Gpt2Names.Kind.ATTN_BUFFER || kind == Gpt2Names.Kind.LM_HEAD) {
                throw new InputException(file + ": tensor \"" + key + "\" is not a GPT-2 parameter name (see SPEC.md section 14)");
            }
            String tag = (into == t.params() ? "" : into == t.masks() ? "mask:" : into == t.m() ? "m:" : "v:") + n;
            if (t.original().containsKey(tag)) {
                throw new InputException(file + ": tensors \"" + t.original().get(tag) + "\" and \"" + key + "\" name the same thing");
            }
            t.original().put(tag, key);
            into.put(n, e.getValue());
        }
        return t;
    }

    /** The config: sizes from the shapes (wte, wpe, the h.N blocks), heads from --heads or the metadata. */
    private static ModelConfig config(String file, Map<String, TensorEntry> params, Map<String, String> meta, Integer headsOverride) {
        TensorEntry wte = need(file, params, "wte.weight");
        TensorEntry wpe = need(file, params, "wpe.weight");
        if (wte.rank() != 2) throw new InputException(file + ": wte.weight must be (V, C), has shape " + Arrays.toString(wte.shape()));
        if (wpe.rank() != 2) throw new InputException(file + ": wpe.weight must be (T, C), has shape " + Arrays.toString(wpe.shape()));
        int vocab = toInt(file, wte.dim(0)), c = toInt(file, wte.dim(1)), context = toInt(file, wpe.dim(0));
        TreeSet<Integer> blockIds = new TreeSet<>();
        for (String n : params.keySet()) {
            Matcher m = BLOCK.matcher(n);
            if (m.matches()) blockIds.add(Integer.parseInt(m.group(1)));
        }
        int layers = blockIds.size();
        if (layers == 0) throw new InputException(file + ": no transformer blocks (h.0.*) found");
        if (blockIds.last() != layers - 1) throw new InputException(file + ": blocks are not numbered 0.." + (layers - 1) + ": " + blockIds);
        ModelConfig fromMeta = meta.containsKey(CheckpointExport.META_CONFIG)
                ? Checkpoint.configFromJson(Json.asObject(Json.parse(meta.get(CheckpointExport.META_CONFIG), file + " metadata " + CheckpointExport.META_CONFIG),
                        file + " metadata " + CheckpointExport.META_CONFIG), file + " metadata " + CheckpointExport.META_CONFIG)
                : null;
        int heads;
        if (headsOverride != null) heads = headsOverride;
        else if (fromMeta != null) heads = fromMeta.heads();
        else if (meta.containsKey(CheckpointExport.META_HEADS)) heads = metaInt(file, meta, CheckpointExport.META_HEADS);
        else throw new InputException(file + ": the number of heads is not in the metadata (n_head); give it with --heads");
        ModelConfig cfg;
        try {
            cfg = new ModelConfig(fromMeta != null ? fromMeta.name() : "imported", layers, c, heads, context, vocab);
        } catch (IllegalArgumentException ex) {
            throw new InputException(file + ": " + ex.getMessage());
        }
        if (fromMeta != null && !(fromMeta.layers() == layers && fromMeta.dModel() == c && fromMeta.contextLength() == context && fromMeta.vocabSize() == vocab)) {
            throw new InputException(file + ": metadata config " + fromMeta + " does not match the tensor shapes (L " + layers + ", C " + c
                    + ", T " + context + ", V " + vocab + ")");
        }
        return cfg;
    }

    /** Conv1D (HF) or Linear layout, recognised from the packed QKV weight's shape and checked against the metadata. */
    private static CheckpointExport.Layout layout(String file, Map<String, TensorEntry> params, Map<String, String> meta, int c) {
        TensorEntry qkv = need(file, params, "h.0.attn.c_attn.weight");
        CheckpointExport.Layout layout;
        if (qkv.rank() == 2 && qkv.dim(0) == c && qkv.dim(1) == 3L * c) layout = CheckpointExport.Layout.HF;
        else if (qkv.rank() == 2 && qkv.dim(0) == 3L * c && qkv.dim(1) == c) layout = CheckpointExport.Layout.TORCH_LINEAR;
        else throw new InputException(file + ": h.0.attn.c_attn.weight has shape " + Arrays.toString(qkv.shape()) + ", expected (" + c + ", " + 3 * c
                + ") (Conv1D) or (" + 3 * c + ", " + c + ") (Linear)");
        String declared = meta.get(CheckpointExport.META_LAYOUT);
        if (declared != null && CheckpointExport.Layout.byId(declared) != layout) {
            throw new InputException(file + ": metadata " + CheckpointExport.META_LAYOUT + " is \"" + declared + "\" but the shapes say \"" + layout.id + "\"");
        }
        return layout;
    }

    /** Every parameter of the model, finite, from the file; nothing left over; a stored lm_head must equal wte. */
    private static void readParameters(String file, Sorted t, Gpt model, CheckpointExport.Layout layout) {
        Map<String, TensorEntry> params = t.params();
        Map<String, String> original = t.original();
        TensorEntry wte = params.get("wte.weight"), lmHead = t.lmHead()[0];
        int layers = model.config().layers();
        for (Tensor p : model.parameters()) {
            TensorEntry e = need(file, params, p.name);
            params.remove(p.name);
            float[] v = floats(file, p.name, e, p, layout);
            for (int i = 0; i < v.length; i++) {
                if (!Float.isFinite(v[i])) throw new InputException(file + ": " + p.name + " holds " + v[i] + " at element " + i);
            }
            System.arraycopy(v, 0, p.data, 0, v.length);
        }
        if (!params.isEmpty()) {
            throw new InputException(file + ": tensor \"" + original.get(params.keySet().iterator().next()) + "\" does not belong to a model with "
                    + layers + " layers");
        }
        if (lmHead != null) {
            if (!Arrays.equals(lmHead.shape(), wte.shape()) || lmHead.dtype() != wte.dtype()
                    || !Arrays.equals(floats(file, "lm_head.weight", lmHead, model.wte, layout), model.wte.data)) {
                throw new InputException(file + ": lm_head.weight differs from wte.weight; only models with the LM head tied to wte are supported");
            }
            t.ignored().add(original.getOrDefault("lm_head.weight", "lm_head.weight"));
        }
    }

    /** Masks (U8 or BOOL, 0/1, on sparsifiable weights only, with 0 weights at masked positions) installed on their layers. */
    private static void installMasks(String file, Sorted t, Gpt model, CheckpointExport.Layout layout) {
        Map<String, String> original = t.original();
        for (var e : t.masks().entrySet()) {
            String name = e.getKey();
            Tensor p = model.parameter(name);
            String key = original.get("mask:" + name);
            if (p == null) throw new InputException(file + ": mask \"" + key + "\" has no parameter " + name);
            MaskedLinear layer = ModelMasks.layer(model, name);
            if (layer == null) throw new InputException(file + ": mask \"" + key + "\" is on " + name + ", which is not sparsifiable (SPEC.md section 7)");
            TensorEntry m = e.getValue();
            if (m.dtype() != SafeTensors.DType.U8 && m.dtype() != SafeTensors.DType.BOOL) {
                throw new InputException(file + ": mask \"" + key + "\" has dtype " + m.dtype() + ", expected U8 or BOOL");
            }
            checkShape(file, key, m, p, layout);
            byte[] keep = m.bytes().clone();
            for (int i = 0; i < keep.length; i++) {
                if (keep[i] != 0 && keep[i] != 1) throw new InputException(file + ": mask \"" + key + "\" has value " + (keep[i] & 0xFF) + " at element " + i);
            }
            if (transposed(name, layout)) keep = Gpt2Names.transpose(keep, p.dim(1), p.dim(0));
            for (int i = 0; i < keep.length; i++) {
                if (keep[i] == 0 && p.data[i] != 0f) {
                    throw new InputException(file + ": " + name + " is " + p.data[i] + " at a masked position (our element " + i + "); masked weights must be 0");
                }
            }
            layer.setKeep(keep);
        }
    }

    /** The training settings from the metadata, else defaults with the sparsity the masks state. */
    private static TrainSettings settings(String file, Map<String, String> meta, Gpt model) {
        TrainSettings settings;
        if (meta.containsKey(CheckpointExport.META_TRAIN)) {
            String w = file + " metadata " + CheckpointExport.META_TRAIN;
            try {
                settings = TrainSettings.fromJson(Json.asObject(Json.parse(meta.get(CheckpointExport.META_TRAIN), w), w), w);
            } catch (IllegalArgumentException ex) {
                throw new InputException(w + ": " + ex.getMessage());
            }
        } else {
            settings = TrainSettings.defaults(1, 8, model.config().contextLength(), 6e-4, 0, 0L, statedByMasks(model));
        }
        return settings;
    }

    /** Adam moments, when the file has any: both kinds for every parameter, and the step count they belong to. */
    private static boolean restoreMoments(String file, Sorted t, Map<String, String> meta, Gpt model, AdamW optimizer,
                                          CheckpointExport.Layout layout) {
        Map<String, TensorEntry> firstMoments = t.m(), secondMoments = t.v();
        boolean hadMoments = !firstMoments.isEmpty() || !secondMoments.isEmpty();
        if (hadMoments) {
            List<Tensor> ps = model.parameters();
            float[][] m1 = new float[ps.size()][], m2 = new float[ps.size()][];
            for (int i = 0; i < ps.size(); i++) {
                Tensor p = ps.get(i);
                m1[i] = moment(file, p, firstMoments, "exp_avg", layout, model);
                m2[i] = moment(file, p, secondMoments, "exp_avg_sq", layout, model);
            }
            firstMoments.keySet().removeAll(names(ps));
            secondMoments.keySet().removeAll(names(ps));
            if (!firstMoments.isEmpty() || !secondMoments.isEmpty()) {
                String extra = !firstMoments.isEmpty() ? firstMoments.keySet().iterator().next() : secondMoments.keySet().iterator().next();
                throw new InputException(file + ": optimizer moment for " + extra + ", which is not a parameter of this model");
            }
            String stepKey = meta.containsKey(CheckpointExport.META_OPTIMIZER_STEP) ? CheckpointExport.META_OPTIMIZER_STEP
                    : meta.containsKey("step") ? "step" : null;
            if (stepKey == null) {
                throw new InputException(file + ": Adam moments without the optimizer step count (metadata " + CheckpointExport.META_OPTIMIZER_STEP
                        + "); Adam's bias correction needs it");
            }
            optimizer.restore(metaLong(file, meta, stepKey), m1, m2);
        }
        return hadMoments;
    }

    // ---------------------------------------------------------------- helpers

    private static TensorEntry need(String file, Map<String, TensorEntry> params, String name) {
        TensorEntry e = params.get(name);
        if (e == null) throw new InputException(file + ": missing parameter " + name);
        return e;
    }

    private static boolean transposed(String name, CheckpointExport.Layout layout) {
        return layout == CheckpointExport.Layout.HF && Gpt2Names.isTransposedInHf(name);
    }

    /** The shape `p` has in the file. */
    private static void checkShape(String file, String key, TensorEntry e, Tensor p, CheckpointExport.Layout layout) {
        long[] ours = new long[p.rank()];
        for (int d = 0; d < ours.length; d++) ours[d] = p.shape[d];
        long[] want = transposed(p.name, layout) ? Gpt2Names.hfShape(p.name, ours) : ours;
        if (!Arrays.equals(e.shape(), want)) {
            throw new InputException(file + ": \"" + key + "\" has shape " + Arrays.toString(e.shape()) + ", expected " + Arrays.toString(want)
                    + " (" + layout.id + " layout)");
        }
    }

    /** A float tensor shaped like p in the file's layout -> values in our layout. */
    private static float[] floats(String file, String key, TensorEntry e, Tensor p, CheckpointExport.Layout layout) {
        checkShape(file, key, e, p, layout);
        float[] v;
        switch (e.dtype()) {
            case F32: v = e.floats().clone(); break;
            case F64: case F16: case BF16: {
                v = new float[p.size()];
                for (int i = 0; i < v.length; i++) v[i] = (float) e.value(i);
                break;
            }
            default: throw new InputException(file + ": \"" + key + "\" has dtype " + e.dtype() + ", expected a float dtype (F32, F64, F16, BF16)");
        }
        return transposed(p.name, layout) ? Gpt2Names.transpose(v, p.dim(1), p.dim(0)) : v;
    }

    private static float[] moment(String file, Tensor p, Map<String, TensorEntry> moments, String suffix, CheckpointExport.Layout layout, Gpt model) {
        TensorEntry e = moments.get(p.name);
        if (e == null) throw new InputException(file + ": optimizer state is incomplete: no " + p.name + "." + suffix);
        float[] v = floats(file, p.name + "." + suffix, e, p, layout);
        MaskedLinear layer = ModelMasks.layer(model, p.name);
        byte[] keep = layer == null ? null : layer.keep();
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) throw new InputException(file + ": " + p.name + "." + suffix + " holds " + v[i] + " at element " + i);
            if (keep != null && keep[i] == 0 && v[i] != 0f) {
                throw new InputException(file + ": " + p.name + "." + suffix + " is " + v[i] + " at a masked position (our element " + i + "); it must be 0");
            }
        }
        return v;
    }

    private static List<String> names(List<Tensor> ps) {
        List<String> out = new ArrayList<>();
        for (Tensor p : ps) out.add(p.name);
        return out;
    }

    /**
     * The sparsity a file without training metadata states through its masks: the first masked tensor's fraction
     * (0 without masks). CheckpointRules then requires every other mask to agree under the exact-count rule.
     */
    private static double statedByMasks(Gpt model) {
        double[] s = ModelMasks.sparsities(model);
        return s.length == 0 ? 0 : s[0];
    }

    private static int toInt(String file, long d) {
        if (d < 1 || d > Integer.MAX_VALUE) throw new InputException(file + ": dimension " + d + " is out of range");
        return (int) d;
    }

    private static long metaLong(String file, Map<String, String> meta, String key) {
        try {
            long v = Long.parseLong(meta.get(key).trim());
            if (v < 0) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException ex) {
            throw new InputException(file + ": metadata \"" + key + "\" must be a non-negative integer, found \"" + meta.get(key) + "\"");
        }
    }

    private static int metaInt(String file, Map<String, String> meta, String key) {
        long v = metaLong(file, meta, key);
        if (v < 1 || v > Integer.MAX_VALUE) throw new InputException(file + ": metadata \"" + key + "\" is out of range: " + v);
        return (int) v;
    }
}
