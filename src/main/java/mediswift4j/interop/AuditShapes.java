package mediswift4j.interop;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import mediswift4j.io.Json;
import mediswift4j.io.TensorEntry;
import mediswift4j.nn.ModelConfig;
import mediswift4j.train.Checkpoint;
import mediswift4j.util.InputException;

/**
 * The shape part of `verify` (CheckpointAudit): every GPT-2 parameter must have the shape the model's config gives
 * it, and every parameter of that config must be there. The config is the file's "mediswift4j.config" metadata when
 * present; otherwise it is read from the other tensors (C from wte.weight, ln_f.weight or h.0.ln_1.weight, V from
 * wte.weight, T from wpe.weight, L from the block numbers), so a single misshapen tensor stands out against the
 * rest. The layout (HF Conv1D or Linear) comes from the "mediswift4j.layout" metadata or from h.0.attn.c_attn.weight.
 */
final class AuditShapes {
    private AuditShapes() {}

    private static final Pattern BLOCK = Pattern.compile("h\\.(\\d+)\\..+");

    /** Adds a violation to `report` for each parameter whose shape or presence does not fit the config. */
    static void check(CheckpointAudit.Report report, Map<String, TensorEntry> params, Map<String, String> metadata) {
        Map<String, String> meta = metadata == null ? Map.of() : metadata;
        String source;
        ModelConfig cfg;
        try {
            if (meta.containsKey(CheckpointExport.META_CONFIG)) {
                String w = "metadata " + CheckpointExport.META_CONFIG;
                cfg = Checkpoint.configFromJson(Json.asObject(Json.parse(meta.get(CheckpointExport.META_CONFIG), w), w), w);
                source = "the config in the metadata";
            } else {
                cfg = inferred(params);
                source = "the shapes of the other tensors";
            }
        } catch (InputException | IllegalArgumentException e) {
            report.violation(null, "cannot tell the model's shape: " + e.getMessage());
            return;
        }
        if (cfg == null) return; // nothing to compare against: no tensor names C (reported elsewhere)
        boolean hf = hfLayout(params, meta, cfg.dModel());
        Map<String, long[]> expected = new LinkedHashMap<>();
        for (var e : Gpt2Names.parameterShapes(cfg).entrySet()) {
            expected.put(e.getKey(), hf ? Gpt2Names.hfShape(e.getKey(), e.getValue()) : e.getValue());
        }
        for (var e : params.entrySet()) {
            Gpt2Names.Kind kind = Gpt2Names.kind(e.getKey());
            if (kind == Gpt2Names.Kind.OTHER || kind == Gpt2Names.Kind.ATTN_BUFFER || kind == Gpt2Names.Kind.LM_HEAD) continue;
            long[] want = expected.get(e.getKey());
            CheckpointAudit.Row row = rowOf(report, e.getKey());
            if (want == null) {
                report.violation(row, e.getKey() + ": not a parameter of a model with " + cfg.layers() + " layers (" + source + ")");
            } else if (!Arrays.equals(want, e.getValue().shape())) {
                report.violation(row, e.getKey() + ": shape " + Arrays.toString(e.getValue().shape()) + ", expected " + Arrays.toString(want)
                        + " (L " + cfg.layers() + ", C " + cfg.dModel() + ", T " + cfg.contextLength() + ", V " + cfg.vocabSize()
                        + ", " + (hf ? "hf" : "torch-linear") + " layout, from " + source + ")");
            }
        }
        for (String name : expected.keySet()) {
            if (!params.containsKey(name)) report.violation(null, name + ": missing (every parameter of the model must be in the file)");
        }
    }

    /** L, C, T, V read from the tensors that fix them; null when no tensor names C. */
    private static ModelConfig inferred(Map<String, TensorEntry> params) {
        long c = dim(params, "wte.weight", 2, 1);
        if (c < 0) c = dim(params, "ln_f.weight", 1, 0);
        if (c < 0) c = dim(params, "h.0.ln_1.weight", 1, 0);
        if (c < 1) return null;
        long v = dim(params, "wte.weight", 2, 0), t = dim(params, "wpe.weight", 2, 0);
        // L is the largest block index + 1, but at most the number of block tensors (a real layer has at least
        // one): one damaged name such as h.65537 must not make the audit expect, and build the shapes of, 65538
        // layers (a fuzzed export did, 510 MB for a 4 KB file); it is reported as not a parameter instead.
        int layers = 0, blockTensors = 0;
        for (String n : params.keySet()) {
            Matcher m = BLOCK.matcher(n);
            if (!m.matches()) continue;
            blockTensors++;
            if (m.group(1).length() < 6) layers = Math.max(layers, Integer.parseInt(m.group(1)) + 1);
        }
        layers = Math.min(layers, blockTensors);
        return new ModelConfig("inferred", Math.max(layers, 1), Math.toIntExact(c), 1, (int) Math.max(t, 1), (int) Math.max(v, 1));
    }

    /** Dimension d of a tensor of rank `rank`, or -1 when the tensor is absent or has another rank. */
    private static long dim(Map<String, TensorEntry> params, String name, int rank, int d) {
        TensorEntry t = params.get(name);
        if (t == null || t.rank() != rank || t.dim(d) > Integer.MAX_VALUE) return -1;
        return t.dim(d);
    }

    private static boolean hfLayout(Map<String, TensorEntry> params, Map<String, String> meta, long c) {
        String declared = meta.get(CheckpointExport.META_LAYOUT);
        if (declared != null && CheckpointExport.Layout.byId(declared) != null) return CheckpointExport.Layout.byId(declared) == CheckpointExport.Layout.HF;
        TensorEntry qkv = params.get("h.0.attn.c_attn.weight");
        return qkv == null || qkv.rank() != 2 || !(qkv.dim(0) == 3 * c && qkv.dim(1) == c);
    }

    private static CheckpointAudit.Row rowOf(CheckpointAudit.Report report, String name) {
        for (CheckpointAudit.Row r : report.rows) if (r.name.equals(name)) return r;
        return null;
    }
}
