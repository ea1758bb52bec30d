package mediswift4j.train;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import mediswift4j.io.AtomicFiles;
import mediswift4j.io.Json;
import mediswift4j.nn.Gpt;
import mediswift4j.nn.MaskedLinear;
import mediswift4j.nn.ModelConfig;
import mediswift4j.nn.ModelMasks;
import mediswift4j.optim.AdamW;
import mediswift4j.tensor.Tensor;
import mediswift4j.util.InputException;

/**
 * Checkpoints: one file DIR/checkpoint.bin holding everything needed to continue a run exactly (SPEC.md section 9).
 *
 * Layout (integers little-endian):
 *   8 bytes "MSW4JCKP", uint32 version (1), uint32 H, H bytes of UTF-8 JSON header,
 *   the tensors listed in header.tensors, in that order, each as raw little-endian values
 *   (dtype f32: 4 bytes per element; u8: 1 byte), then 32 bytes SHA-256 of every byte before them.
 * The header holds the model config, training settings, step, tokens seen, data-stream state, tokenizer and data
 * references, the optimizer step count, and the tensor table (name, kind, dtype, shape). Tensor kinds: "param"
 * (GPT-2 names, W stored (OUT, IN)), "mask" (keep bytes of a masked weight, named like the weight), "adam_m" and
 * "adam_v" (the moments of the parameter of the same name). The file is written through AtomicFiles (temporary
 * file, fsync, rename) and verified in full before a model is returned, so a truncated or corrupted file fails
 * with an InputException naming it, never yields a wrong model.
 */
public final class Checkpoint {
    private Checkpoint() {}

    public static final String FILE_NAME = "checkpoint.bin";
    private static final byte[] MAGIC = "MSW4JCKP".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;

    /** What {@link #load} returns; the masks are installed in the model's layers (and listed in `masks`). */
    public record Loaded(Gpt model, Map<String, byte[]> masks, AdamW optimizer, TrainSettings settings, TrainState state,
                         Map<String, Object> header) {}

    public static Path file(Path dir) {
        return dir.resolve(FILE_NAME);
    }

    // ---------------------------------------------------------------- save

    public static void save(Path dir, Gpt model, AdamW optimizer, TrainSettings settings, TrainState state) throws IOException {
        List<Map<String, Object>> table = new ArrayList<>();
        List<Object> payload = new ArrayList<>(); // float[] or byte[]
        for (Tensor p : model.parameters()) {
            table.add(entry(p.name, "param", "f32", p.shape));
            payload.add(p.data);
        }
        for (MaskedLinear l : model.maskedLayers()) {
            if (l.keep() == null) continue;
            table.add(entry(l.weight.name, "mask", "u8", l.weight.shape));
            payload.add(l.keep());
        }
        List<Tensor> ps = optimizer.parameters();
        for (int i = 0; i < ps.size(); i++) {
            table.add(entry(ps.get(i).name, "adam_m", "f32", ps.get(i).shape));
            payload.add(optimizer.firstMoment(i));
        }
        for (int i = 0; i < ps.size(); i++) {
            table.add(entry(ps.get(i).name, "adam_v", "f32", ps.get(i).shape));
            payload.add(optimizer.secondMoment(i));
        }
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("format", "mediswift4j-checkpoint");
        h.put("config", configJson(model.config()));
        h.put("train", settings.toJson());
        h.putAll(state.toJson());
        h.put("optimizer_step", optimizer.stepCount());
        KernelChoices.write(h, model);
        h.put("tensors", table);
        byte[] header = Json.write(h).getBytes(StandardCharsets.UTF_8);
        Files.createDirectories(dir);
        deleteStaleTemporaries(dir);
        AtomicFiles.write(file(dir), raw -> {
            MessageDigest sha = sha256();
            OutputStream out = new DigestOutputStream(raw, sha);
            ByteBuffer pre = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            pre.put(MAGIC).putInt(VERSION).putInt(header.length);
            out.write(pre.array());
            out.write(header);
            for (Object o : payload) writePayload(out, o);
            out.flush();
            raw.write(sha.digest());
        });
    }

