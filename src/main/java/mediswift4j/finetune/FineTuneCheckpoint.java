package mediswift4j.finetune;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import mediswift4j.io.AtomicFiles;
import mediswift4j.io.Json;
import mediswift4j.nn.Gpt;
import mediswift4j.nn.ModelMasks;
import mediswift4j.optim.AdamW;
import mediswift4j.pubmedqa.PubmedqaPrompt;
import mediswift4j.tensor.Tensor;
import mediswift4j.tokenizer.BpeTokenizer;
import mediswift4j.train.Checkpoint;
import mediswift4j.train.Models;
import mediswift4j.train.TrainSettings;
import mediswift4j.train.TrainState;
import mediswift4j.util.InputException;

/**
 * A fine-tuned model on disk (SPEC.md section 12): a directory with two files.
 *
 *   checkpoint.bin  the network, an ordinary checkpoint (train.Checkpoint: atomic, SHA-256); dense after dense
 *                   fine-tuning (no masks), with its masks after prompt-only tuning. Its optimizer moments are
 *                   zero: fine-tuning runs are short and are not resumed.
 *   finetune.bin    8 bytes "MSW4JFTN", uint32 version 1, uint32 H, H bytes of UTF-8 JSON header, the soft prompt
 *                   "soft_prompt" (P, C) as P*C little-endian float32 (row-major), then 32 bytes SHA-256 of every
 *                   byte before them. Header: format, task, seq_len, reserve, setting, soft_prompt {name, length P,
 *                   width C, position "between_prompt_and_target"}, settings, tokenizer, data, model_sha256.
 * finetune.bin is written second (atomically) and names the parameter hash of the network it belongs to
 * (Checkpoint.parameterHash); loading checks it, so a pair from two different runs is rejected.
 * A directory with only checkpoint.bin (a pre-training run) loads as a zero-shot model: P = 0, T = context.
 */
public final class FineTuneCheckpoint {
    private FineTuneCheckpoint() {}

    public static final String FILE_NAME = "finetune.bin";
    private static final byte[] MAGIC = "MSW4JFTN".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;

    /** What {@link #load} reads: the checkpoint, the soft prompt (P = 0 when absent) and the header (null when absent). */
    public record Loaded(Checkpoint.Loaded checkpoint, SoftPrompt softPrompt, Map<String, Object> header, Path dir) {
        /** The tokenizer directory recorded by fine-tuning or pre-training, or null. */
        public String tokenizer() {
            Object t = header == null ? null : header.get("tokenizer");
            return t instanceof String ? (String) t : checkpoint.state().tokenizer;
        }

        /** The task the model was tuned for, or null for a pre-training checkpoint. */
        public String task() {
            return header == null ? null : (String) header.get("task");
        }

        /** The model for `task` (an InputException when it was tuned for the other task). */
        public FineTunedModel model(String task, BpeTokenizer tok) {
            Gpt model = checkpoint.model();
            if (tok.vocabSize() > model.config().vocabSize()) {
                throw new InputException(dir + ": the tokenizer has " + tok.vocabSize() + " tokens, the model only "
                        + model.config().vocabSize() + " (use the tokenizer the model was trained with)");
            }
            if (header == null) return FineTunedModel.zeroShot(model, task, tok);
            String where = dir.resolve(FILE_NAME) + ": header";
            if (!task.equals(task())) {
                throw new InputException(where + ": the model was fine-tuned for " + task() + ", not " + task);
            }
            int t = (int) Json.asLong(Json.field(header, "seq_len", where), where + ".seq_len");
            int reserve = (int) Json.asLong(Json.field(header, "reserve", where), where + ".reserve");
            PubmedqaPrompt.Setting setting = "reasoning_free".equals(header.get("setting"))
                    ? PubmedqaPrompt.Setting.REASONING_FREE : PubmedqaPrompt.Setting.REASONING_REQUIRED;
            try {
                return new FineTunedModel(model, softPrompt, task, t, reserve, setting);
            } catch (IllegalArgumentException e) {
                throw new InputException(where + ": " + e.getMessage());
            }
        }
    }

