package mediswift4j.train;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * A checkpoint file built byte by byte from SPEC.md section 9's layout (magic, version, header length, JSON header
 * text written here, tensor payloads, SHA-256), without any of Checkpoint's own code, so that the loader's tests
 * compare it with an independent writer. The parameter table and its order are SPEC.md section 6's; values are
 * simple closed forms (exact in float32) that a test can recompute; masks keep every even position of each masked
 * tensor, i.e. mask exactly n / 2 of its n weights (the exact-count rule at sparsity 0.5, every n being even).
 */
final class HandMadeCheckpoint {
    /** One row of the tensor table with its payload bytes (which a test may make disagree with the row). */
    static final class Entry {
        final String name, kind;
        String dtype;
        String shape; // JSON array text, e.g. "[5,4]"
        byte[] payload;

        Entry(String name, String kind, String dtype, String shape, byte[] payload) {
            this.name = name;
            this.kind = kind;
            this.dtype = dtype;
            this.shape = shape;
            this.payload = payload;
        }
    }

    /** Canonical parameter names and shapes for L blocks of width C, context T, vocabulary V (SPEC.md section 6). */
    record Param(String name, int[] shape) {
        int size() {
            int n = 1;
            for (int d : shape) n *= d;
            return n;
        }
    }

    static List<Param> parameters(int layers, int c, int context, int vocab) {
        List<Param> out = new ArrayList<>();
        out.add(new Param("wte.weight", new int[] {vocab, c}));
        out.add(new Param("wpe.weight", new int[] {context, c}));
        for (int i = 0; i < layers; i++) {
            String p = "h." + i + ".";
            out.add(new Param(p + "ln_1.weight", new int[] {c}));
            out.add(new Param(p + "ln_1.bias", new int[] {c}));
            out.add(new Param(p + "attn.c_attn.weight", new int[] {3 * c, c}));
            out.add(new Param(p + "attn.c_attn.bias", new int[] {3 * c}));
            out.add(new Param(p + "attn.c_proj.weight", new int[] {c, c}));
            out.add(new Param(p + "attn.c_proj.bias", new int[] {c}));
            out.add(new Param(p + "ln_2.weight", new int[] {c}));
            out.add(new Param(p + "ln_2.bias", new int[] {c}));
            out.add(new Param(p + "mlp.c_fc.weight", new int[] {4 * c, c}));
            out.add(new Param(p + "mlp.c_fc.bias", new int[] {4 * c}));
            out.add(new Param(p + "mlp.c_proj.weight", new int[] {c, 4 * c}));
            out.add(new Param(p + "mlp.c_proj.bias", new int[] {c}));
        }
        out.add(new Param("ln_f.weight", new int[] {c}));
        out.add(new Param("ln_f.bias", new int[] {c}));
        return out;
    }

    static boolean masked(String name) {
        return name.endsWith("c_attn.weight") || name.endsWith("attn.c_proj.weight") || name.endsWith("c_fc.weight")
                || name.endsWith("mlp.c_proj.weight");
    }

    /** Keep byte at position j of a masked weight: every even position kept. */
    static byte keep(int j) {
        return (byte) (j % 2 == 0 ? 1 : 0);
    }

    /** Parameter k's element j: distinct, exact in float32; 0 where the weight is masked. */
    static float value(Param p, int k, int j, boolean sparse) {
        if (sparse && masked(p.name()) && keep(j) == 0) return 0f;
        return (k + 1) / 64f + j / 1024f;
    }

    static float firstMoment(Param p, int k, int j, boolean sparse) {
        return value(p, k, j, sparse) / -8f;
    }

    static float secondMoment(Param p, int k, int j, boolean sparse) {
        return value(p, k, j, sparse) * value(p, k, j, sparse);
    }

    final int layers = 2, dModel = 4, heads = 2, context = 3, vocab = 5;
    /** 5*4 + 3*4 + 2 (12*16 + 13*4) + 2*4 (SPEC.md section 6's count). */
    static final int PARAMETER_COUNT = 528;
    final boolean sparse;
    final long step;
    final List<Param> params = parameters(layers, dModel, context, vocab);
    final List<Entry> entries = new ArrayList<>();
    /** Applied to the header text before it is written (a test's forgery); identity by default. */
    java.util.function.UnaryOperator<String> headerEdit = x -> x;

