package mediswift4j.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import mediswift4j.cli.Main;
import mediswift4j.data.TokenFile;
import mediswift4j.io.Json;
import mediswift4j.io.SafeTensors;
import mediswift4j.io.TensorEntry;
import mediswift4j.nn.ModelConfig;
import mediswift4j.optim.AdamW;
import mediswift4j.tensor.Tensor;
import mediswift4j.train.Checkpoint;
import mediswift4j.train.TrainSettings;
import mediswift4j.train.Trainer;
import mediswift4j.util.Rng;

/**
 * export then import gives back the same checkpoint (same `checkpoint info` SHA-256, moments, step and run state,
 * in fact the same checkpoint.bin bytes), for both layouts and both mask dtypes; a plain HF GPT-2 file imports as a
 * dense model; an exported sparse checkpoint passes `verify`, and fails it once a masked weight is tampered with.
 */
class ExportImportTest {
    static final ModelConfig TINY = new ModelConfig("export-tiny", 2, 16, 2, 8, 23);

    @TempDir
    static Path dir;

    static Path trained;

    /** A checkpoint after 3 AdamW steps at sparsity 0.5, so masks, moments and run state are all non-trivial. */
    @BeforeAll
    static void train() throws Exception {
        Rng rng = new Rng(11);
        int[] ids = new int[600];
        for (int i = 0; i < ids.length; i++) ids[i] = i % 4 == 0 ? rng.nextInt(23) : (ids[i - 1] * 3 + 1) % 23;
        TokenFile data = new TokenFile(23, ids, TokenFile.validationStart(ids.length, 0.1));
        TrainSettings s = new TrainSettings(3, 3, 7, 1, 1e-2, 1, 1.0, 0f, 0, 4, 0, 42, 0.5, AdamW.DEFAULTS);
        trained = dir.resolve("trained");
        Trainer.fresh(TINY, data, s, null).run(3, trained, null);
    }

    static String lastOut, lastErr;

    static int cli(String... argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            code = Main.run(argv, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        } finally {
            System.setOut(saved);
        }
        lastOut = out.toString(StandardCharsets.UTF_8);
        lastErr = err.toString(StandardCharsets.UTF_8);
        return code;
    }

    static String infoSha(Path ckDir) {
        assertEquals(0, cli("checkpoint", "info", ckDir.toString(), "--json"), lastErr);
        return (String) Json.asObject(Json.parse(lastOut, "info"), "info").get("parameters_sha256");
    }

    @Test
    void exportThenImportIsTheIdentity() throws Exception {
        String original = infoSha(trained);
        Checkpoint.Loaded a = Checkpoint.load(trained);
        String[][] variants = {{"hf", "u8"}, {"torch-linear", "bool"}};
        for (String[] v : variants) {
            Path f = dir.resolve("rt-" + v[0] + ".safetensors"), back = dir.resolve("back-" + v[0]);
            assertEquals(0, cli("export", "--checkpoint", trained.toString(), "--out", f.toString(), "--format", v[0], "--mask-dtype", v[1]), lastErr);
            assertEquals(0, cli("import", "--in", f.toString(), "--out", back.toString()), lastErr);
            assertEquals(original, infoSha(back), v[0]);
            Checkpoint.Loaded b = Checkpoint.load(back);
            assertEquals(a.optimizer().stepCount(), b.optimizer().stepCount());
            for (int i = 0; i < a.model().parameters().size(); i++) {
                assertArrayEquals(a.optimizer().firstMoment(i), b.optimizer().firstMoment(i));
                assertArrayEquals(a.optimizer().secondMoment(i), b.optimizer().secondMoment(i));
            }
            assertEquals(a.settings(), b.settings());
            assertEquals(a.state().dataRngState, b.state().dataRngState);
            assertEquals(a.state().step, b.state().step);
            // everything the checkpoint holds is carried over, so the files are byte for byte the same
            assertArrayEquals(Files.readAllBytes(Checkpoint.file(trained)), Files.readAllBytes(Checkpoint.file(back)), v[0]);
        }
    }

