package mediswift4j.io;

import java.util.Arrays;

/**
 * One tensor of a safetensors file: its dtype, its shape and its values.
 *
 * F32 tensors hold their values as a float[] (row-major); every other dtype holds its raw little-endian bytes as
 * a byte[] (for U8 and BOOL that is one byte per element). {@link #value(long)} reads any element of any dtype as
 * a double, which is what checks such as `verify` need. Instances are immutable by convention: the arrays are not
 * copied, so do not change them after handing them over.
 */
public final class TensorEntry {
    private final SafeTensors.DType dtype;
    private final long[] shape;
    private final float[] floats; // F32 only
    private final byte[] bytes;   // every other dtype, little-endian

    private TensorEntry(SafeTensors.DType dtype, long[] shape, float[] floats, byte[] bytes) {
        this.dtype = dtype;
        this.shape = shape.clone();
        this.floats = floats;
        this.bytes = bytes;
        long n = numel(this.shape);
        long have = floats != null ? floats.length : bytes.length / dtype.size;
        if (floats == null && bytes.length % dtype.size != 0) {
            throw new IllegalArgumentException(dtype + " data of " + bytes.length + " bytes is not a whole number of elements");
        }
        if (n != have) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " elements, got " + have);
        }
    }

    public static TensorEntry f32(float[] data, long... shape) {
        return new TensorEntry(SafeTensors.DType.F32, shape, data, null);
    }

    public static TensorEntry u8(byte[] data, long... shape) {
        return new TensorEntry(SafeTensors.DType.U8, shape, null, data);
    }

    public static TensorEntry bool(byte[] data, long... shape) {
        return new TensorEntry(SafeTensors.DType.BOOL, shape, null, data);
    }

    /** Any dtype other than F32 from its raw little-endian bytes. */
    public static TensorEntry raw(SafeTensors.DType dtype, byte[] data, long... shape) {
        if (dtype == SafeTensors.DType.F32) throw new IllegalArgumentException("use f32(...) for F32 tensors");
        return new TensorEntry(dtype, shape, null, data);
    }

    public SafeTensors.DType dtype() {
        return dtype;
    }

    public long[] shape() {
        return shape.clone();
    }

    /** The shape as int[] (what tensor.Tensor uses); every dim must fit in an int. */
    public int[] intShape() {
        int[] s = new int[shape.length];
        for (int i = 0; i < s.length; i++) s[i] = Math.toIntExact(shape[i]);
        return s;
    }

    public int rank() {
        return shape.length;
    }

    public long dim(int i) {
        return shape[i];
    }

    public long numel() {
        return numel(shape);
    }

    /** The values of an F32 tensor (not a copy). */
    public float[] floats() {
        if (floats == null) throw new IllegalStateException("tensor is " + dtype + ", not F32");
        return floats;
    }

    /** The raw little-endian bytes of a non-F32 tensor (not a copy). */
    public byte[] bytes() {
        if (bytes == null) throw new IllegalStateException("tensor is F32; use floats()");
        return bytes;
    }

    /** Element i (row-major) of any dtype, as a double. Integers beyond 2^53 lose precision. */
    public double value(long i) {
        int k = Math.toIntExact(i);
        switch (dtype) {
            case F32: return floats[k];
            case U8: return bytes[k] & 0xFF;
            case BOOL: return bytes[k] != 0 ? 1 : 0;
            case I8: return bytes[k];
            case I16: return (short) littleEndian(k * 2, 2);
            case I32: return (int) littleEndian(k * 4, 4);
            case I64: return littleEndian(k * 8, 8);
            case F64: return Double.longBitsToDouble(littleEndian(k * 8, 8));
            case F16: return halfToFloat((int) littleEndian(k * 2, 2));
            case BF16: return Float.intBitsToFloat(((int) littleEndian(k * 2, 2) & 0xFFFF) << 16);
            default: throw new IllegalStateException("unhandled dtype " + dtype);
        }
    }

    private long littleEndian(int offset, int width) {
        long v = 0;
        for (int b = width - 1; b >= 0; b--) v = (v << 8) | (bytes[offset + b] & 0xFF);
        // unsigned assembly; the (short)/(int) casts in value() take the low bits and so restore the sign
        return v;
    }

    /** IEEE-754 binary16 to float32 (exact: every half value is a float). */
    static float halfToFloat(int h) {
        int sign = (h >>> 15) & 1, exp = (h >>> 10) & 0x1F, mant = h & 0x3FF;
        float v;
        if (exp == 0) v = mant * 0x1p-24f;                                  // zero or subnormal
        else if (exp == 31) v = mant == 0 ? Float.POSITIVE_INFINITY : Float.NaN;
        else v = Float.intBitsToFloat(((exp - 15 + 127) << 23) | (mant << 13));
        return sign == 1 ? -v : v;
    }

    /** The number of elements of a tensor of this shape (overflow is an error). */
    public static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) n = Math.multiplyExact(n, d);
        return n;
    }

    /** Same dtype, shape and bit-identical contents. */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TensorEntry)) return false;
        TensorEntry t = (TensorEntry) o;
        return dtype == t.dtype && Arrays.equals(shape, t.shape) && Arrays.equals(floats, t.floats) && Arrays.equals(bytes, t.bytes);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + dtype.hashCode();
    }

    @Override
    public String toString() {
        return dtype + Arrays.toString(shape);
    }
}
