package mediswift4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import mediswift4j.util.InputException;

/**
 * Reads and writes the safetensors format (the Hugging Face tensor container), strictly.
 *
 * Layout of a file:
 *
 *   [8 bytes]  N, the header length, unsigned little-endian
 *   [N bytes]  UTF-8 JSON object: name -> {"dtype": "F32", "shape": [d0, d1, ...], "data_offsets": [begin, end]},
 *              plus optionally "__metadata__": {string: string}; may end with spaces (padding)
 *   [rest]     the byte buffer; a tensor's bytes are buffer[begin, end), row-major, little-endian
 *
 * Reading validates everything before allocating anything a header claims: N must fit in the file and be at most
 * 100,000,000; every tensor needs a known dtype, non-negative dims whose product does not overflow, offsets with
 * begin <= end inside the buffer, end - begin == numel * dtype size; tensors must not overlap and must cover the
 * buffer exactly (no holes, nothing after the last tensor). Any violation is an InputException naming the file
 * and the tensor. SPEC.md section 14 states the same rules.
 */
public final class SafeTensors {
    private SafeTensors() {}

    /** Header lengths above this are refused without reading (the reference implementation uses the same cap). */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    /** Element types we read. F32, U8 and BOOL are also what we write. */
    public enum DType {
        F64(8), F32(4), F16(2), BF16(2), I64(8), I32(4), I16(2), I8(1), U8(1), BOOL(1);

        public final int size;

        DType(int size) {
            this.size = size;
        }

        static DType parse(String s) {
            for (DType d : values()) if (d.name().equals(s)) return d;
            return null;
        }
    }

    /** What a file holds: its tensors in header order, and its free-form metadata. */
    public static final class Contents {
        public final LinkedHashMap<String, TensorEntry> tensors;
        public final Map<String, String> metadata;

        /** Also for contents built in memory (export -> import round trips without a file). */
        public Contents(LinkedHashMap<String, TensorEntry> tensors, Map<String, String> metadata) {
            this.tensors = tensors;
            this.metadata = metadata;
        }
    }

    // ------------------------------------------------------------------------------------------------ writing