    private HandMadeCheckpoint(boolean sparse, boolean moments, long step) {
        this.sparse = sparse;
        this.step = step;
        for (int k = 0; k < params.size(); k++) {
            Param p = params.get(k);
            float[] f = new float[p.size()];
            for (int j = 0; j < f.length; j++) f[j] = value(p, k, j, sparse);
            entries.add(new Entry(p.name(), "param", "f32", shapeText(p.shape()), floats(f)));
        }
        if (sparse) {
            for (Param p : params) {
                if (!masked(p.name())) continue;
                byte[] b = new byte[p.size()];
                for (int j = 0; j < b.length; j++) b[j] = keep(j);
                entries.add(new Entry(p.name(), "mask", "u8", shapeText(p.shape()), b));
            }
        }
        if (moments) {
            for (String kind : new String[] {"adam_m", "adam_v"}) {
                for (int k = 0; k < params.size(); k++) {
                    Param p = params.get(k);
                    float[] f = new float[p.size()];
                    for (int j = 0; j < f.length; j++) f[j] = kind.equals("adam_m") ? firstMoment(p, k, j, sparse) : secondMoment(p, k, j, sparse);
                    entries.add(new Entry(p.name(), kind, "f32", shapeText(p.shape()), floats(f)));
                }
            }
        }
    }

    /** Sparsity 0.5, step 3: parameters, masks, both moments (the layout a pretrain run writes). */
    static HandMadeCheckpoint sparseAtStep3() {
        return new HandMadeCheckpoint(true, true, 3);
    }

    /** Sparsity 0, step 0, only the parameters: the last tensor of the file is a parameter (ln_f.bias). */
    static HandMadeCheckpoint parametersOnly() {
        return new HandMadeCheckpoint(false, false, 0);
    }

    Entry entry(String kind, String name) {
        for (Entry e : entries) if (e.kind.equals(kind) && e.name.equals(name)) return e;
        throw new AssertionError("no " + kind + " " + name);
    }

    String header() {
        StringBuilder t = new StringBuilder();
        for (Entry e : entries) {
            if (t.length() > 0) t.append(',');
            t.append("{\"name\":\"").append(e.name).append("\",\"kind\":\"").append(e.kind).append("\",\"dtype\":\"").append(e.dtype)
                    .append("\",\"shape\":").append(e.shape).append('}');
        }
        return headerEdit.apply("{\"format\":\"mediswift4j-checkpoint\","
                + "\"config\":{\"name\":\"hand-made\",\"layers\":" + layers + ",\"d_model\":" + dModel + ",\"heads\":" + heads
                + ",\"context_length\":" + context + ",\"vocab_size\":" + vocab + "},"
                + "\"train\":{\"steps\":10,\"batch\":1,\"seq_len\":3,\"accum\":1,\"lr\":0.001,\"warmup\":1,\"clip_norm\":1.0,"
                + "\"dropout\":0.0,\"eval_every\":5,\"eval_windows\":1,\"checkpoint_every\":5,\"seed\":7,\"sparsity\":" + (sparse ? "0.5" : "0.0")
                + ",\"beta1\":0.9,\"beta2\":0.95,\"eps\":1e-8,\"weight_decay\":0.1},"
                + "\"step\":" + step + ",\"tokens_seen\":" + 3 * step + ",\"data_rng_state\":11,\"elapsed_seconds\":1.5,\"tokenizer\":null,"
                + "\"data\":[\"tokens.bin\"],\"data_tokens\":100,\"data_validation_start\":90,\"optimizer_step\":" + step + ","
                + "\"tensors\":[" + t + "]}");
    }

    byte[] payload() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Entry e : entries) out.writeBytes(e.payload);
        return out.toByteArray();
    }

    /** The whole file: 16-byte preamble, header, payloads, SHA-256 of all of it. */
    byte[] bytes() {
        byte[] h = header().getBytes(StandardCharsets.UTF_8);
        return file("MSW4JCKP", 1, h.length, h, payload());
    }

    /** Offset of the first payload byte (16 + header length). */
    int payloadStart() {
        return 16 + header().getBytes(StandardCharsets.UTF_8).length;
    }

    /** Magic, version and header length as given, then the header and payload bytes, then their SHA-256. */
    static byte[] file(String magic, int version, int headerLength, byte[] header, byte[] payload) {
        ByteBuffer pre = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        pre.put(magic.getBytes(StandardCharsets.US_ASCII)).putInt(version).putInt(headerLength);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(pre.array());
        out.writeBytes(header);
        out.writeBytes(payload);
        out.writeBytes(sha256(out.toByteArray()));
        return out.toByteArray();
    }

    static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static byte[] floats(float[] f) {
        ByteBuffer b = ByteBuffer.allocate(4 * f.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : f) b.putFloat(x);
        return b.array();
    }

    static String shapeText(int[] shape) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) s.append(i == 0 ? "" : ",").append(shape[i]);
        return s.append(']').toString();
    }
}
