package mediswift4j.golden;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import mediswift4j.io.Json;
import mediswift4j.nn.Gpt;
import mediswift4j.nn.MaskedLinear;
import mediswift4j.nn.Masks;
import mediswift4j.nn.ModelConfig;
import mediswift4j.nn.ModelMasks;
import mediswift4j.util.Rng;

/**
 * Mask test vectors (SPEC.md section 7, "Mask test vectors"): our Masks and ModelMasks reproduce, position for
 * position, what tools/masks_reference.py (an independent Python implementation of the SPEC) printed into
 * golden/mask_vectors.json, and the vectors quoted in SPEC.md.
 */
class MaskVectorsTest {
    static Map<String, Object> fixture() {
        Path f = Path.of("src/test/resources/golden/mask_vectors.json");
        return Json.asObject(Json.read(f), f.toString());
    }

    static int[] ints(Object list) {
        List<Object> l = Json.asArray(list, "list");
        int[] out = new int[l.size()];
        for (int i = 0; i < out.length; i++) out[i] = (int) Json.asLong(l.get(i), "list[" + i + "]");
        return out;
    }

    @Test
    void singleTensorVectorsMatchThePythonReference() {
        Map<String, Object> fx = fixture();
        int first = (int) Json.asLong(fx.get("first"), "first");
        List<Object> vectors = Json.asArray(fx.get("vectors"), "vectors");
        assertEquals(8, vectors.size());
        for (Object o : vectors) {
            Map<String, Object> v = Json.asObject(o, "vector");
            long seed = Json.asLong(v.get("seed"), "seed");
            String label = Json.asString(v.get("label"), "label");
            int n = (int) Json.asLong(v.get("n"), "n");
            double s = Json.asNumber(v.get("sparsity"), "sparsity");
            String what = seed + "/" + label + "/" + n + "/" + s;
            assertEquals(Json.asLong(v.get("masked"), "masked"), Masks.maskedCount(n, s), what);
            assertEquals(Json.asString(v.get("stream_state"), "stream_state"), String.format("0x%016X", Rng.derive(seed, label, 0).state()), what);
            assertArrayEquals(ints(v.get("first")), Masks.firstMaskedPositions(seed, label, n, s, first), what);
            if (n <= 4096) {   // the whole mask agrees with its draw order
                byte[] keep = Masks.random(seed, label, n, s);
                int[] all = Masks.firstMaskedPositions(seed, label, n, s, n);
                assertEquals(all.length, Masks.zeros(keep), what);
                for (int p : all) assertEquals(0, keep[p], what);
            }
        }
    }

    @Test
    void modelMasksMatchThePythonReference() throws Exception {
        Map<String, Object> m = Json.asObject(fixture().get("model"), "model");
        ModelConfig cfg = new ModelConfig("mask-vectors", (int) Json.asLong(m.get("layers"), "layers"), (int) Json.asLong(m.get("d_model"), "d_model"), 2, 16, 64);
        long seed = Json.asLong(m.get("seed"), "seed");
        double s = Json.asNumber(m.get("sparsity"), "sparsity");
        Gpt model = new Gpt(cfg);
        ModelMasks.draw(model, seed, s);
        List<ModelMasks.Target> targets = ModelMasks.targets(cfg);
        List<Object> expected = Json.asArray(m.get("targets"), "targets");
        assertEquals(expected.size(), targets.size());
        for (int i = 0; i < targets.size(); i++) {
            ModelMasks.Target t = targets.get(i);
            Map<String, Object> e = Json.asObject(expected.get(i), "target");
            assertEquals(e.get("label"), t.label());
            assertEquals(e.get("parameter"), t.parameter());
            assertEquals(Json.asLong(e.get("masked"), "masked"), Masks.maskedCount(t.size(), s));
            int[] want = ints(e.get("first_in_parameter"));
            int[] local = Masks.firstMaskedPositions(seed, t.label(), t.size(), s, want.length);
            byte[] keep = ModelMasks.layer(model, t.parameter()).keep();
            for (int k = 0; k < want.length; k++) {
                assertEquals(want[k], t.rowStart() * t.cols() + local[k], t.label());
                assertEquals(0, keep[want[k]], t.label());
            }
        }
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (MaskedLinear l : model.maskedLayers()) sha.update(l.keep());
        assertEquals(m.get("masks_sha256"), HexFormat.of().formatHex(sha.digest()));
    }

    /** The vectors printed in SPEC.md section 7 (kept in sync with the fixture by the test above). */
    @Test
    void specVectors() {
        assertArrayEquals(new int[] {2, 4, 9, 8, 1}, Masks.firstMaskedPositions(0, "test", 10, 0.5, 8));
        assertArrayEquals(new int[] {306, 381, 518, 649, 354, 287, 646, 904}, Masks.firstMaskedPositions(42, "h.0.attn.q", 1024, 0.5, 8));
        assertArrayEquals(new int[] {2484, 476, 3849, 518, 2730, 3254, 2287, 2300}, Masks.firstMaskedPositions(42, "h.0.mlp.c_fc", 4096, 0.75, 8));
        assertArrayEquals(new int[] {42, 52, 10, 38, 71, 87, 30, 69}, Masks.firstMaskedPositions(1234, "h.1.attn.v", 97, 0.3, 8));
        assertEquals(0xDAD82FD03B14A9E2L, Rng.derive(0, "test", 0).state());
    }
}
