package mediswift4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import mediswift4j.util.Rng;

/** The test vectors printed in SPEC.md sections 6, 7 and 8; if this fails, SPEC.md and the code disagree. */
class SpecVectorsTest {
    @Test
    void maskVectors() {
        assertArrayEquals(new int[] {12, 0, 9, 15, 3, 5, 2, 6}, Masks.firstMaskedPositions(0, "h.0.attn.q", 16, 0.5, 8));
        assertArrayEquals(new int[] {806, 2026, 1861, 1953, 269, 3737, 902, 2094}, Masks.firstMaskedPositions(42, "h.3.attn.k", 4096, 0.75, 8));
        assertArrayEquals(new int[] {64030, 46607, 56217, 51926, 32940, 31167, 51518, 62336},
                Masks.firstMaskedPositions(1, "h.1.mlp.c_fc", 65536, 0.5, 8));
        assertArrayEquals(new int[] {4, 0, 9}, Masks.firstMaskedPositions(7, "h.0.mlp.c_proj", 10, 0.25, 8));
        assertEquals(0xf769864378e6b0f3L, Rng.derive(0, "h.0.attn.q", 0).state());
        assertEquals(3072, Masks.maskedCount(4096, 0.75));
    }

    @Test
    void modelMasksUseTheLabels() {
        Gpt m = new Gpt(new ModelConfig("v", 1, 4, 1, 4, 5));
        ModelMasks.draw(m, 0, 0.5);
        byte[] keep = m.blocks.get(0).attnQkv.keep(); // q occupies entries [0, 16)
        int[] zeros = {0, 2, 3, 5, 6, 9, 12, 15};
        for (int i = 0; i < 16; i++) assertEquals(java.util.Arrays.binarySearch(zeros, i) >= 0 ? 0 : 1, keep[i], "q entry " + i);
    }

    @Test
    void initVectors() {
        Gpt m = new Gpt(new ModelConfig("v", 2, 8, 2, 4, 10));
        m.initialize(42);
        assertArrayEquals(new float[] {-0.014519475f, -0.028867893f, -0.012472051f}, java.util.Arrays.copyOf(m.wte.data, 3));
        assertArrayEquals(new float[] {0.029624684f, -0.04149536f, 0.004684869f}, java.util.Arrays.copyOf(m.wpe.data, 3));
        assertArrayEquals(new float[] {0.01680278f, 0.002213514f, -0.016153792f},
                java.util.Arrays.copyOf(m.parameter("h.1.mlp.c_proj.weight").data, 3));
        assertEquals(1f, m.parameter("h.0.ln_1.weight").data[0]);
        assertEquals(0f, m.parameter("h.0.attn.c_attn.bias").data[0]);
    }

    @Test
    void dataStreamVector() {
        Rng d = Rng.derive(42, "data", 0);
        assertEquals(611, d.nextLong(1000));
        assertEquals(745, d.nextLong(1000));
        assertEquals(631, d.nextLong(1000));
    }
}
