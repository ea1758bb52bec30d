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

    /** Number of rows when the last dimension is the feature dimension. */
    static int rows(Tensor t) {
        return t.size() / Math.max(1, t.dim(-1));
    }
}