    /**
     * Writes tensors (in map order, packed back to back from offset 0) and metadata atomically. The header is
     * padded with spaces to a multiple of 8 bytes so that the buffer starts 8-byte aligned.
     */
    public static void write(Path file, LinkedHashMap<String, TensorEntry> tensors, Map<String, String> metadata) throws IOException {
        byte[] header = headerBytes(tensors, metadata);
        AtomicFiles.write(file, out -> {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length);
            out.write(len.array());
            out.write(header);
            byte[] chunk = new byte[1 << 16];
            for (TensorEntry t : tensors.values()) {
                if (t.dtype() != DType.F32) {
                    out.write(t.bytes());
                    continue;
                }
                float[] f = t.floats();
                ByteBuffer bb = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < f.length; i++) {
                    if (!bb.hasRemaining()) {
                        out.write(chunk, 0, bb.position());
                        bb.clear();
                    }
                    bb.putFloat(f[i]);
                }
                out.write(chunk, 0, bb.position());
            }
        });
    }

    static byte[] headerBytes(LinkedHashMap<String, TensorEntry> tensors, Map<String, String> metadata) {
        Map<String, Object> header = new LinkedHashMap<>();
        if (metadata != null && !metadata.isEmpty()) header.put("__metadata__", new LinkedHashMap<>(metadata));
        long offset = 0;
        for (var e : tensors.entrySet()) {
            if (e.getKey().equals("__metadata__")) throw new IllegalArgumentException("'__metadata__' is not a tensor name");
            TensorEntry t = e.getValue();
            long bytes = t.numel() * t.dtype().size;
            List<Object> shape = new ArrayList<>();
            for (long d : t.shape()) shape.add(d);
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", t.dtype().name());
            info.put("shape", shape);
            info.put("data_offsets", List.of(offset, offset + bytes));
            header.put(e.getKey(), info);
            offset += bytes;
        }
        StringBuilder json = new StringBuilder(Json.write(header));
        while (json.toString().getBytes(StandardCharsets.UTF_8).length % 8 != 0) json.append(' ');
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------------------------------------ reading

    /** One header entry after validation, before its data is read. */
    private static final class Slot {
        final String name;
        final DType dtype;
        final long[] shape;
        final long begin, end;

        Slot(String name, DType dtype, long[] shape, long begin, long end) {
            this.name = name;
            this.dtype = dtype;
            this.shape = shape;
            this.begin = begin;
            this.end = end;
        }
    }

    public static Contents read(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(file.toString(), ch);
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": no such file");
        } catch (IOException e) {
            throw new InputException(file + ": cannot read (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
    }

    private static Contents read(String src, FileChannel ch) throws IOException {
        long fileSize = ch.size();
        if (fileSize < 8) throw new InputException(src + ": not a safetensors file: " + fileSize + " bytes, fewer than the 8-byte header length");
        ByteBuffer lenBuf = readFully(ch, 0, 8, src, "header length");
        long headerLen = lenBuf.order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        if (headerLen < 0 || headerLen > MAX_HEADER_BYTES) {
            throw new InputException(src + ": byte 0: header length " + Long.toUnsignedString(headerLen) + " exceeds the limit of " + MAX_HEADER_BYTES);
        }
        if (headerLen > fileSize - 8) {
            throw new InputException(src + ": byte 0: header length " + headerLen + " runs past the end of the file (" + fileSize + " bytes): truncated or not safetensors");
        }
        if (headerLen < 2) throw new InputException(src + ": byte 8: header of " + headerLen + " bytes cannot hold a JSON object");
        ByteBuffer headerBuf = readFully(ch, 8, (int) headerLen, src, "header");
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(headerBuf).toString();
        } catch (CharacterCodingException e) {
            throw new InputException(src + ": header: invalid UTF-8 at byte offset " + (8 + headerBuf.position()));
        }
        if (!text.startsWith("{")) throw new InputException(src + ": byte 8: header does not start with '{'");
        Map<String, Object> header = Json.asObject(Json.parse(text, src + " (header)"), src + ": header");

        long bufferLen = fileSize - 8 - headerLen;
        long bufferStart = 8 + headerLen;
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Slot> slots = new ArrayList<>();
        for (var e : header.entrySet()) {
            String name = e.getKey();
            if (name.equals("__metadata__")) {
                Map<String, Object> m = Json.asObject(e.getValue(), src + ": __metadata__");
                for (var kv : m.entrySet()) metadata.put(kv.getKey(), Json.asString(kv.getValue(), src + ": __metadata__." + kv.getKey()));
                continue;
            }
            slots.add(slot(src, name, e.getValue(), bufferLen));
        }
        checkCoverage(src, slots, bufferLen);

        // Everything checked: each tensor's size is now bounded by the real file size, so allocating is safe.
        LinkedHashMap<String, TensorEntry> tensors = new LinkedHashMap<>();
        for (Slot s : slots) {
            long nbytes = s.end - s.begin;
            if (nbytes > Integer.MAX_VALUE - 8) throw new InputException(src + ": tensor '" + s.name + "': " + nbytes + " bytes is too large for one Java array");
            ByteBuffer data = readFully(ch, bufferStart + s.begin, (int) nbytes, src, "tensor '" + s.name + "'");
            tensors.put(s.name, decode(src, s, data));
        }
        return new Contents(tensors, metadata);
    }

    /** Validates one header entry against the buffer length. */
    private static Slot slot(String src, String name, Object value, long bufferLen) {
        String where = src + ": tensor '" + name + "'";
        Map<String, Object> info = Json.asObject(value, where);
        for (String k : info.keySet()) {
            if (!k.equals("dtype") && !k.equals("shape") && !k.equals("data_offsets")) {
                throw new InputException(where + ": unknown field \"" + k + "\" (expected dtype, shape, data_offsets)");
            }
        }
        String dtypeName = Json.asString(Json.field(info, "dtype", where), where + ": dtype");
        DType dtype = DType.parse(dtypeName);
        if (dtype == null) throw new InputException(where + ": unknown dtype \"" + dtypeName + "\"");

        List<Object> dims = Json.asArray(Json.field(info, "shape", where), where + ": shape");
        long[] shape = new long[dims.size()];
        long numel = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = nonNegative(dims.get(i), where + ": shape[" + i + "]");
            try {
                numel = Math.multiplyExact(numel, shape[i]);
            } catch (ArithmeticException ex) {
                throw new InputException(where + ": shape " + dims + " has more elements than a 64-bit count holds");
            }
        }
        List<Object> off = Json.asArray(Json.field(info, "data_offsets", where), where + ": data_offsets");
        if (off.size() != 2) throw new InputException(where + ": data_offsets must be [begin, end], got " + off.size() + " numbers");
        long begin = nonNegative(off.get(0), where + ": data_offsets[0]");
        long end = nonNegative(off.get(1), where + ": data_offsets[1]");
        if (end < begin) throw new InputException(where + ": data_offsets [" + begin + ", " + end + "] end before begin");
        if (end > bufferLen) throw new InputException(where + ": data_offsets [" + begin + ", " + end + "] run past the data buffer of " + bufferLen + " bytes");
        long expected;
        try {
            expected = Math.multiplyExact(numel, (long) dtype.size);
        } catch (ArithmeticException ex) {
            throw new InputException(where + ": shape " + dims + " is too large");
        }
        if (end - begin != expected) {
            throw new InputException(where + ": data_offsets [" + begin + ", " + end + "] span " + (end - begin) + " bytes, but " + dtype
                    + " shape " + dims + " needs " + expected);
        }
        return new Slot(name, dtype, shape, begin, end);
    }

    private static long nonNegative(Object v, String where) {
        if (!(v instanceof Long)) throw new InputException(where + ": expected a non-negative integer, found " + (v == null ? "null" : v));
        long x = (Long) v;
        if (x < 0) throw new InputException(where + ": expected a non-negative integer, found " + x);
        return x;
    }

    /** Tensors sorted by offset must tile [0, bufferLen) exactly: no overlap, no hole, no trailing bytes. */
    private static void checkCoverage(String src, List<Slot> slots, long bufferLen) {
        List<Slot> sorted = new ArrayList<>(slots);
        sorted.sort(Comparator.comparingLong((Slot s) -> s.begin).thenComparingLong(s -> s.end));
        long expect = 0;
        String previous = null;
        for (Slot s : sorted) {
            if (s.begin < expect) {
                throw new InputException(src + ": tensor '" + s.name + "' [" + s.begin + ", " + s.end + ") overlaps tensor '" + previous + "' (which ends at " + expect + ")");
            }
            if (s.begin > expect) {
                throw new InputException(src + ": tensor '" + s.name + "' starts at " + s.begin + " but the previous tensor"
                        + (previous == null ? "s end" : " '" + previous + "' ends") + " at " + expect + ": a hole in the data buffer");
            }
            expect = s.end;
            previous = s.name;
        }
        if (expect != bufferLen) {
            throw new InputException(src + ": the tensors cover " + expect + " bytes of a " + bufferLen + "-byte data buffer"
                    + (previous == null ? "" : " (last tensor '" + previous + "')") + ": trailing bytes");
        }
    }

    private static TensorEntry decode(String src, Slot s, ByteBuffer data) {
        data.order(ByteOrder.LITTLE_ENDIAN);
        if (s.dtype == DType.F32) {
            float[] f = new float[data.remaining() / 4];
            data.asFloatBuffer().get(f);
            return TensorEntry.f32(f, s.shape);
        }
        byte[] b = new byte[data.remaining()];
        data.get(b);
        if (s.dtype == DType.BOOL) {
            for (int i = 0; i < b.length; i++) {
                if (b[i] != 0 && b[i] != 1) throw new InputException(src + ": tensor '" + s.name + "': BOOL element " + i + " is " + (b[i] & 0xFF) + ", not 0 or 1");
            }
        }
        return TensorEntry.raw(s.dtype, b, s.shape);
    }

    private static ByteBuffer readFully(FileChannel ch, long position, int length, String src, String what) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        long pos = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) throw new InputException(src + ": byte " + pos + ": file ends inside the " + what);
            pos += n;
        }
        buf.flip();
        return buf;
    }
}
