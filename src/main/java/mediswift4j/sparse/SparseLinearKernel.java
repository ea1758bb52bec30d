package mediswift4j.sparse;

import mediswift4j.tensor.Parallel;

/**
 * Compressed kernels for a linear layer with a static sparsity mask, y = x (W * M)^T + b, doing work only for kept
 * weights. Shapes: x (N, IN), W and M (OUT, IN) row-major (PyTorch's nn.Linear layout), b (OUT), y (N, OUT);
 * N counts tokens (B * T).
 *
 * Layout, built once from the mask:
 *   CSR by output row:  rowPtr[OUT + 1], colIdx[nnz], rowVal[nnz]  -- kept weights of row i at rowPtr[i] ..
 *   CSC by input col:   colPtr[IN + 1],  rowIdx[nnz], colVal[nnz]  -- kept weights of column j at colPtr[j] ..
 * both in increasing index order. Activations enter as {@link TokenBlocks} (feature-major, tokens contiguous).
 *
 *   forward         y_i[t]  = b_i + sum_{j kept in row i} W_ij x_j[t]      CSR, parallel over output rows i
 *   backwardInput   dx_j[t] += sum_{i kept in col j} W_ij dy_i[t]          CSC, parallel over input columns j
 *   backwardWeight  dW_ij  += sum_t dy_i[t] x_j[t], kept (i, j) only      CSR, parallel over output rows i
 *   backwardBias    db_i   += sum_t dy_i[t]
 *
 * Each output element is computed by exactly one thread in a fixed order, so results are bit-identical for any
 * thread count. They equal the masked dense computation up to float rounding (the order of additions differs).
 *
 * Keeping in step with the optimizer: the dense W stays the parameter the optimizer updates; after each optimizer
 * step call {@link #refreshValues(float[])}, an O(nnz) gather of the kept entries into rowVal and colVal. Masked
 * entries of W are never read, so the kernels compute with W * M even if W holds stray values there.
 *
 * The naive twin is {@link SparseLinearReference}.
 */
public final class SparseLinearKernel {
    /**
     * Sparsity from which the compressed path is faster than the dense one (forward + backward of a whole layer),
     * measured with `bench sparse` (SPEC.md section 15). Below it, use the dense Matmul on the masked weights.
     */
    public static final double SPARSE_PAYS_FROM = 0.5;

    public final int out, in, nnz;
    final int[] rowPtr, colIdx, colPtr, rowIdx;
    final float[] rowVal, colVal;

    private SparseLinearKernel(int out, int in, int[] rowPtr, int[] colIdx, int[] colPtr, int[] rowIdx) {
        this.out = out;
        this.in = in;
        this.nnz = colIdx.length;
        this.rowPtr = rowPtr;
        this.colIdx = colIdx;
        this.colPtr = colPtr;
        this.rowIdx = rowIdx;
        this.rowVal = new float[nnz];
        this.colVal = new float[nnz];
    }

    /** True when the compressed kernels are expected to beat dense matmuls at this sparsity. */
    public static boolean pays(double sparsity) {
        return sparsity >= SPARSE_PAYS_FROM;
    }

    /** Builds the index structure from mask (OUT * IN bytes, nonzero = keep). Values start at zero. */
    public static SparseLinearKernel build(byte[] mask, int out, int in) {
        if (out < 0 || in < 0) throw new IllegalArgumentException("negative shape " + out + " x " + in);
        if (mask.length != (long) out * in) {
            throw new IllegalArgumentException("mask has " + mask.length + " entries, shape " + out + " x " + in + " needs " + (long) out * in);
        }
        int[] rowPtr = new int[out + 1];
        int[] colCount = new int[in];
        for (int i = 0; i < out; i++) {
            int c = 0;
            for (int j = 0; j < in; j++) {
                if (mask[i * in + j] != 0) {
                    c++;
                    colCount[j]++;
                }
            }
            rowPtr[i + 1] = rowPtr[i] + c;
        }
        int nnz = rowPtr[out];
        int[] colIdx = new int[nnz];
        int[] colPtr = new int[in + 1];
        for (int j = 0; j < in; j++) colPtr[j + 1] = colPtr[j] + colCount[j];
        int[] rowIdx = new int[nnz];
        int[] next = java.util.Arrays.copyOf(colPtr, in);
        int p = 0;
        for (int i = 0; i < out; i++) {
            for (int j = 0; j < in; j++) {
                if (mask[i * in + j] != 0) {
                    colIdx[p++] = j;
                    rowIdx[next[j]++] = i;
                }
            }
        }
        return new SparseLinearKernel(out, in, rowPtr, colIdx, colPtr, rowIdx);
    }

