package mediswift4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Cross-check with an independent writer and reader (tools/safetensors_roundtrip.py, plain struct/json/numpy):
 * we read the Python-written fixture value for value, and our writer reproduces java-written.safetensors byte for
 * byte (that file is the one the Python script's `check` mode reads back).
 */
class SafeTensorsFixtureTest {

    static Path resource(String name) throws URISyntaxException {
        return Path.of(SafeTensorsFixtureTest.class.getResource("/safetensors/" + name).toURI());
    }

    @Test
    void readsThePythonWrittenFixtureExactly() throws Exception {
        SafeTensors.Contents c = SafeTensors.read(resource("python-written.safetensors"));
        assertEquals(Map.of("format", "pt", "written_by", "tools/safetensors_roundtrip.py"), c.metadata);
        Map<String, Object> expected = Json.asObject(Json.read(resource("python-written.expected.json")), "expected");
        assertEquals(expected.keySet(), c.tensors.keySet());
        for (var e : expected.entrySet()) {
            Map<String, Object> want = Json.asObject(e.getValue(), e.getKey());
            TensorEntry got = c.tensors.get(e.getKey());
            assertEquals(want.get("dtype"), got.dtype().name(), e.getKey());
            List<Object> shape = Json.asArray(want.get("shape"), e.getKey());
            long[] wantShape = shape.stream().mapToLong(o -> (Long) o).toArray();
            assertArrayEquals(wantShape, got.shape(), e.getKey());
            List<Object> values = Json.asArray(want.get("values"), e.getKey());
            assertEquals(values.size(), got.numel(), e.getKey());
            for (int i = 0; i < values.size(); i++) {
                long v = (Long) values.get(i);
                switch (got.dtype()) {
                    case F32:
                        assertEquals((int) v, Float.floatToRawIntBits(got.floats()[i]), e.getKey() + "[" + i + "]");
                        break;
                    case F16:
                        int bits = (got.bytes()[2 * i] & 0xFF) | (got.bytes()[2 * i + 1] & 0xFF) << 8;
                        assertEquals(v, bits, e.getKey() + "[" + i + "]");
                        assertEquals(TensorEntry.halfToFloat((int) v), (float) got.value(i));
                        break;
                    default:
                        assertEquals((double) v, got.value(i), e.getKey() + "[" + i + "]");
                }
            }
        }
    }

    /** The tensors behind java-written.safetensors; tools/safetensors_roundtrip.py recomputes the same values. */
    static LinkedHashMap<String, TensorEntry> javaFixture() {
        float[] w = new float[12];
        byte[] m = new byte[12];
        for (int i = 0; i < 12; i++) {
            w[i] = (i - 5) * 0.375f;
            m[i] = (byte) (i % 3 != 0 ? 1 : 0);
        }
        LinkedHashMap<String, TensorEntry> t = new LinkedHashMap<>();
        t.put("weight", TensorEntry.f32(w, 3, 4));
        t.put("weight.mask", TensorEntry.u8(m, 3, 4));
        t.put("flags", TensorEntry.bool(new byte[] {1, 0}, 2));
        return t;
    }

    @Test
    void ourWriterReproducesTheCheckedFixture() throws Exception {
        Path dir = Files.createTempDirectory("st-fixture");
        Path f = dir.resolve("java-written.safetensors");
        SafeTensors.write(f, javaFixture(), Map.of("writer", "mediswift4j"));
        assertArrayEquals(Files.readAllBytes(resource("java-written.safetensors")), Files.readAllBytes(f));
        Files.delete(f);
        Files.delete(dir);
    }

    /** Regenerates the fixture: run this class's main from the test classpath (not needed by the tests). */
    public static void main(String[] args) throws IOException {
        SafeTensors.write(Path.of(args[0]), javaFixture(), Map.of("writer", "mediswift4j"));
    }
}