    /**
     * Removes temporary files (".checkpoint.bin.*.tmp", see AtomicFiles) left in DIR by a writer that was killed
     * before it could rename or delete them. They are never read (load reads checkpoint.bin only); this only frees
     * the space. One run writes to a directory at a time, so no live writer's file is removed.
     */
    static void deleteStaleTemporaries(Path dir) throws IOException {
        String prefix = "." + FILE_NAME + ".";
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String n = p.getFileName().toString();
                if (n.startsWith(prefix) && n.endsWith(".tmp") && Files.isRegularFile(p)) Files.deleteIfExists(p);
            }
        }
    }

    private static Map<String, Object> entry(String name, String kind, String dtype, int[] shape) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("name", name);
        e.put("kind", kind);
        e.put("dtype", dtype);
        List<Object> s = new ArrayList<>();
        for (int d : shape) s.add((long) d);
        e.put("shape", s);
        return e;
    }

    private static void writePayload(OutputStream out, Object o) throws IOException {
        if (o instanceof byte[]) {
            out.write((byte[]) o);
            return;
        }
        float[] f = (float[]) o;
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : f) {
            if (!buf.hasRemaining()) {
                out.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            buf.putFloat(x);
        }
        out.write(buf.array(), 0, buf.position());
    }

    public static Map<String, Object> configJson(ModelConfig c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", c.name());
        m.put("layers", (long) c.layers());
        m.put("d_model", (long) c.dModel());
        m.put("heads", (long) c.heads());
        m.put("context_length", (long) c.contextLength());
        m.put("vocab_size", (long) c.vocabSize());
        return m;
    }

    public static ModelConfig configFromJson(Map<String, Object> m, String where) {
        try {
            return new ModelConfig(Json.asString(Json.field(m, "name", where), where + ".name"),
                    Json.asInt(Json.field(m, "layers", where), where + ".layers"),
                    Json.asInt(Json.field(m, "d_model", where), where + ".d_model"),
                    Json.asInt(Json.field(m, "heads", where), where + ".heads"),
                    Json.asInt(Json.field(m, "context_length", where), where + ".context_length"),
                    Json.asInt(Json.field(m, "vocab_size", where), where + ".vocab_size"));
        } catch (IllegalArgumentException e) {
            throw new InputException(where + ": " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------- load

    /** Reads and fully verifies DIR/checkpoint.bin. */
    public static Loaded load(Path dir) {
        Path f = Files.isDirectory(dir) ? file(dir) : dir;
        if (!Files.isRegularFile(f)) throw new InputException(f + ": no checkpoint here (expected the file " + FILE_NAME + " written by pretrain)");
        long size;
        try {
            size = Files.size(f);
        } catch (IOException e) {
            throw new InputException(f + ": cannot read checkpoint (" + e.getMessage() + ")");
        }
        MessageDigest sha = sha256();
        try (DataInputStream in = new DataInputStream(new DigestInputStream(new BufferedInputStream(Files.newInputStream(f), 1 << 16), sha))) {
            int hlen = readPreamble(in, f, size);
            byte[] hb = new byte[hlen];
            in.readFully(hb);
            Map<String, Object> h = Json.asObject(Json.parse(new String(hb, StandardCharsets.UTF_8), f + " (header)"), f + " (header)");
            String where = f + ": header";
            ModelConfig cfg = configFromJson(Json.asObject(Json.field(h, "config", where), where + ".config"), where + ".config");
            TrainSettings settings;
            try {
                settings = TrainSettings.fromJson(Json.asObject(Json.field(h, "train", where), where + ".train"), where + ".train");
            } catch (IllegalArgumentException e) {
                throw new InputException(where + ".train: " + e.getMessage());
            }
            List<Object> table = Json.asArray(Json.field(h, "tensors", where), where + ".tensors");
            checkTableAgainstFile(f, where, cfg, table, size, hlen);

            Gpt model = Models.newModel(cfg);
            TensorsRead t = readTensors(in, f, where, model, table, 16L + hlen);
            byte[] digest = sha.digest();
            byte[] stored = new byte[32];
            in.readFully(stored);
            if (!MessageDigest.isEqual(digest, stored)) {
                throw new InputException(f + ": checksum mismatch at byte " + (size - 32) + " (the checkpoint is corrupted)");
            }
            return assemble(f, where, h, model, settings, t);
        } catch (EOFException e) {
            throw new InputException(f + ": truncated checkpoint", e);
        } catch (IOException e) {
            throw new InputException(f + ": cannot read checkpoint (" + e.getMessage() + ")", e);
        }
    }

    /** Magic, version and header length (16 bytes, section 9); returns the header length. */
    private static int readPreamble(DataInputStream in, Path f, long size) throws IOException {
        if (size < 16 + 32) throw new InputException(f + ": truncated checkpoint (" + size + " bytes)");
        byte[] pre = new byte[16];
        in.readFully(pre);
        ByteBuffer pb = ByteBuffer.wrap(pre).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[8];
        pb.get(magic);
        if (!Arrays.equals(magic, MAGIC)) throw new InputException(f + ": not a mediswift4j checkpoint (bad magic at byte 0)");
        int version = pb.getInt();
        if (version != VERSION) throw new InputException(f + ": unsupported checkpoint version " + version + " at byte 8");
        int hlen = pb.getInt();
        if (hlen < 2 || 16L + hlen + 32 > size) throw new InputException(f + ": truncated checkpoint (header length " + hlen + " at byte 12, file " + size + " bytes)");
        return hlen;
    }

    /**
     * Before anything is allocated: the tensor table must describe exactly the file's bytes, and the config exactly
     * the parameters the table holds, so that a corrupted or forged header cannot make `new Gpt(cfg)` allocate more
     * than the file's size. Sizes are bounded by the file size as they are summed, so nothing overflows; the
     * config is counted in double (exact below 2^53, and a config too large to count exactly is too large for any file).
     */
    private static void checkTableAgainstFile(Path f, String where, ModelConfig cfg, List<Object> table, long size, int hlen) {
        long expected = 16L + hlen + 32, paramElements = 0;
        for (int i = 0; i < table.size(); i++) {
            Map<String, Object> e = Json.asObject(table.get(i), where + ".tensors[" + i + "]");
            long n = 1;
            for (Object d : Json.asArray(Json.field(e, "shape", where + ".tensors[" + i + "]"), where + ".tensors[" + i + "].shape")) {
                long dim = Json.asLong(d, where + ".tensors[" + i + "].shape");
                if (dim < 0 || (dim > 0 && n > size / dim)) {
                    throw new InputException(where + ".tensors[" + i + "].shape: dimension " + dim + " is negative or larger than the file (" + size + " bytes)");
                }
                n *= dim;
            }
            expected += n * ("u8".equals(e.get("dtype")) ? 1 : 4);
            if (expected > size) break; // reported just below; keeps the sum from overflowing
            if ("param".equals(e.get("kind"))) paramElements += n;
        }
        if (size != expected) {
            throw new InputException(f + ": " + (size < expected ? "truncated" : "trailing bytes in") + " checkpoint: " + size
                    + " bytes, the header describes " + (expected > size ? "more" : String.valueOf(expected)));
        }
        double configElements = (double) cfg.vocabSize() * cfg.dModel() + (double) cfg.contextLength() * cfg.dModel()
                + (double) cfg.layers() * (12.0 * cfg.dModel() * cfg.dModel() + 13.0 * cfg.dModel()) + 2.0 * cfg.dModel();
        if (configElements != (double) paramElements) {
            throw new InputException(where + ".config: describes " + String.format("%.0f", configElements)
                    + " parameters but the tensor table holds " + paramElements + " (corrupted header)");
        }
    }

    /** What the tensor section held besides the parameters (read into the model in place). */
    private record TensorsRead(Map<String, byte[]> masks, Map<String, float[]> m, Map<String, float[]> v, Set<String> seen) {}

    /**
     * Reads every tensor of the table in file order: parameters into the model, masks (0/1 bytes) and Adam moments
     * aside. Each entry must name a parameter of the model, with its shape and the dtype of its kind, once.
     */
    private static TensorsRead readTensors(DataInputStream in, Path f, String where, Gpt model, List<Object> table, long offset)
            throws IOException {
        TensorsRead t = new TensorsRead(new LinkedHashMap<>(), new LinkedHashMap<>(), new LinkedHashMap<>(), new HashSet<>());
        for (int i = 0; i < table.size(); i++) {
            String w = where + ".tensors[" + i + "]";
            Map<String, Object> e = Json.asObject(table.get(i), w);
            String name = Json.asString(Json.field(e, "name", w), w + ".name");
            String kind = Json.asString(Json.field(e, "kind", w), w + ".kind");
            Tensor p = model.parameter(name);
            if (p == null) throw new InputException(w + ": unknown parameter \"" + name + "\" for config " + model.config().name());
            List<Object> shape = Json.asArray(e.get("shape"), w + ".shape");
            if (shape.size() != p.rank()) throw new InputException(w + ": shape of " + name + " does not match " + p.shapeString());
            for (int d = 0; d < p.rank(); d++) {
                if (Json.asLong(shape.get(d), w + ".shape") != p.shape[d]) throw new InputException(w + ": shape of " + name + " does not match " + p.shapeString());
            }
            String dtype = String.valueOf(e.get("dtype")), wanted = "mask".equals(kind) ? "u8" : "f32";
            if (!dtype.equals(wanted)) throw new InputException(w + ": " + kind + " " + name + " has dtype \"" + dtype + "\", expected " + wanted);
            if (!t.seen().add(kind + " " + name)) throw new InputException(w + ": " + kind + " " + name + " appears twice");
            switch (kind) {
                case "param": readFloats(in, p.data); break;
                case "adam_m": t.m().put(name, readFloats(in, new float[p.size()])); break;
                case "adam_v": t.v().put(name, readFloats(in, new float[p.size()])); break;
                case "mask": {
                    byte[] keep = new byte[p.size()];
                    in.readFully(keep);
                    for (int j = 0; j < keep.length; j++) {
                        if (keep[j] != 0 && keep[j] != 1) throw new InputException(f + ": mask " + name + " has value " + keep[j] + " at byte " + (offset + j));
                    }
                    t.masks().put(name, keep);
                    break;
                }
                default: throw new InputException(w + ": unknown tensor kind \"" + kind + "\"");
            }
            offset += (long) p.size() * ("mask".equals(kind) ? 1 : 4);
        }
        return t;
    }

    /** The checksum held: applies the consistency rules (section 9), installs masks and restores the optimizer. */
    private static Loaded assemble(Path f, String where, Map<String, Object> h, Gpt model, TrainSettings settings, TensorsRead t) {
        for (Tensor p : model.parameters()) {
            if (!t.seen().contains("param " + p.name)) throw new InputException(where + ": parameter " + p.name + " is missing");
        }
        TrainState st = TrainState.fromJson(h, where);
        long optimizerStep = Json.asLong(Json.field(h, "optimizer_step", where), where + ".optimizer_step");
        CheckpointRules.checkSettings(where + ".train", settings);
        CheckpointRules.checkState(where, st, optimizerStep);
        CheckpointRules.checkMoments(f.toString(), model.parameters(), t.m(), t.v(), st.step, optimizerStep);
        for (var m : t.masks().entrySet()) {
            MaskedLinear l = ModelMasks.layer(model, m.getKey());
            if (l == null) throw new InputException(where + ": mask for " + m.getKey() + ", which is not a maskable weight");
            l.setKeep(m.getValue());
        }
        AdamW opt = Models.newOptimizer(model, settings.adam());
        List<Tensor> params = model.parameters();
        float[][] m1 = new float[params.size()][], m2 = new float[params.size()][];
        for (int i = 0; i < m1.length; i++) {
            String name = params.get(i).name;
            m1[i] = t.m().getOrDefault(name, new float[params.get(i).size()]);
            m2[i] = t.v().getOrDefault(name, new float[params.get(i).size()]);
        }
        opt.restore(optimizerStep, m1, m2);
        CheckpointRules.checkMasks(f.toString(), model, settings.sparsity());
        KernelChoices.restore(model, h, where);
        return new Loaded(model, t.masks(), opt, settings, st, h);
    }

    private static float[] readFloats(DataInputStream in, float[] dst) throws IOException {
        byte[] chunk = new byte[1 << 16];
        int done = 0;
        while (done < dst.length) {
            int count = Math.min(chunk.length / 4, dst.length - done);
            in.readFully(chunk, 0, count * 4);
            ByteBuffer.wrap(chunk, 0, count * 4).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(dst, done, count);
            done += count;
        }
        return dst;
    }

    // ---------------------------------------------------------------- identity

    /**
     * SHA-256 (hex) over the parameters in canonical order (float32 little-endian), then the masks of the masked
     * layers in layer order (one byte per weight): the same bytes as the checkpoint's "param" and "mask" payloads.
     */
    public static String parameterHash(Gpt model) {
        MessageDigest sha = sha256();
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (Tensor p : model.parameters()) {
            for (float x : p.data) {
                if (!buf.hasRemaining()) {
                    sha.update(buf.array(), 0, buf.position());
                    buf.clear();
                }
                buf.putFloat(x);
            }
        }
        sha.update(buf.array(), 0, buf.position());
        for (MaskedLinear l : model.maskedLayers()) if (l.keep() != null) sha.update(l.keep());
        return HexFormat.of().formatHex(sha.digest());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