    @Test
    void hfLayoutTransposesTheProjectionsAndNamesMatchGpt2() throws Exception {
        Path f = dir.resolve("names.safetensors");
        assertEquals(0, cli("export", "--checkpoint", trained.toString(), "--out", f.toString()), lastErr);
        SafeTensors.Contents c = SafeTensors.read(f);
        Checkpoint.Loaded a = Checkpoint.load(trained);
        int cw = TINY.dModel();
        assertArrayEquals(new long[] {cw, 3 * cw}, c.tensors.get("h.1.attn.c_attn.weight").shape());
        assertArrayEquals(new long[] {cw, 4 * cw}, c.tensors.get("h.0.mlp.c_fc.weight").shape());
        assertArrayEquals(new long[] {4 * cw, cw}, c.tensors.get("h.0.mlp.c_proj.weight").shape());
        assertArrayEquals(new long[] {TINY.vocabSize(), cw}, c.tensors.get("wte.weight").shape());
        // HF (IN, OUT)[i][o] == ours (OUT, IN)[o][i], for the square attn.c_proj too
        Tensor ours = a.model().parameter("h.0.attn.c_proj.weight");
        float[] hf = c.tensors.get("h.0.attn.c_proj.weight").floats();
        for (int o = 0; o < cw; o++) for (int i = 0; i < cw; i++) assertEquals(ours.data[o * cw + i], hf[i * cw + o]);
        assertEquals(SafeTensors.DType.U8, c.tensors.get("h.0.attn.c_proj.weight.mask").dtype());
        assertNull(c.tensors.get("wte.weight.mask"));
        assertTrue(c.tensors.containsKey("ln_f.bias.exp_avg_sq"));
        assertEquals("hf", c.metadata.get("mediswift4j.layout"));
        assertEquals("2", c.metadata.get("n_head"));
        // every name is a GPT-2 name (or a mask / moment of one)
        for (String k : c.tensors.keySet()) {
            String base = k.replaceAll("\\.(mask|exp_avg|exp_avg_sq)$", "");
            assertNotEquals(Gpt2Names.Kind.OTHER, Gpt2Names.kind(base), k);
        }
    }

    @Test
    void plainHfFileImportsAsDenseModel() throws Exception {
        Path f = dir.resolve("weights.safetensors");
        assertEquals(0, cli("export", "--checkpoint", trained.toString(), "--out", f.toString(), "--weights-only"), lastErr);
        SafeTensors.Contents c = SafeTensors.read(f);
        // what GPT2LMHeadModel's save_file gives: prefixed names, causal-mask buffers, a tied lm_head, no masks
        LinkedHashMap<String, TensorEntry> hf = new LinkedHashMap<>();
        for (var e : c.tensors.entrySet()) {
            if (e.getKey().endsWith(".mask")) continue;
            hf.put("transformer." + e.getKey(), e.getValue());
        }
        for (int i = 0; i < TINY.layers(); i++) {
            hf.put("transformer.h." + i + ".attn.bias", TensorEntry.f32(new float[64], 1, 1, 8, 8));
        }
        hf.put("lm_head.weight", c.tensors.get("wte.weight"));
        Path plain = dir.resolve("plain.safetensors");
        SafeTensors.write(plain, hf, Map.of("format", "pt"));

        assertEquals(1, cli("import", "--in", plain.toString(), "--out", dir.resolve("noheads").toString()));
        assertTrue(lastErr.contains("--heads"), lastErr);
        Path back = dir.resolve("plain-back");
        assertEquals(0, cli("import", "--in", plain.toString(), "--out", back.toString(), "--heads", "2", "--json"), lastErr);
        Map<String, Object> out = Json.asObject(Json.parse(lastOut, "import"), "import");
        assertEquals(0L, Json.asLong(out.get("masks"), "masks"));
        assertEquals(Boolean.FALSE, out.get("optimizer_state"));
        Checkpoint.Loaded a = Checkpoint.load(trained), b = Checkpoint.load(back);
        assertEquals(new ModelConfig("imported", 2, 16, 2, 8, 23), b.model().config());
        for (int i = 0; i < a.model().parameters().size(); i++) {
            assertArrayEquals(a.model().parameters().get(i).data, b.model().parameters().get(i).data, a.model().parameters().get(i).name);
            assertTrue(allZero(b.optimizer().firstMoment(i)) && allZero(b.optimizer().secondMoment(i)));
        }
        assertTrue(b.masks().isEmpty());
        assertEquals(0, b.optimizer().stepCount());
    }