    /** Builds from the mask and loads the kept values of the dense weight w (OUT, IN). */
    public static SparseLinearKernel build(byte[] mask, int out, int in, float[] w) {
        SparseLinearKernel k = build(mask, out, in);
        k.refreshValues(w);
        return k;
    }

    /** Gathers the kept entries of the dense weight w (OUT, IN) into both compressed value arrays. O(nnz). */
    public void refreshValues(float[] w) {
        if (w.length != (long) out * in) throw new IllegalArgumentException("weight has " + w.length + " values, needs " + (long) out * in);
        for (int i = 0; i < out; i++) {
            for (int p = rowPtr[i]; p < rowPtr[i + 1]; p++) rowVal[p] = w[i * in + colIdx[p]];
        }
        for (int j = 0; j < in; j++) {
            for (int q = colPtr[j]; q < colPtr[j + 1]; q++) colVal[q] = w[rowIdx[q] * in + j];
        }
    }

    public double sparsity() {
        long n = (long) out * in;
        return n == 0 ? 0 : 1.0 - (double) nnz / n;
    }

    // ------------------------------------------------------------------ forward

    /** y (OUT features, N tokens) = W x + b, overwriting y. x has IN features; bias (OUT) may be null. */
    public void forward(TokenBlocks x, float[] bias, TokenBlocks y) {
        requireFeatures("x", x, in);
        requireFeatures("y", y, out);
        requireSameTokens(x, y);
        if (bias != null && bias.length != out) throw new IllegalArgumentException("bias has " + bias.length + " values, needs " + out);
        final int nb = y.blockCount();
        Parallel.forRange(out, minRowsPerThread(x.tokens, nnz, out), (from, to) -> {
            for (int i = from; i < to; i++) {
                float[][] yi = y.blocks[i];
                float b0 = bias == null ? 0f : bias[i];
                for (int b = 0; b < nb; b++) java.util.Arrays.fill(yi[b], b0);
                accumulateRow(yi, rowPtr[i], rowPtr[i + 1], colIdx, rowVal, x.blocks, nb);
            }
        });
    }

    /** Rows-layout convenience: y (N, OUT) at y[yOff] = x W^T + b, with x given as token blocks (N, IN). */
    public void forward(TokenBlocks x, float[] bias, float[] y, int yOff) {
        TokenBlocks yt = new TokenBlocks(out, x.tokens);
        forward(x, bias, yt);
        yt.storeRows(y, yOff, false);
    }

    // ------------------------------------------------------------------ backward

    /** dx (IN features, N tokens) += W^T dy. The transpose product, over the CSC copy of the weights. */
    public void backwardInput(TokenBlocks dy, TokenBlocks dx) {
        requireFeatures("dy", dy, out);
        requireFeatures("dx", dx, in);
        requireSameTokens(dy, dx);
        final int nb = dx.blockCount();
        Parallel.forRange(in, minRowsPerThread(dy.tokens, nnz, in), (from, to) -> {
            for (int j = from; j < to; j++) accumulateRow(dx.blocks[j], colPtr[j], colPtr[j + 1], rowIdx, colVal, dy.blocks, nb);
        });
    }

    /** Rows-layout convenience: dx (N, IN) at dx[off] += dy W (accumulated, as autograd gradients are). */
    public void backwardInput(TokenBlocks dy, float[] dx, int dxOff) {
        TokenBlocks dxt = new TokenBlocks(in, dy.tokens);
        backwardInput(dy, dxt);
        dxt.storeRows(dx, dxOff, true);
    }