    /** Writes DIR/checkpoint.bin then DIR/finetune.bin. */
    public static void save(Path dir, FineTunedModel ft, FineTuneSettings s, String tokenizer, List<String> data, long steps,
                            long tokensSeen) throws IOException {
        Gpt model = ft.model();
        double[] sp = ModelMasks.sparsities(model);
        double sparsity = 0;
        for (double x : sp) sparsity = Math.max(sparsity, x);
        AdamW.Settings adam = new AdamW.Settings(0.9f, 0.98f, 1e-8f, (float) s.weightDecay());
        TrainSettings ts = new TrainSettings((int) Math.max(1, Math.min(Integer.MAX_VALUE, steps)), s.batch(), ft.seqLen(), 1, s.lr(),
                0, s.clipNorm(), 0f, 0, 16, 0, s.seed(), sparsity, adam);
        TrainState st = new TrainState();
        st.step = steps;
        st.tokensSeen = tokensSeen;
        st.tokenizer = tokenizer;
        st.data = new ArrayList<>(data);
        Checkpoint.save(dir, model, Models.newOptimizer(model, adam), ts, st);

        Tensor v = ft.softPrompt().vectors;
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("format", "mediswift4j-finetune");
        h.put("task", ft.task());
        h.put("seq_len", (long) ft.seqLen());
        h.put("reserve", (long) ft.reserve());
        h.put("setting", ft.setting() == PubmedqaPrompt.Setting.REASONING_FREE ? "reasoning_free" : "reasoning_required");
        Map<String, Object> spj = new LinkedHashMap<>();
        spj.put("name", SoftPrompt.NAME);
        spj.put("length", (long) v.dim(0));
        spj.put("width", (long) v.dim(1));
        spj.put("position", SoftPrompt.POSITION);
        h.put("soft_prompt", spj);
        Map<String, Object> sj = new LinkedHashMap<>();
        sj.put("prompt_init", s.promptInit());
        sj.put("prompt_only", s.promptOnly());
        sj.put("epochs", (long) s.epochs());
        sj.put("lr", s.lr());
        sj.put("batch", (long) s.batch());
        sj.put("seed", TrainSettings.exactLong(s.seed()));
        sj.put("warmup_fraction", s.warmupFraction());
        sj.put("weight_decay", s.weightDecay());
        sj.put("clip_norm", s.clipNorm());
        sj.put("steps", steps);
        h.put("settings", sj);
        h.put("tokenizer", tokenizer);
        h.put("data", new ArrayList<Object>(data));
        h.put("model_sha256", Checkpoint.parameterHash(model));
        byte[] header = Json.write(h).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(dir.resolve(FILE_NAME), raw -> {
            MessageDigest sha = sha256();
            OutputStream out = new DigestOutputStream(raw, sha);
            ByteBuffer pre = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            pre.put(MAGIC).putInt(VERSION).putInt(header.length);
            out.write(pre.array(), 0, 16);
            out.write(header);
            ByteBuffer body = ByteBuffer.allocate(4 * v.size()).order(ByteOrder.LITTLE_ENDIAN);
            for (float x : v.data) body.putFloat(x);
            out.write(body.array());
            out.flush();
            raw.write(sha.digest());
        });
    }

    /** Reads DIR (or DIR/checkpoint.bin) and DIR/finetune.bin when present; everything verified. */
    public static Loaded load(Path path) {
        Path dir = Files.isDirectory(path) ? path : (path.getParent() == null ? Path.of(".") : path.getParent());
        Checkpoint.Loaded ck = Checkpoint.load(path);
        Path f = dir.resolve(FILE_NAME);
        int c = ck.model().config().dModel();
        if (!Files.isRegularFile(f)) return new Loaded(ck, SoftPrompt.none(c), null, dir);
        byte[] all;
        try {
            all = Files.readAllBytes(f);
        } catch (IOException e) {
            throw new InputException(f + ": cannot read (" + e.getMessage() + ")");
        }
        if (all.length < 16 + 32) throw new InputException(f + ": truncated (" + all.length + " bytes)");
        ByteBuffer bb = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[8];
        bb.get(magic);
        if (!Arrays.equals(magic, MAGIC)) throw new InputException(f + ": not a mediswift4j fine-tuning file (bad magic at byte 0)");
        int version = bb.getInt();
        if (version != VERSION) throw new InputException(f + ": unsupported version " + version + " at byte 8");
        int hlen = bb.getInt();
        if (hlen < 2 || 16L + hlen + 32 > all.length) throw new InputException(f + ": truncated (header length " + hlen + " at byte 12)");
        MessageDigest sha = sha256();
        sha.update(all, 0, all.length - 32);
        if (!MessageDigest.isEqual(sha.digest(), Arrays.copyOfRange(all, all.length - 32, all.length))) {
            throw new InputException(f + ": checksum mismatch at byte " + (all.length - 32) + " (the file is corrupted)");
        }
        String where = f + ": header";
        Map<String, Object> h = Json.asObject(Json.parse(new String(all, 16, hlen, StandardCharsets.UTF_8), where), where);
        Map<String, Object> spj = Json.asObject(Json.field(h, "soft_prompt", where), where + ".soft_prompt");
        long p = Json.asLong(Json.field(spj, "length", where + ".soft_prompt"), where + ".soft_prompt.length");
        long w = Json.asLong(Json.field(spj, "width", where + ".soft_prompt"), where + ".soft_prompt.width");
        if (w != c) throw new InputException(where + ".soft_prompt.width: " + w + " but the model's width is " + c);
        if (p < 0 || p > ck.model().config().contextLength()) throw new InputException(where + ".soft_prompt.length: " + p + " out of range");
        if (!SoftPrompt.POSITION.equals(spj.get("position"))) {
            throw new InputException(where + ".soft_prompt.position: unsupported \"" + spj.get("position") + "\"");
        }
        long expected = 16L + hlen + 4 * p * w + 32;
        if (expected != all.length) {
            throw new InputException(f + ": " + (all.length < expected ? "truncated" : "trailing bytes") + ": " + all.length
                    + " bytes, the header describes " + expected);
        }
        String task = Json.asString(Json.field(h, "task", where), where + ".task");
        if (!task.equals(FineTunedModel.PUBMEDQA) && !task.equals(FineTunedModel.HOC)) {
            throw new InputException(where + ".task: unknown task \"" + task + "\"");
        }
        String hash = Json.asString(Json.field(h, "model_sha256", where), where + ".model_sha256");
        if (!hash.equals(Checkpoint.parameterHash(ck.model()))) {
            throw new InputException(f + ": belongs to another network than " + Checkpoint.file(dir) + " (model_sha256 differs)");
        }
        SoftPrompt sp = SoftPrompt.zeros((int) p, c);
        bb.position(16 + hlen);
        bb.asFloatBuffer().get(sp.vectors.data, 0, (int) (p * w));
        return new Loaded(ck, sp, h, dir);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
