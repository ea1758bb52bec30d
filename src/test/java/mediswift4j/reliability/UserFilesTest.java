package mediswift4j.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import mediswift4j.TaskTestSupport;
import mediswift4j.io.AtomicFiles;
import mediswift4j.io.Json;
import mediswift4j.io.RunLock;
import mediswift4j.io.SafeTensors;
import mediswift4j.io.TensorEntry;
import mediswift4j.nn.ModelMasks;
import mediswift4j.train.Checkpoint;
import mediswift4j.util.InputException;

/**
 * Issue 17, "never lose a user's file": one test per row of the table. Each ran against the code before
 * the fix and failed there (an input overwritten, a run replaced, a forged file loaded, a negative number taken as
 * "not given", ...). Fixture: a tokenizer trained on a small text, its token file, and a 2-step mediswift-tiny run.
 */
class UserFilesTest {
    @TempDir
    static Path dir;

    static Path text, tok, tokens, run;

    @BeforeAll
    static void fixture() throws Exception {
        text = dir.resolve("corpus.txt");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            sb.append("Protein kinase ").append(i % 7).append(" regulates apoptosis in tumour cells of patient ").append(i)
                    .append(". The trial measured outcome ").append(i % 5).append(".\n\n");
        }
        Files.writeString(text, sb.toString());
        tok = dir.resolve("tok");
        ok("tokenizer", "train", "--input", text.toString(), "--vocab-size", "300", "--out", tok.toString());
        tokens = dir.resolve("corpus.tokens");
        ok("data", "tokenize", "--tokenizer", tok.toString(), "--input", text.toString(), "--out", tokens.toString());
        run = dir.resolve("run");
        ok(pretrain(run, "--steps", "2"));
    }

    /** A 2-step pretrain command line into `out`; `more` adds options or replaces the defaults' values. */
    static String[] pretrain(Path out, String... more) {
        Map<String, String> opts = new LinkedHashMap<>(Map.of("--config", "mediswift-tiny", "--sparsity", "0.5", "--batch", "2",
                "--seq-len", "8", "--steps", "2", "--data", tokens.toString(), "--out", out.toString()));
        List<String> flags = new ArrayList<>();
        for (int i = 0; i < more.length; i++) {
            if (i + 1 < more.length && !more[i + 1].startsWith("--")) opts.put(more[i], more[++i]);
            else flags.add(more[i]);
        }
        List<String> a = new ArrayList<>(List.of("pretrain"));
        opts.forEach((k, v) -> a.addAll(List.of(k, v)));
        a.addAll(flags);
        return a.toArray(new String[0]);
    }

    static TaskTestSupport.Result ok(String... argv) {
        TaskTestSupport.Result r = TaskTestSupport.cli(argv);
        assertEquals(0, r.code(), String.join(" ", argv) + "\n" + r.err());
        return r;
    }

    /** Runs argv, expects `code` and an error line mentioning every string in `mentions`. */
    static void refused(int code, List<String> mentions, String... argv) {
        TaskTestSupport.Result r = TaskTestSupport.cli(argv);
        assertEquals(code, r.code(), String.join(" ", argv) + "\n" + r.err());
        for (String m : mentions) assertTrue(r.err().contains(m), "expected '" + m + "' in: " + r.err());
        assertTrue(!r.err().contains("\tat "), r.err());
    }

    static byte[] bytes(Path p) throws IOException {
        return Files.readAllBytes(p);
    }

    // ---- row 1: an output that is an input

    @Test
    void row1OutputEqualToAnInputIsRefusedAndTheInputKept() throws Exception {
        byte[] before = bytes(text);
        refused(2, List.of("is also an input"), "data", "tokenize", "--tokenizer", tok.toString(), "--input", text.toString(),
                "--out", text.toString());
        refused(2, List.of("is also an input"), "tokenizer", "encode", "--tokenizer", tok.toString(), "--input", text.toString(),
                "--out", dir.resolve(".").resolve("corpus.txt").toString());
        assertArrayEquals(before, bytes(text));
        byte[] ck = bytes(Checkpoint.file(run));
        refused(2, List.of("is also an input"), "export", "--checkpoint", run.toString(), "--out", Checkpoint.file(run).toString(),
                "--overwrite");
        assertArrayEquals(ck, bytes(Checkpoint.file(run)));
    }

    // ---- row 2: an existing run or file is not replaced without being asked

    @Test
    void row2ExistingRunNeedsResumeOrOverwrite() throws Exception {
        Path other = dir.resolve("row2");
        ok(pretrain(other, "--steps", "3"));
        byte[] ck = bytes(Checkpoint.file(other));
        refused(2, List.of(other.toString(), "--resume", "--overwrite"), pretrain(other, "--steps", "2"));
        assertArrayEquals(ck, bytes(Checkpoint.file(other)));

        Path st = dir.resolve("row2.safetensors");
        ok("export", "--checkpoint", run.toString(), "--out", st.toString());
        refused(2, List.of(st.toString(), "already exists", "--overwrite"), "export", "--checkpoint", run.toString(), "--out", st.toString());
        refused(2, List.of(other.toString(), "--overwrite"), "import", "--in", st.toString(), "--out", other.toString());
        assertArrayEquals(ck, bytes(Checkpoint.file(other)));
        ok("import", "--in", st.toString(), "--out", other.toString(), "--overwrite");
        ok(pretrain(other, "--steps", "2", "--overwrite"));
        assertEquals(2, Checkpoint.load(other).state().step);
    }

    // ---- row 3: one writer per run directory

    @Test
    void row3SecondWriterInAnotherProcessIsRefusedUntilTheHolderDies() throws Exception {
        Path shared = dir.resolve("row3");
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-cp", System.getProperty("java.class.path"), LockHolder.class.getName(), shared.toString())
                .redirectErrorStream(true).start();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("locked", r.readLine());
            refused(1, List.of(shared + " is in use by process " + holder.pid()), pretrain(shared));
            refused(1, List.of("is in use by process " + holder.pid()), "import", "--in", dir.resolve("none.safetensors").toString(),
                    "--out", shared.toString());
            assertTrue(!Files.exists(Checkpoint.file(shared)));
        } finally {
            holder.destroyForcibly().waitFor();
        }
        ok(pretrain(shared)); // the OS dropped the killed holder's lock: no stale lock
    }

    @Test
    void row3SecondLockInTheSameJvmIsInUseToo() {
        Path shared = dir.resolve("row3b");
        try (RunLock first = RunLock.acquire(shared)) {
            InputException e = assertThrows(InputException.class, () -> RunLock.acquire(shared));
            assertTrue(e.getMessage().contains("is in use by process " + ProcessHandle.current().pid()), e.getMessage());
        }
        RunLock.acquire(shared).close();
    }

    // ---- rows 5 and 6: loaders check the whole story

    @Test
    void row5ImportRefusesASparseClaimWithoutMasks() throws Exception {
        Path st = dir.resolve("row5.safetensors");
        ok("export", "--checkpoint", run.toString(), "--out", st.toString(), "--weights-only");
        SafeTensors.Contents c = SafeTensors.read(st);
        LinkedHashMap<String, TensorEntry> noMasks = new LinkedHashMap<>();
        c.tensors.forEach((k, v) -> {
            if (!k.endsWith(".mask")) noMasks.put(k, v);
        });
        Path forged = dir.resolve("row5-nomask.safetensors");
        SafeTensors.write(forged, noMasks, c.metadata);
        refused(1, List.of(forged.toString(), "sparsity is 0.5", "has no mask"), "import", "--in", forged.toString(), "--out",
                dir.resolve("row5-out").toString());
        assertTrue(!Files.exists(dir.resolve("row5-out")));
    }

    @Test
    void row5ForgedCheckpointsWithAValidChecksumAreRefused() throws Exception {
        expectLoadError("step", h -> h.put("step", -5L));
        expectLoadError("dtype \"f64\"", h -> entries(h).get(0).put("dtype", "f64"));
        expectLoadError("twice", h -> {
            for (Map<String, Object> e : entries(h)) if (e.get("name").equals("ln_f.bias") && e.get("kind").equals("param")) e.put("name", "ln_f.weight");
        });
        expectLoadError("incomplete", h -> entries(h).removeIf(e -> e.get("kind").equals("adam_v")));
        expectLoadError("has no mask", h -> entries(h).removeIf(e -> e.get("kind").equals("mask")));
    }

    @Test
    void row6NegativeSecondMomentIsRefusedByImportAndLoad() throws Exception {
        Path st = dir.resolve("row6.safetensors");
        ok("export", "--checkpoint", run.toString(), "--out", st.toString());
        SafeTensors.Contents c = SafeTensors.read(st);
        String key = c.tensors.keySet().stream().filter(k -> k.endsWith("ln_f.weight.exp_avg_sq")).findFirst().orElseThrow();
        float[] v = c.tensors.get(key).floats().clone();
        v[3] = -1f;
        c.tensors.put(key, TensorEntry.f32(v, c.tensors.get(key).shape()));
        Path forged = dir.resolve("row6-neg.safetensors");
        SafeTensors.write(forged, c.tensors, c.metadata);
        refused(1, List.of(forged.toString(), "second moment of ln_f.weight is -1.0"), "import", "--in", forged.toString(), "--out",
                dir.resolve("row6-out").toString());

        Checkpoint.Loaded ck = Checkpoint.load(run);
        ck.optimizer().secondMoment(0)[0] = -1f;
        Path saved = dir.resolve("row6-ck");
        Checkpoint.save(saved, ck.model(), ck.optimizer(), ck.settings(), ck.state());
        InputException e = assertThrows(InputException.class, () -> Checkpoint.load(saved));
        assertTrue(e.getMessage().contains("second moment"), e.getMessage());
    }

    /** Rewrites RUN/checkpoint.bin's header (and the payload of dropped tensors) with a fresh, valid checksum. */
    static void expectLoadError(String mention, Consumer<Map<String, Object>> edit) throws Exception {
        byte[] b = bytes(Checkpoint.file(run));
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int hlen = bb.getInt(12);
        @SuppressWarnings("unchecked")
        Map<String, Object> h = (Map<String, Object>) Json.parse(new String(b, 16, hlen, StandardCharsets.UTF_8), "header");
        List<Map<String, Object>> before = new ArrayList<>(entries(h));
        edit.accept(h);
        // drop the payload of removed tensors (the edits remove only trailing kinds or keep the count)
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        long off = 16L + hlen;
        for (Map<String, Object> e : before) {
            long n = "mask".equals(e.get("kind")) ? 1 : 4;
            for (Object d : (List<?>) e.get("shape")) n *= ((Number) d).longValue();
            if (entries(h).contains(e)) payload.write(b, (int) off, (int) n);
            off += n;
        }
        byte[] header = Json.write(h).getBytes(StandardCharsets.UTF_8);
        ByteBuffer pre = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        pre.put(b, 0, 12).putInt(header.length);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.write(pre.array());
        all.write(header);
        all.write(payload.toByteArray());
        all.write(MessageDigest.getInstance("SHA-256").digest(all.toByteArray()));
        Path forged = dir.resolve("forged-" + mention.hashCode());
        Files.createDirectories(forged);
        Files.write(Checkpoint.file(forged), all.toByteArray());
        InputException e = assertThrows(InputException.class, () -> Checkpoint.load(forged));
        assertTrue(e.getMessage().contains(mention) && e.getMessage().contains("checkpoint.bin"), e.getMessage());
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> entries(Map<String, Object> h) {
        return (List<Map<String, Object>>) (List<?>) h.get("tensors");
    }

    // ---- rows 7, 8, 9: numbers checked where they are parsed

    @Test
    void row7NegativeNumbersAreRangeErrors() {
        for (String[] opt : List.of(new String[] {"--seq-len", "-5"}, new String[] {"--warmup", "-1"}, new String[] {"--eval-every", "-7"},
                new String[] {"--checkpoint-every", "-1"}, new String[] {"--batch", "0"})) {
            refused(2, List.of(opt[0] + " must be in [", "got " + opt[1]), pretrain(dir.resolve("row7"), opt));
        }
        refused(2, List.of("--vocab-size must be in [257, "), "tokenizer", "train", "--input", text.toString(), "--vocab-size", "-5",
                "--out", dir.resolve("row7-tok").toString());
        assertTrue(!Files.exists(dir.resolve("row7")));
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // before the fix: 53 s of thread creation
    void row8ThreadsHaveAnUpperBound() {
        long t0 = System.nanoTime();
        refused(2, List.of("--threads must be in [1, " + 4 * Runtime.getRuntime().availableProcessors() + "]"),
                pretrain(dir.resolve("row8"), "--threads", "100000"));
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "refused at once");
        assertTrue(TaskTestSupport.cli("pretrain", "--help").out().contains("--threads [1, 4 x cores]"));
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // before the fix: steps of 3.2e9 tokens
    void row9AccumIsCheckedAgainstTheData() {
        refused(2, List.of("--accum must be in [1, 65536]"), pretrain(dir.resolve("row9"), "--accum", "100000000"));
        refused(2, List.of("--accum 60000", "exceeds the training split"), pretrain(dir.resolve("row9"), "--accum", "60000"));
        assertTrue(!Files.exists(dir.resolve("row9")));
    }

    // ---- row 10: I/O errors name the path and the operation

    @Test
    void row10IoErrorsNameThePathAndWhatIsKept() throws Exception {
        Path target = dir.resolve("row10.bin");
        Files.writeString(target, "previous");
        IOException e = assertThrows(IOException.class,
                () -> AtomicFiles.write(target, out -> { throw new IOException("No space left on device"); }));
        assertTrue(e.getMessage().contains(target.toString()) && e.getMessage().contains("No space left on device")
                && e.getMessage().contains("previous") && e.getMessage().contains("kept"), e.getMessage());
        assertEquals("previous", Files.readString(target));

        refused(2, List.of(text + " is a file, not a directory"), pretrain(text));
        refused(2, List.of(tok + " is a directory"), "export", "--checkpoint", run.toString(), "--out", tok.toString());
    }

    // ---- row 11: verify checks every shape

    @Test
    void row11VerifyRefusesShapesThatDoNotFitTheConfig() throws Exception {
        Path st = dir.resolve("row11.safetensors");
        ok("export", "--checkpoint", run.toString(), "--out", st.toString());
        ok("verify", "--checkpoint", st.toString());
        SafeTensors.Contents c = SafeTensors.read(st);
        for (String name : List.of("h.0.mlp.c_fc.weight", "h.0.mlp.c_fc.weight.mask")) {
            TensorEntry t = c.tensors.get(name);
            c.tensors.put(name, reshaped(t, 256, 256)); // 128 x 512 has as many elements
        }
        Path bad = dir.resolve("row11-fc.safetensors");
        SafeTensors.write(bad, c.tensors, c.metadata);
        TaskTestSupport.Result r = TaskTestSupport.cli("verify", "--checkpoint", bad.toString());
        assertEquals(1, r.code(), r.out());
        assertTrue(r.out().contains("h.0.mlp.c_fc.weight: shape [256, 256], expected [128, 512]"), r.out());

        SafeTensors.Contents d = SafeTensors.read(st);
        TensorEntry ln = d.tensors.get("h.0.ln_1.weight");
        d.tensors.put("h.0.ln_1.weight", reshaped(ln, 2, 64));
        Path bad2 = dir.resolve("row11-ln.safetensors");
        SafeTensors.write(bad2, d.tensors, Map.of()); // no config in the metadata: the other tensors say C = 128
        r = TaskTestSupport.cli("verify", "--checkpoint", bad2.toString());
        assertEquals(1, r.code(), r.out());
        assertTrue(r.out().contains("h.0.ln_1.weight: shape [2, 64], expected [128]"), r.out());
    }

    static TensorEntry reshaped(TensorEntry t, long... shape) {
        return t.dtype() == SafeTensors.DType.F32 ? TensorEntry.f32(t.floats(), shape) : TensorEntry.raw(t.dtype(), t.bytes(), shape);
    }

    // ---- row 12: refusals before work

    @Test
    void row12GenerateWithASmallerTokenizerIsRefusedUpFront() throws Exception {
        Path small = dir.resolve("row12-tok");
        ok("tokenizer", "train", "--input", text.toString(), "--vocab-size", "270", "--out", small.toString());
        TaskTestSupport.Result r = TaskTestSupport.cli("generate", "--checkpoint", run.toString(), "--tokenizer", small.toString(),
                "--prompt", "Protein kinase", "--max-tokens", "4");
        assertEquals(1, r.code(), r.err());
        assertEquals("", r.out(), "nothing printed before the refusal");
        // The run records its tokenizer's hash (issue 18), so the hash check speaks first; without a record the
        // vocabulary check does. Either way: refused before anything is printed.
        assertTrue(r.err().contains("differs from the model's") || r.err().contains("not the tokenizer this model was trained with"), r.err());
    }

    @Test
    void row12ValFractionIsNeverIgnored() {
        refused(2, List.of("--val-fraction applies to corpus files"), pretrain(dir.resolve("row12"), "--val-fraction", "0.2"));
        refused(2, List.of("--val-fraction must be in [0, 1)"), "pretrain", "--config", "mediswift-tiny", "--steps", "1", "--data",
                text.toString(), "--tokenizer", tok.toString(), "--val-fraction", "1.5", "--out", dir.resolve("row12b").toString());
        assertTrue(!Files.exists(dir.resolve("row12")) && !Files.exists(dir.resolve("row12b")));
    }
}
