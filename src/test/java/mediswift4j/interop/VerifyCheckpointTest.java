package mediswift4j.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import mediswift4j.cli.Main;
import mediswift4j.io.Json;
import mediswift4j.io.SafeTensors;
import mediswift4j.io.TensorEntry;
import mediswift4j.nn.Masks;
import mediswift4j.nn.ModelConfig;
import mediswift4j.util.Rng;

/**
 * `verify` on small hand-built checkpoints: a good one (several layouts and namings) exits 0, and each kind of
 * violation exits 1 through Main.run. Also the Gpt2Names mapping.
 */
class VerifyCheckpointTest {
    static final int C = 8, L = 2, V = 16, T = 6;

    /**
     * A statically sparse GPT-2 checkpoint in HF layout: sparse matrices masked at `sparsity` with exact counts,
     * Gaussian (so nonzero) values elsewhere, masks and Adam moments when asked.
     */
    static LinkedHashMap<String, TensorEntry> checkpoint(double sparsity, boolean withMasks, boolean withMoments, boolean hfLayout) {
        ModelConfig cfg = new ModelConfig("test", L, C, 2, T, V);
        LinkedHashMap<String, TensorEntry> out = new LinkedHashMap<>();
        Rng rng = new Rng(7);
        for (var e : Gpt2Names.parameterShapes(cfg).entrySet()) {
            String name = e.getKey();
            long[] shape = hfLayout ? Gpt2Names.hfShape(name, e.getValue()) : e.getValue();
            int n = (int) TensorEntry.numel(shape);
            float[] w = new float[n];
            for (int i = 0; i < n; i++) w[i] = (float) rng.nextGaussian();
            if (Gpt2Names.isSparsifiable(name)) {
                byte[] keep = Gpt2Names.kind(name) == Gpt2Names.Kind.ATTN_QKV_WEIGHT
                        ? qkvMask(name, sparsity, hfLayout) : Masks.random(1, name, n, sparsity);
                Masks.apply(w, keep);
                if (withMasks) out.put(name + ".mask", TensorEntry.u8(keep, shape));
                if (withMoments) {
                    float[] m = new float[n], v = new float[n];
                    for (int i = 0; i < n; i++) {
                        m[i] = keep[i] == 0 ? 0 : 0.1f;
                        v[i] = keep[i] == 0 ? 0 : 0.01f;
                    }
                    out.put(name + ".exp_avg", TensorEntry.f32(m, shape));
                    out.put("optimizer." + name + ".exp_avg_sq", TensorEntry.f32(v, shape));
                }
            }
            out.put(name, TensorEntry.f32(w, shape));
        }
        return out;
    }

    /** A c_attn mask with exactly `sparsity` in each of the Q, K and V thirds (column blocks in HF layout). */
    static byte[] qkvMask(String name, double sparsity, boolean hfLayout) {
        byte[] keep = new byte[3 * C * C];
        for (int j = 0; j < 3; j++) {
            byte[] part = Masks.random(1, name + "/" + j, C * C, sparsity); // part is (C, C) row-major
            for (int r = 0; r < C; r++) {
                for (int k = 0; k < C; k++) {
                    int at = hfLayout ? r * 3 * C + j * C + k : (j * C + r) * C + k;
                    keep[at] = part[r * C + k];
                }
            }
        }
        return keep;
    }

    static String lastOutput = "";