    @Test
    void exportedCheckpointPassesVerifyAndTamperingFailsIt() throws Exception {
        Path f = dir.resolve("verify.safetensors");
        assertEquals(0, cli("export", "--checkpoint", trained.toString(), "--out", f.toString()), lastErr);
        assertEquals(0, cli("verify", "--checkpoint", f.toString(), "--sparsity", "0.5"), lastOut + lastErr);
        assertEquals(1, cli("verify", "--checkpoint", f.toString(), "--sparsity", "0.75"));

        SafeTensors.Contents c = SafeTensors.read(f);
        String name = "h.1.mlp.c_fc.weight";
        byte[] keep = c.tensors.get(name + ".mask").bytes();
        int at = 0;
        while (keep[at] != 0) at++;
        c.tensors.get(name).floats()[at] = 1e-3f;
        Path bad = dir.resolve("tampered.safetensors");
        SafeTensors.write(bad, c.tensors, c.metadata);
        assertEquals(1, cli("verify", "--checkpoint", bad.toString(), "--sparsity", "0.5"));
        assertTrue(lastOut.contains(name), lastOut);
        // import refuses it too, naming the tensor
        assertEquals(1, cli("import", "--in", bad.toString(), "--out", dir.resolve("tampered").toString()));
        assertTrue(lastErr.contains(name) && lastErr.contains("masked"), lastErr);
    }

    @Test
    void badFilesAreRejectedWithTheirName() throws Exception {
        Path f = dir.resolve("base.safetensors");
        assertEquals(0, cli("export", "--checkpoint", trained.toString(), "--out", f.toString()), lastErr);
        SafeTensors.Contents c = SafeTensors.read(f);

        LinkedHashMap<String, TensorEntry> t = new LinkedHashMap<>(c.tensors);
        t.put("h.0.attn.rotary.weight", TensorEntry.f32(new float[2], 2));
        expectImportError(t, c.metadata, "h.0.attn.rotary.weight");

        t = new LinkedHashMap<>(c.tensors);
        t.remove("h.1.ln_2.bias");
        expectImportError(t, c.metadata, "h.1.ln_2.bias");

        t = new LinkedHashMap<>(c.tensors);
        byte[] keep = t.get("h.0.mlp.c_proj.weight.mask").bytes().clone();
        keep[3] = 2;
        t.put("h.0.mlp.c_proj.weight.mask", TensorEntry.u8(keep, t.get("h.0.mlp.c_proj.weight").shape()));
        expectImportError(t, c.metadata, "h.0.mlp.c_proj.weight.mask");

        t = new LinkedHashMap<>(c.tensors);
        t.put("wte.weight.mask", TensorEntry.u8(new byte[(int) t.get("wte.weight").numel()], t.get("wte.weight").shape()));
        expectImportError(t, c.metadata, "not sparsifiable");

        t = new LinkedHashMap<>(c.tensors);
        t.remove("wpe.weight.exp_avg");
        expectImportError(t, c.metadata, "wpe.weight.exp_avg");

        t = new LinkedHashMap<>(c.tensors);
        TensorEntry w = t.get("h.0.attn.c_proj.weight");
        t.put("h.0.attn.c_proj.weight", TensorEntry.f32(w.floats().clone(), w.dim(0) / 2, w.dim(1) * 2));
        expectImportError(t, c.metadata, "h.0.attn.c_proj.weight");
    }

    @Test
    void usageErrorsExitTwo() {
        Path f = dir.resolve("u.safetensors");
        assertEquals(2, cli("export", "--checkpoint", trained.toString(), "--out", f.toString(), "--format", "conv1d"));
        assertEquals(2, cli("export", "--checkpoint", trained.toString(), "--out", f.toString(), "--mask-dtype", "i8"));
        assertEquals(2, cli("export", "--checkpoint", trained.toString()));
        assertEquals(2, cli("export", "--checkpoint", trained.toString(), "--out", f.toString(), "--fromat", "hf"));
        assertEquals(2, cli("import", "--in", f.toString()));
        assertEquals(2, cli("import", "--in", f.toString(), "--out", dir.resolve("u").toString(), "--heads", "0"));
        assertEquals(1, cli("import", "--in", dir.resolve("missing.safetensors").toString(), "--out", dir.resolve("u").toString()));
        assertTrue(lastErr.contains("missing.safetensors"), lastErr);
    }

    static void expectImportError(LinkedHashMap<String, TensorEntry> t, Map<String, String> meta, String mention) throws Exception {
        Path f = dir.resolve("bad.safetensors");
        SafeTensors.write(f, t, meta);
        assertEquals(1, cli("import", "--in", f.toString(), "--out", dir.resolve("bad-out").toString()), lastErr);
        assertTrue(lastErr.contains(mention) && lastErr.contains(f.toString()), lastErr);
        assertTrue(!Files.exists(dir.resolve("bad-out")));
    }

    static boolean allZero(float[] a) {
        for (float x : a) if (x != 0f) return false;
        return true;
    }
}