    /** Compressed weight gradient: dwVal[p] = sum_t dy_i[t] x_j[t] for the p-th kept weight in CSR order. */
    public void backwardWeightValues(TokenBlocks dy, TokenBlocks x, float[] dwVal) {
        requireFeatures("dy", dy, out);
        requireFeatures("x", x, in);
        requireSameTokens(dy, x);
        if (dwVal.length != nnz) throw new IllegalArgumentException("dwVal has " + dwVal.length + " values, needs " + nnz);
        Parallel.forRange(out, minRowsPerThread(x.tokens, nnz, out), (from, to) -> {
            float[] acc = new float[TokenBlocks.BLOCK];
            for (int i = from; i < to; i++) {
                float[][] dyi = dy.blocks[i];
                for (int p = rowPtr[i]; p < rowPtr[i + 1]; p++) dwVal[p] = SparseLoops.blockedDot(acc, dyi, x.blocks[colIdx[p]]);
            }
        });
    }

    /** Dense weight gradient dW (OUT, IN) += dy^T x at kept positions; masked positions are left untouched. */
    public void backwardWeight(TokenBlocks dy, TokenBlocks x, float[] dW) {
        if (dW.length != (long) out * in) throw new IllegalArgumentException("dW has " + dW.length + " values, needs " + (long) out * in);
        requireFeatures("dy", dy, out);
        requireFeatures("x", x, in);
        requireSameTokens(dy, x);
        Parallel.forRange(out, minRowsPerThread(x.tokens, nnz, out), (from, to) -> {
            float[] acc = new float[TokenBlocks.BLOCK];
            for (int i = from; i < to; i++) {
                float[][] dyi = dy.blocks[i];
                for (int p = rowPtr[i]; p < rowPtr[i + 1]; p++) {
                    dW[i * in + colIdx[p]] += SparseLoops.blockedDot(acc, dyi, x.blocks[colIdx[p]]);
                }
            }
        });
    }

    /** dW (OUT, IN) += the compressed gradient dwVal (CSR order), scattered to kept positions. */
    public void scatterAdd(float[] dwVal, float[] dW) {
        for (int i = 0; i < out; i++) {
            for (int p = rowPtr[i]; p < rowPtr[i + 1]; p++) dW[i * in + colIdx[p]] += dwVal[p];
        }
    }

    /** db (OUT) += sum over tokens of dy. */
    public void backwardBias(TokenBlocks dy, float[] db) {
        requireFeatures("dy", dy, out);
        if (db.length != out) throw new IllegalArgumentException("db has " + db.length + " values, needs " + out);
        for (int i = 0; i < out; i++) {
            float s = 0f;
            for (float[] blk : dy.blocks[i]) s += SparseLoops.sum(blk, blk.length);
            db[i] += s;
        }
    }

    // ------------------------------------------------------------------ shared inner kernel

    /**
     * dst[b] += sum_{p in [p0, p1)} val[p] * src[idx[p]][b] for every token block b: four kept weights per pass
     * over dst (one load and store of dst per four multiply-adds), then the remaining one to three singly.
     */
    private static void accumulateRow(float[][] dst, int p0, int p1, int[] idx, float[] val, float[][][] src, int nb) {
        int p = p0;
        for (; p + 4 <= p1; p += 4) {
            float w0 = val[p], w1 = val[p + 1], w2 = val[p + 2], w3 = val[p + 3];
            float[][] s0 = src[idx[p]], s1 = src[idx[p + 1]], s2 = src[idx[p + 2]], s3 = src[idx[p + 3]];
            for (int b = 0; b < nb; b++) SparseLoops.axpy4(dst[b], w0, s0[b], w1, s1[b], w2, s2[b], w3, s3[b], dst[b].length);
        }
        for (; p < p1; p++) {
            float w = val[p];
            float[][] s = src[idx[p]];
            for (int b = 0; b < nb; b++) SparseLoops.axpy(dst[b], w, s[b], dst[b].length);
        }
    }

    /** Rows per thread so that each thread gets at least ~64k multiply-adds (less is not worth a hand-off). */
    private static int minRowsPerThread(int tokens, int nnz, int rows) {
        long perRow = Math.max(1L, (long) tokens * nnz / Math.max(1, rows));
        return (int) Math.max(1L, Math.min(Integer.MAX_VALUE, 65536L / perRow));
    }

    private static void requireFeatures(String what, TokenBlocks t, int features) {
        if (t.features != features) throw new IllegalArgumentException(what + " has " + t.features + " features, needs " + features);
    }

    private static void requireSameTokens(TokenBlocks a, TokenBlocks b) {
        if (a.tokens != b.tokens) throw new IllegalArgumentException("token counts differ: " + a.tokens + " vs " + b.tokens);
    }
}
