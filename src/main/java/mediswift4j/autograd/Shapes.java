package mediswift4j.autograd;

import java.util.Arrays;

import mediswift4j.tensor.Tensor;

/** Shape checks shared by the ops: a mismatch names the op and both shapes. */
final class Shapes {
    private Shapes() {}

    static IllegalArgumentException mismatch(String op, Tensor a, Tensor b, String why) {
        return new IllegalArgumentException(op + ": " + why + " (shapes " + a.shapeString() + " and " + b.shapeString() + ")");
    }

    static void requireRank(String op, Tensor t, int... allowed) {
        for (int r : allowed) if (t.rank() == r) return;
        throw new IllegalArgumentException(op + ": unsupported rank " + t.rank() + " for shape " + t.shapeString()
                + " (expected rank " + Arrays.toString(allowed) + ")");
    }

    /** Ops that work on "the last dimension" need at least one dimension. */
    static void requireFeatures(String op, Tensor t) {
        if (t.rank() < 1) throw new IllegalArgumentException(op + ": needs rank >= 1, got shape " + t.shapeString());
    }

    static void requireSame(String op, Tensor a, Tensor b) {
        if (!Arrays.equals(a.shape, b.shape)) throw mismatch(op, a, b, "shapes must be equal");
    }

    /** Attention's input: packed qkv (B, T, 3C) with C divisible by numHeads >= 1. */
    static void requirePackedQkv(Tensor qkv, int numHeads) {
        requireRank("causalSelfAttention", qkv, 3);
        int c3 = qkv.dim(2);
        if (numHeads < 1) throw new IllegalArgumentException("causalSelfAttention: numHeads must be >= 1, got " + numHeads);
        if (c3 % 3 != 0 || (c3 / 3) % numHeads != 0) {
            throw new IllegalArgumentException("causalSelfAttention: last dimension " + c3 + " of " + qkv.shapeString()
                    + " must be 3 * C with C divisible by the " + numHeads + " heads");
        }
    }

    /** Number of rows when the last dimension is the feature dimension. */
    static int rows(Tensor t) {
        return t.size() / Math.max(1, t.dim(-1));
    }
}
