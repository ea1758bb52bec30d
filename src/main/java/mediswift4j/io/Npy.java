package mediswift4j.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * NumPy .npy files, format version 1.0, for float32 arrays (`score --logits`; SPEC.md section 6):
 * the 6 bytes "\x93NUMPY", bytes 1 and 0 (version 1.0), a uint16 little-endian header length H, then H bytes of
 * ASCII header "{'descr': '<f4', 'fortran_order': False, 'shape': (R, C), }" padded with spaces and ending in
 * '\n' so that 10 + H is a multiple of 64, then the values in C order, little-endian float32.
 */
public final class Npy {
    private Npy() {}

    /** The complete header (magic, version, length, dictionary) of a C-order float32 array of this shape. */
    public static byte[] header(long... shape) {
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) s.append(shape[i]).append(i == 0 && shape.length == 1 ? "," : i + 1 < shape.length ? ", " : "");
        s.append(')');
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + s + ", }";
        int unpadded = 10 + dict.length() + 1;
        int total = (unpadded + 63) / 64 * 64;
        if (total - 10 > 0xFFFF) throw new IllegalArgumentException("shape too long for an .npy 1.0 header");
        String text = dict + " ".repeat(total - unpadded) + "\n";
        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        b.putShort((short) (total - 10));
        b.put(text.getBytes(StandardCharsets.US_ASCII));
        return b.array();
    }

    /** Writes `count` floats from `values` as little-endian float32. */
    public static void writeFloats(OutputStream out, float[] values, int count) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            if (!buf.hasRemaining()) {
                out.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            buf.putFloat(values[i]);
        }
        out.write(buf.array(), 0, buf.position());
    }
}
