package mediswift4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import mediswift4j.util.InputException;
import mediswift4j.util.Rng;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** safetensors: round trips, every hostile-header rejection, truncation, random corruption. */
class SafeTensorsTest {

    static Path tempFile() throws IOException {
        Path dir = Files.createTempDirectory("safetensors-test");
        dir.toFile().deleteOnExit();
        Path f = dir.resolve("t.safetensors");
        f.toFile().deleteOnExit();
        return f;
    }

    /** A file from a literal header and buffer, bypassing our writer. */
    static byte[] raw(String header, byte[] buffer) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + buffer.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(buffer);
        return b.array();
    }

    static InputException rejects(byte[] file) throws IOException {
        Path f = tempFile();
        Files.write(f, file);
        return assertThrows(InputException.class, () -> SafeTensors.read(f));
    }

    static LinkedHashMap<String, TensorEntry> sample(long seed, int rows, int cols) {
        Rng rng = new Rng(seed);
        float[] w = new float[rows * cols];
        byte[] m = new byte[rows * cols];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) rng.nextGaussian();
            m[i] = (byte) (rng.nextFloat() < 0.5f ? 0 : 1);
        }
        LinkedHashMap<String, TensorEntry> t = new LinkedHashMap<>();
        t.put("w", TensorEntry.f32(w, rows, cols));
        t.put("w.mask", TensorEntry.u8(m, rows, cols));
        t.put("flag", TensorEntry.bool(new byte[] {1, 0, 1}, 3));
        t.put("scalar", TensorEntry.f32(new float[] {-0.0f}));
        t.put("empty", TensorEntry.f32(new float[0], 0, 4));
        return t;
    }

    @Property(tries = 60)
    void roundTripIsBitExact(@ForAll @LongRange(min = 0, max = 1000) long seed,
                             @ForAll @IntRange(min = 0, max = 9) int rows, @ForAll @IntRange(min = 1, max = 13) int cols) throws IOException {
        LinkedHashMap<String, TensorEntry> t = sample(seed, rows, cols);
        Map<String, String> meta = Map.of("format", "pt", "note", "héllo \"quoted\"");
        Path f = tempFile();
        SafeTensors.write(f, t, meta);
        SafeTensors.Contents c = SafeTensors.read(f);
        assertEquals(t, c.tensors);
        assertEquals(new java.util.ArrayList<>(t.keySet()), new java.util.ArrayList<>(c.tensors.keySet()));
        assertArrayEquals(new int[] {rows, cols}, c.tensors.get("w").intShape());
        assertEquals(meta, c.metadata);
        long headerLen = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        assertEquals(0, headerLen % 8, "header padded to a multiple of 8");
    }

    @Test
    void readsEveryIntegerAndFloatDtype() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 + 8 + 2 + 2).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(-7).putLong(1L << 40).putShort((short) 0x3C00).putShort((short) 0xC000); // F16 1.0, BF16 -2.0
        String h = "{\"a\":{\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[4,12]},"
                + "\"c\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[12,14]},"
                + "\"d\":{\"dtype\":\"BF16\",\"shape\":[1,1],\"data_offsets\":[14,16]}}";
        Path f = tempFile();
        Files.write(f, raw(h, b.array()));
        var t = SafeTensors.read(f).tensors;
        assertEquals(-7.0, t.get("a").value(0));
        assertEquals((double) (1L << 40), t.get("b").value(0));
        assertEquals(1.0, t.get("c").value(0));
        assertEquals(-2.0, t.get("d").value(0));
        assertEquals(65504.0, TensorEntry.halfToFloat(0x7BFF));
        assertEquals(0x1p-24f, TensorEntry.halfToFloat(0x0001));
    }

    // ------------------------------------------------------------------ hostile headers, one case each

    static String entry(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }

    static void assertRejected(String header, int bufferBytes, String... mustMention) throws IOException {
        InputException e = rejects(raw(header, new byte[bufferBytes]));
        assertTrue(e.getMessage().contains("t.safetensors"), e.getMessage());
        for (String s : mustMention) assertTrue(e.getMessage().contains(s), "'" + s + "' missing from: " + e.getMessage());
    }

    @Test
    void hugeHeaderLengthIsRejectedWithoutAllocating() throws IOException {
        for (long len : new long[] {Long.MAX_VALUE, -1L, 1L << 40, 200_000_000L, 1_000}) {
            ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN).putLong(len);
            InputException e = rejects(b.array());
            assertTrue(e.getMessage().contains("header length"), e.getMessage());
        }
    }

    @Test
    void eachBadHeaderNamesTheTensor() throws IOException {
        assertRejected("{" + entry("w", "F32", "[2]", 0, 16) + "}", 8, "'w'", "past the data buffer");
        assertRejected("{" + entry("w", "F32", "[2]", 8, 0) + "}", 8, "'w'", "end before begin");
        assertRejected("{" + entry("w", "F32", "[3]", 0, 8) + "}", 8, "'w'", "needs 12");
        assertRejected("{" + entry("w", "Q4", "[2]", 0, 8) + "}", 8, "'w'", "unknown dtype");
        assertRejected("{" + entry("w", "F32", "[-2]", 0, 8) + "}", 8, "'w'", "shape[0]");
        assertRejected("{" + entry("w", "F32", "[2.5]", 0, 8) + "}", 8, "'w'", "shape[0]");
        assertRejected("{" + entry("w", "F32", "[4294967296,4294967296,4294967296]", 0, 8) + "}", 8, "'w'", "64-bit");
        assertRejected("{" + entry("w", "F64", "[1073741824,1073741824,4]", 0, 8) + "}", 8, "'w'", "too large");
        assertRejected("{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("b", "F32", "[2]", 4, 12) + "}", 12, "'b'", "overlaps", "'a'");
        assertRejected("{" + entry("a", "F32", "[1]", 0, 4) + "," + entry("b", "F32", "[1]", 8, 12) + "}", 12, "'b'", "hole");
        assertRejected("{" + entry("a", "F32", "[1]", 4, 8) + "}", 8, "'a'", "hole");
        assertRejected("{" + entry("a", "F32", "[1]", 0, 4) + "}", 8, "'a'", "trailing");
        assertRejected("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"extra\":1}}", 4, "'w'", "unknown field");
        assertRejected("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4, "'w'", "data_offsets");
        assertRejected("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", 4, "'w'", "[begin, end]");
        assertRejected("{\"w\":[1,2]}", 0, "'w'", "object");
        assertRejected("{\"__metadata__\":{\"k\":3}}", 0, "__metadata__");
        assertRejected("[1]", 0, "'{'");
        assertRejected("{\"w\":", 0, "malformed JSON");
        assertRejected("{" + entry("b", "BOOL", "[2]", 0, 2) + "}", 0, "'b'"); // buffer too short
    }

    @Test
    void boolOutsideZeroOneIsRejected() throws IOException {
        InputException e = rejects(raw("{" + entry("m", "BOOL", "[2]", 0, 2) + "}", new byte[] {1, 7}));
        assertTrue(e.getMessage().contains("'m'") && e.getMessage().contains("element 1"), e.getMessage());
    }

    @Test
    void invalidUtf8HeaderIsRejected() throws IOException {
        byte[] file = raw("{\"ab\":{}}", new byte[0]);
        file[8 + 2] = (byte) 0xC3; // a lead byte followed by an ASCII byte
        assertTrue(rejects(file).getMessage().contains("UTF-8"));
    }

    @Test
    void everyTruncationIsRejected() throws IOException {
        Path good = tempFile();
        SafeTensors.write(good, sample(3, 3, 5), Map.of("a", "b"));
        byte[] all = Files.readAllBytes(good);
        for (int cut = 0; cut < all.length; cut++) {
            byte[] part = java.util.Arrays.copyOf(all, cut);
            rejects(part);
        }
    }

    @Test
    void missingFileIsAnInputError() {
        InputException e = assertThrows(InputException.class, () -> SafeTensors.read(Path.of("/nonexistent/x.safetensors")));
        assertTrue(e.getMessage().contains("x.safetensors"));
    }

    /** Flipping random bytes anywhere yields either a (possibly different) valid file or an InputException. */
    @Property(tries = 1000)
    void randomCorruptionOnlyEverRaisesInputException(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long seed,
                                                      @ForAll @IntRange(min = 1, max = 4) int flips) throws IOException {
        byte[] file = VALID.clone();
        Rng rng = new Rng(seed);
        for (int i = 0; i < flips; i++) {
            // half the flips land in the first 8 + 64 bytes: the length and the start of the header
            int at = rng.nextFloat() < 0.5f ? (int) rng.nextLong(Math.min(72, file.length)) : (int) rng.nextLong(file.length);
            file[at] = (byte) rng.nextLong(256);
        }
        Files.write(SCRATCH, file);
        try {
            SafeTensors.read(SCRATCH);
        } catch (InputException expected) {
            // fine: rejected with a message
        }
    }

    static final byte[] VALID;
    static final Path SCRATCH;

    static {
        try {
            SCRATCH = tempFile();
            SafeTensors.write(SCRATCH, sample(11, 2, 3), Map.of("format", "pt"));
            VALID = Files.readAllBytes(SCRATCH);
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    @Test
    void writerHeaderIsCompactJsonPaddedWithSpaces() throws IOException {
        LinkedHashMap<String, TensorEntry> t = new LinkedHashMap<>();
        t.put("x", TensorEntry.f32(new float[] {1f, 2f}, 2));
        Path f = tempFile();
        SafeTensors.write(f, t, Map.of());
        byte[] b = Files.readAllBytes(f);
        String header = new String(b, 8, b.length - 16, StandardCharsets.UTF_8);
        assertEquals("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", header.strip());
        ByteBuffer data = ByteBuffer.wrap(b, b.length - 8, 8).order(ByteOrder.LITTLE_ENDIAN);
        assertArrayEquals(new float[] {1f, 2f}, new float[] {data.getFloat(), data.getFloat()});
    }
}
