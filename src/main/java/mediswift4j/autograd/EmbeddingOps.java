package mediswift4j.autograd;

import mediswift4j.tensor.Tensor;

/** Embedding lookup: rows of a table gathered by token id. */
public final class EmbeddingOps {
    private EmbeddingOps() {}

    /**
     * out[i] = table[ids[i]] for a table (V, C); the output has shape (outShape..., C), e.g. (B, T, C).
     * Backward scatter-adds: table.grad[ids[i]] += dout[i] (a token seen twice receives both gradients).
     */
    public static Tensor embedding(Tensor table, int[] tokenIds, int... outShape) {
        Shapes.requireRank("embedding", table, 2);
        // Copied: the backward step runs later, and callers reuse their id buffers for the next batch.
        int[] ids = tokenIds.clone();
        int v = table.dim(0), c = table.dim(1);
        for (int d : outShape) {
            if (d < 0) throw new IllegalArgumentException("embedding: negative dimension in output shape " + Tensor.shapeString(outShape));
        }
        if (Tensor.numel(outShape) != ids.length) {
            throw new IllegalArgumentException("embedding: " + ids.length + " ids do not fill shape " + Tensor.shapeString(outShape)
                    + " (table " + table.shapeString() + ")");
        }
        int[] shape = java.util.Arrays.copyOf(outShape, outShape.length + 1);
        shape[outShape.length] = c;
        Tensor out = Tensor.zeros(shape);
        for (int i = 0; i < ids.length; i++) {
            int id = ids[i];
            if (id < 0 || id >= v) {
                throw new IllegalArgumentException("embedding: id " + id + " at position " + i + " is outside the table of " + v + " rows");
            }
            System.arraycopy(table.data, id * c, out.data, i * c, c);
        }
        return Autograd.record(out, () -> {
            if (out.grad == null) return;
            float[] g = table.grad();
            for (int i = 0; i < ids.length; i++) {
                int o = ids[i] * c, src = i * c;
                for (int j = 0; j < c; j++) g[o + j] += out.grad[src + j];
            }
        }, table);
    }
}