    static int verify(LinkedHashMap<String, TensorEntry> tensors, String... extra) throws IOException {
        Path dir = Files.createTempDirectory("verify-test");
        Path f = dir.resolve("ckpt.safetensors");
        SafeTensors.write(f, tensors, Map.of("format", "pt"));
        String[] argv = new String[3 + extra.length];
        argv[0] = "verify";
        argv[1] = "--checkpoint";
        argv[2] = f.toString();
        System.arraycopy(extra, 0, argv, 3, extra.length);
        ByteArrayOutputStream err = new ByteArrayOutputStream(), stdout = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        int code;
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8)); // commands print to System.out
            code = Main.run(argv, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
        } finally {
            System.setOut(saved);
        }
        lastOutput = stdout.toString(StandardCharsets.UTF_8);
        Files.delete(f);
        Files.delete(dir);
        return code;
    }

    static CheckpointAudit.Report audit(LinkedHashMap<String, TensorEntry> t, Double s) {
        return CheckpointAudit.audit("x", t, s, 0.01, 0.01);
    }

    static void set(LinkedHashMap<String, TensorEntry> t, String name, int index, float value) {
        t.get(name).floats()[index] = value;
    }

    static int firstMasked(LinkedHashMap<String, TensorEntry> t, String name) {
        byte[] keep = t.get(name + ".mask").bytes();
        for (int i = 0; i < keep.length; i++) if (keep[i] == 0) return i;
        throw new AssertionError("no masked entry");
    }

    @Test
    void goodCheckpointsPass() throws IOException {
        assertEquals(0, verify(checkpoint(0.5, true, true, true), "--sparsity", "0.5"));
        assertEquals(0, verify(checkpoint(0.75, true, false, false), "--sparsity", "0.75"));   // our (OUT, IN) layout
        assertEquals(0, verify(checkpoint(0.5, false, true, true), "--sparsity", "0.5", "--json"));  // no masks
        Map<String, Object> json = Json.asObject(Json.parse(lastOutput, "stdout"), "stdout");
        assertEquals(Boolean.TRUE, json.get("ok"));
        assertEquals("zeros", json.get("mode"));
        assertEquals(28, Json.asArray(json.get("tensors"), "tensors").size());
        Map<String, Object> qkv = Json.asObject(Json.asArray(json.get("tensors"), "tensors").get(4), "row 4");
        assertEquals("h.0.attn.c_attn.weight", qkv.get("name"));
        assertEquals(java.util.List.of(0.5, 0.5, 0.5), qkv.get("qkv_sparsity"));
        assertEquals(0, verify(checkpoint(0.5, true, true, true)));                          // no expectation
        LinkedHashMap<String, TensorEntry> prefixed = new LinkedHashMap<>();
        checkpoint(0.5, true, true, true).forEach((k, v) -> prefixed.put(k.startsWith("optimizer.") ? k : "transformer." + k, v));
        assertEquals(0, verify(prefixed, "--sparsity", "0.5"));
    }

    @Test
    void reportsQkvThirdsAndSparsity() {
        CheckpointAudit.Report r = audit(checkpoint(0.5, true, true, true), 0.5);
        assertTrue(r.ok(), r.violations.toString());
        assertEquals("masks", r.mode);
        CheckpointAudit.Row qkv = r.rows.stream().filter(x -> x.name.equals("h.0.attn.c_attn.weight")).findFirst().orElseThrow();
        assertEquals(0.5, qkv.sparsity, 1e-12);
        assertEquals(3, qkv.qkvSparsity.length);
        assertEquals(2, qkv.moments.size());
        CheckpointAudit.Row bias = r.rows.stream().filter(x -> x.name.equals("h.1.mlp.c_fc.bias")).findFirst().orElseThrow();
        assertTrue(Double.isNaN(bias.sparsity));
    }

    @Test
    void maskedNonzeroIsAViolation() throws IOException {
        var t = checkpoint(0.5, true, false, true);
        set(t, "h.1.mlp.c_proj.weight", firstMasked(t, "h.1.mlp.c_proj.weight"), 1e-30f);
        assertEquals(1, verify(t));
        assertTrue(audit(t, null).violations.get(0).contains("h.1.mlp.c_proj.weight: 1 masked entries are not zero"));
    }

    @Test
    void sparseDenseTensorIsAViolation() throws IOException {
        var t = checkpoint(0.5, true, false, true);
        for (int i = 0; i < 3; i++) set(t, "wte.weight", i * 5, 0f); // 3 of 128 = 2.3% > 1%
        assertEquals(1, verify(t));
        var r = audit(t, null);
        assertTrue(r.violations.get(0).startsWith("wte.weight: 2.34% zeros"), r.violations.toString());
        // a zero bias is fine (initial value), a half-zero bias is not
        var t2 = checkpoint(0.5, true, false, true);
        java.util.Arrays.fill(t2.get("h.0.attn.c_attn.bias").floats(), 0f);
        assertEquals(0, verify(t2));
        java.util.Arrays.fill(t2.get("h.0.attn.c_proj.bias").floats(), 0, C / 2, 0f);
        assertEquals(1, verify(t2));
    }

    @Test
    void maskOnADenseTensorIsAViolation() throws IOException {
        var t = checkpoint(0.5, true, false, true);
        byte[] keep = new byte[C];
        java.util.Arrays.fill(keep, (byte) 1);
        keep[3] = 0;
        t.get("ln_f.weight").floats()[3] = 0f;
        t.put("ln_f.weight.mask", TensorEntry.u8(keep, C));
        assertEquals(1, verify(t));
    }

    @Test
    void wrongSparsityIsAViolation() throws IOException {
        assertEquals(1, verify(checkpoint(0.75, true, false, true), "--sparsity", "0.5"));
        assertEquals(1, verify(checkpoint(0.75, false, false, true), "--sparsity", "0.5"));  // zeros mode
        assertEquals(0, verify(checkpoint(0.75, true, false, true), "--sparsity", "0.5", "--tolerance", "0.3"));
    }

    @Test
    void unevenQkvThirdsAreAViolation() throws IOException {
        // overall 50% but Q 25%, K 50%, V 75%: HF layout (C, 3C), thirds are column blocks
        var t = checkpoint(0.5, true, false, true);
        String name = "h.0.attn.c_attn.weight";
        float[] w = t.get(name).floats();
        byte[] keep = t.get(name + ".mask").bytes();
        for (int r = 0; r < C; r++) {
            for (int k = 0; k < 3 * C; k++) {
                int third = k / C, i = r * 3 * C + k;
                int col = k % C;
                boolean masked = third == 0 ? col < C / 4 : third == 1 ? col < C / 2 : col < 3 * C / 4;
                keep[i] = (byte) (masked ? 0 : 1);
                w[i] = masked ? 0f : 1f;
            }
        }
        var r = audit(t, 0.5);
        CheckpointAudit.Row row = r.rows.stream().filter(x -> x.name.equals(name)).findFirst().orElseThrow();
        assertEquals(0.5, row.sparsity, 1e-12);
        assertArrayEquals(new double[] {0.25, 0.5, 0.75}, row.qkvSparsity, 1e-12);
        assertEquals(2, r.violations.size(), r.violations.toString());
        assertEquals(1, verify(t, "--sparsity", "0.5"));
        assertEquals(0, verify(t));  // without an expected sparsity the thirds are only reported
    }

    @Test
    void momentsAtMaskedPositionsMustBeZero() throws IOException {
        var t = checkpoint(0.5, true, true, true);
        String name = "h.0.mlp.c_fc.weight";
        set(t, name + ".exp_avg", firstMasked(t, name), 0.5f);
        assertEquals(1, verify(t));
        var t2 = checkpoint(0.5, true, true, true);
        set(t2, "optimizer." + name + ".exp_avg_sq", firstMasked(t2, name), 1e-8f);
        assertEquals(1, verify(t2));
        assertTrue(audit(t2, null).violations.get(0).contains("exp_avg_sq: 1 nonzero entries at masked positions"));
        // without masks the weight's zeros stand for the mask
        var t3 = checkpoint(0.5, false, true, true);
        float[] w = t3.get(name).floats();
        int z = 0;
        while (w[z] != 0f) z++;
        set(t3, name + ".exp_avg", z, 0.25f);
        assertEquals(1, verify(t3));
    }

    @Test
    void structuralProblemsAreViolations() throws IOException {
        var missingMask = checkpoint(0.5, true, false, true);
        missingMask.remove("h.1.attn.c_proj.weight.mask");
        assertEquals(1, verify(missingMask));
        var orphan = checkpoint(0.5, true, false, true);
        orphan.remove("h.1.attn.c_proj.weight");
        assertEquals(1, verify(orphan));
        var badMask = checkpoint(0.5, true, false, true);
        badMask.get("h.0.attn.c_proj.weight.mask").bytes()[0] = 2;
        assertEquals(1, verify(badMask));
        var nan = checkpoint(0.5, true, false, true);
        set(nan, "wpe.weight", 2, Float.NaN);
        assertEquals(1, verify(nan));
        LinkedHashMap<String, TensorEntry> unrelated = new LinkedHashMap<>();
        unrelated.put("encoder.weight", TensorEntry.f32(new float[] {1, 2}, 2));
        assertEquals(1, verify(unrelated));
    }

    @Test
    void badFilesAndUsage() throws IOException {
        Path dir = Files.createTempDirectory("verify-bad");
        Path f = dir.resolve("junk.safetensors");
        Files.write(f, "not a safetensors file".getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream sink = new PrintStream(new ByteArrayOutputStream());
        assertEquals(1, Main.run(new String[] {"verify", "--checkpoint", f.toString()}, sink, new PrintStream(err)));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("junk.safetensors"));
        assertEquals(2, Main.run(new String[] {"verify"}, sink, sink));
        assertEquals(2, Main.run(new String[] {"verify", "--checkpoint", f.toString(), "--sparsty", "0.5"}, sink, sink));
        assertEquals(2, Main.run(new String[] {"verify", "--checkpoint", f.toString(), "--sparsity", "1.5"}, sink, sink));
        Files.delete(f);
        Files.delete(dir);
    }

    @Test
    void gpt2NamesMapping() {
        assertEquals(Gpt2Names.Kind.ATTN_QKV_WEIGHT, Gpt2Names.kind("transformer.h.11.attn.c_attn.weight"));
        assertEquals(Gpt2Names.Kind.ATTN_BUFFER, Gpt2Names.kind("h.0.attn.bias"));
        assertEquals(Gpt2Names.Kind.ATTN_QKV_BIAS, Gpt2Names.kind("h.0.attn.c_attn.bias"));
        assertEquals(Gpt2Names.Kind.OTHER, Gpt2Names.kind("h.x.attn.c_attn.weight.extra"));
        assertFalse(Gpt2Names.isSparsifiable("wte.weight"));
        assertTrue(Gpt2Names.isTransposedInHf("h.3.mlp.c_proj.weight"));
        assertFalse(Gpt2Names.isTransposedInHf("h.3.mlp.c_proj.bias"));
        assertEquals("transformer.ln_f.bias", Gpt2Names.toHf("ln_f.bias", true));
        assertEquals("ln_f.bias", Gpt2Names.fromHf("transformer.ln_f.bias"));
        assertArrayEquals(new long[] {8, 32}, Gpt2Names.hfShape("h.0.mlp.c_fc.weight", new long[] {32, 8}));
        ModelConfig cfg = new ModelConfig("t", 2, 8, 2, 6, 16);
        assertEquals(2 + 12 * 2 + 2, Gpt2Names.parameterShapes(cfg).size());
        float[] a = {1, 2, 3, 4, 5, 6}; // (2, 3)
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, Gpt2Names.transpose(a, 2, 3));
        assertArrayEquals(a, Gpt2Names.transpose(Gpt2Names.transpose(a, 2, 3), 3, 2));
        assertNull(CheckpointAudit.audit("x", new LinkedHashMap<>(), null, 0, 0).expectedSparsity);
    }
}
