package mediswift4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import mediswift4j.nn.Gpt;
import mediswift4j.nn.MaskedLinear;
import mediswift4j.nn.ModelConfig;
import mediswift4j.nn.ModelMasks;
import mediswift4j.tensor.Tensor;

/** Checkpoint.parameterHash is SHA-256 over every parameter as float32 little-endian, then every mask byte, as its comment says. */
class ParameterHashTest {
    static String documentedHash(Gpt m) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (Tensor p : m.parameters()) {
            ByteBuffer b = ByteBuffer.allocate(4 * p.size()).order(ByteOrder.LITTLE_ENDIAN);
            for (float x : p.data) b.putFloat(x);
            sha.update(b.array());
        }
        for (MaskedLinear l : m.maskedLayers()) sha.update(l.keep());
        return HexFormat.of().formatHex(sha.digest());
    }

    @Test
    void hashOfTheDocumentedBytes() throws Exception {
        Gpt m = new Gpt(new ModelConfig("hash", 1, 8, 2, 4, 11));
        ModelMasks.draw(m, 3, 0.5);
        m.initialize(3);
        assertEquals(documentedHash(m), Checkpoint.parameterHash(m));
        String before = Checkpoint.parameterHash(m);
        m.maskedLayers().get(0).keep()[1] ^= 1;   // a mask byte alone changes the hash
        assertNotEquals(before, Checkpoint.parameterHash(m));
    }

    /** 2100 x 8 = 16,800 floats in wte alone: more than the 64 KB the hash feeds SHA-256 at a time. */
    @Test
    void hashOfAModelLargerThanOneChunk() throws Exception {
        Gpt m = new Gpt(new ModelConfig("hash-wide", 1, 8, 2, 4, 2100));
        ModelMasks.draw(m, 4, 0.5);
        m.initialize(4);
        assertTrue(m.parameter("wte.weight").size() > (1 << 16) / 4);
        assertEquals(documentedHash(m), Checkpoint.parameterHash(m));
    }
}
