package mediswift4j.sparse;

import mediswift4j.tensor.Parallel;
import mediswift4j.tensor.Simd;
import mediswift4j.sparse.SparseLayout.TiledIndex;

/**
 * The compressed kernels of a linear layer with a static sparsity mask, y = x (W * M)^T + b, doing work only for
 * kept weights, over the {@link SparseLayout} built from the mask. Shapes: x (N, IN), W and M (OUT, IN) row-major
 * (PyTorch's nn.Linear layout), b (OUT), y (N, OUT); N counts tokens (B * T). Read {@link SparseLinearReference}
 * (the same sums, naively) first; {@link CompressedKernel} is the op that calls these.
 *
 *   forward         y_i[t]  = b_i + sum_{j kept in row i} W_ij x_j[t]      fwd (CSR), parallel over output rows i
 *   backwardInput   dx_j[t] += sum_{i kept in col j} W_ij dy_i[t]          dx (CSC), parallel over input columns j
 *   backwardWeight  dW_ij  += sum_t dy_i[t] x_j[t], kept (i, j) only      dw (CSR), parallel over output rows i
 *   backwardBias    db_i   += sum_t dy_i[t]
 *
 * Two implementations of the same sums, bit-identical (SparseSimdTest), both in this file down to their innermost
 * loops, which live one hop away:
 *   plain Java      activations as {@link TokenBlocks} (feature-major, tokens contiguous; the methods below that
 *                   take TokenBlocks), loops in {@link SparseLoops} that C2 vectorizes by itself;
 *   Vector API      {@link SparseSimd} on activations packed in 128-token chunks, used by the rows-layout entry
 *                   points {@link #forwardRows}, {@link #forwardPacked} and {@link #backwardRows} when
 *                   {@link #SIMD} (the JVM runs with --add-modules jdk.incubator.vector); otherwise those run
 *                   the plain kernels.
 *
 * Each output element is computed by exactly one thread in a fixed order (SPEC.md section 15), so results are
 * bit-identical for any thread count. They equal the masked dense computation up to float rounding (the order of
 * additions differs).
 */
public final class SparseLinearKernel {
    /**
     * Whether the rows-layout entry points ({@link #forwardRows}, {@link #backwardRows}) run the Vector API kernels
     * (SparseSimd, on packed activations) instead of the plain twins on token blocks; results are bit-identical.
     */
    public static final boolean SIMD = Simd.ENABLED && SparseSimd.USABLE;

    /** The compressed format these kernels walk. */
    public final SparseLayout layout;
    public final int out, in, nnz;
    private final TiledIndex fwd, dx, dw;

    public SparseLinearKernel(SparseLayout layout) {
        this.layout = layout;
        this.out = layout.out;
        this.in = layout.in;
        this.nnz = layout.nnz;
        this.fwd = layout.fwd;
        this.dx = layout.dx;
        this.dw = layout.dw;
    }

    /** Builds the layout from mask (OUT * IN bytes, nonzero = keep) and the kernels over it. Values start at zero. */
    public static SparseLinearKernel build(byte[] mask, int out, int in) {
        return new SparseLinearKernel(SparseLayout.build(mask, out, in));
    }

    /** Builds from the mask and loads the kept values of the dense weight w (OUT, IN). */
    public static SparseLinearKernel build(byte[] mask, int out, int in, float[] w) {
        SparseLinearKernel k = build(mask, out, in);
        k.refreshValues(w);
        return k;
    }

    /** {@link SparseLayout#refreshValues}: re-reads the kept weights from the dense w (OUT, IN). O(nnz). */
    public void refreshValues(float[] w) {
        layout.refreshValues(w);
    }

    public double sparsity() {
        return layout.sparsity();
    }

    // ------------------------------------------------------------------ forward

    /** y (OUT features, N tokens) = W x + b, overwriting y. x has IN features; bias (OUT) may be null. */
    public void forward(TokenBlocks x, float[] bias, TokenBlocks y) {
        requireFeatures("x", x, in);
        requireFeatures("y", y, out);
        requireSameTokens(x, y);
        if (bias != null && bias.length != out) throw new IllegalArgumentException("bias has " + bias.length + " values, needs " + out);
        final int nb = y.blockCount();
        forChunks(out, minRowsPerThread(x.tokens, nnz, out), (from, to) -> {
            for (int i = from; i < to; i++) {
                float[][] yi = y.blocks[i];
                float b0 = bias == null ? 0f : bias[i];
                for (int b = 0; b < nb; b++) java.util.Arrays.fill(yi[b], b0);
            }
            accumulateTiled(y.blocks, from, to, fwd, x.blocks, nb);
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
        forChunks(in, minRowsPerThread(dy.tokens, nnz, in), (from, to) -> {
            accumulateTiled(dx.blocks, from, to, this.dx, dy.blocks, nb);
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
        forChunks(out, minRowsPerThread(x.tokens, nnz, out), (from, to) -> {
            float[] acc = new float[SparseLoops.LANES];
            // Feature tiles outermost: the tile's x vectors stay in cache while every row of this thread uses them.
            for (int f = 0; f < dw.tiles; f++) {
                for (int i = from; i < to; i++) {
                    float[][] dyi = dy.blocks[i];
                    for (int q = dw.start(i, f), q1 = dw.end(i, f); q < q1; q++) dwVal[dw.pos[q]] = SparseLoops.dot32(acc, dyi, x.blocks[dw.idx[q]]);
                }
            }
        });
    }

    /** Dense weight gradient dW (OUT, IN) += dy^T x at kept positions; masked positions are left untouched. */
    public void backwardWeight(TokenBlocks dy, TokenBlocks x, float[] dW) {
        if (dW.length != (long) out * in) throw new IllegalArgumentException("dW has " + dW.length + " values, needs " + (long) out * in);
        float[] dwVal = new float[nnz]; // backwardWeightValues checks dy and x before it touches anything
        backwardWeightValues(dy, x, dwVal);
        scatterAdd(dwVal, dW);
    }

    /** {@link SparseLayout#scatterAdd}: dW (OUT, IN) += the compressed gradient dwVal at kept positions. */
    public void scatterAdd(float[] dwVal, float[] dW) {
        layout.scatterAdd(dwVal, dW);
    }

    /** db (OUT) += sum over tokens of dy. */
    public void backwardBias(TokenBlocks dy, float[] db) {
        requireFeatures("dy", dy, out);
        if (db.length != out) throw new IllegalArgumentException("db has " + db.length + " values, needs " + out);
        for (int i = 0; i < out; i++) {
            float s = 0f;
            for (float[] blk : dy.blocks[i]) { // per half block, in order
                s += SparseLoops.sum(blk, 0, Math.min(blk.length, SparseLoops.HALF));
                if (blk.length > SparseLoops.HALF) s += SparseLoops.sum(blk, SparseLoops.HALF, blk.length - SparseLoops.HALF);
            }
            db[i] += s;
        }
    }

    // ------------------------------------------------------------------ rows layout (what tensors hold)

    /** y (N, OUT) = x (N, IN) W^T + b on rows-layout arrays, overwriting y; bias may be null. */
    public void forwardRows(float[] x, int n, float[] bias, float[] y) {
        forwardRows(x, n, bias, y, SIMD);
    }

    /**
     * dx (N, IN) += dy W, dwVal[p] = the compressed dW of kept entry p (CSR order), db (OUT) += sum over tokens of
     * dy, from x (N, IN) and dy (N, OUT) on rows-layout arrays; pass null for results not wanted.
     */
    public void backwardRows(float[] x, float[] dy, int n, float[] dx, float[] dwVal, float[] db) {
        backwardRows(x, dy, n, dx, dwVal, db, SIMD);
    }

    /** forwardRows on the Vector API kernel (simd, requires {@link #SIMD}) or on the plain twin: same bits. */
    void forwardRows(float[] x, int n, float[] bias, float[] y, boolean simd) {
        checkRows("x", x, n, in);
        checkRows("y", y, n, out);
        if (bias != null && bias.length != out) throw new IllegalArgumentException("bias has " + bias.length + " values, needs " + out);
        if (!simd) {
            forward(TokenBlocks.fromRows(x, 0, n, in), bias, y, 0);
            return;
        }
        forwardPacked(SparseSimd.packRows(x, 0, n, in, n, 0), n, bias, y);
    }

    /**
     * The input x (N, IN) packed as the Vector API kernels read it, into keep when it is large enough (else into a
     * new buffer; either way the buffer used is returned): {@link #forwardPacked} takes it, and backwardRows can
     * reuse it for the weight gradient instead of packing x again (CompressedKernel.Compressed keeps one per layer).
     * Requires {@link #SIMD}.
     */
    public float[] packInput(float[] x, int n, float[] keep) {
        checkRows("x", x, n, in);
        return SparseSimd.packRowsInto(keep, x, 0, n, in, n);
    }

    /** y (N, OUT) = x W^T + b from x already packed by {@link #packInput}. Requires {@link #SIMD}. */
    public void forwardPacked(float[] px, int n, float[] bias, float[] y) {
        checkRows("y", y, n, out);
        if (bias != null && bias.length != out) throw new IllegalArgumentException("bias has " + bias.length + " values, needs " + out);
        final float[] py = AlignedScratch.pack(1, SparseSimd.chunks(n) * out * SparseSimd.CHUNK);
        accumulateSimd(py, out, bias, fwd, px, in, n);
        SparseSimd.unpackRows(py, n, out, y, 0, false);
    }

    /** backwardRows on the Vector API kernels or on the plain twins, as {@link #forwardRows(float[], int, float[], float[], boolean)}. */
    void backwardRows(float[] x, float[] dy, int n, float[] dx, float[] dwVal, float[] db, boolean simd) {
        backwardRows(x, null, dy, n, dx, dwVal, db, simd);
    }

    /**
     * backwardRows with x also given packed by {@link #packInput} (px; null to pack it here). The weight gradient
     * zeroes px's tokens from N - (N mod 32) on, which no later use of px reads.
     */
    public void backwardRows(float[] x, float[] px, float[] dy, int n, float[] dx, float[] dwVal, float[] db) {
        backwardRows(x, px, dy, n, dx, dwVal, db, SIMD);
    }

    private void backwardRows(float[] x, float[] pxGiven, float[] dy, int n, float[] dx, float[] dwVal, float[] db, boolean simd) {
        checkRows("dy", dy, n, out);
        if (dx != null) checkRows("dx", dx, n, in);
        if (dwVal != null) {
            checkRows("x", x, n, in);
            if (dwVal.length != nnz) throw new IllegalArgumentException("dwVal has " + dwVal.length + " values, needs " + nnz);
        }
        if (db != null && db.length != out) throw new IllegalArgumentException("db has " + db.length + " values, needs " + out);
        if (!simd) {
            backwardPlain(dwVal == null ? null : TokenBlocks.fromRows(x, 0, n, in), dy, n, dx, dwVal, db);
            return;
        }
        final float[] pdy = SparseSimd.packRows(dy, 0, n, out, n, 0);
        if (db != null) SparseSimd.bias(pdy, n, out, db);
        if (dx != null) {
            final float[] pdx = AlignedScratch.pack(1, SparseSimd.chunks(n) * in * SparseSimd.CHUNK);
            accumulateSimd(pdx, in, null, this.dx, pdy, out, n);
            SparseSimd.unpackRows(pdx, n, in, dx, 0, true);
        }
        if (dwVal != null) {
            final int n32 = n & ~31;
            SparseSimd.zeroTokensFrom(pdy, out, n, n32); // tokens past the lanes: added one by one after the fold
            final float[] px;
            if (pxGiven == null) {
                px = SparseSimd.packRows(x, 0, n, in, n32, 1);
            } else {
                SparseSimd.zeroTokensFrom(pxGiven, in, n, n32);
                px = pxGiven;
            }
            // Slices of at least a quarter of the rows per thread: every slice streams all of px once (48-row
            // slices read the 12 MB of a 3072-feature input 16 times), while the lanes of a slice's entries in one
            // tile (rows x 16 x 128 bytes at 75%) still fit L2.
            int threads = Parallel.threads();
            forChunks(out, Math.max(minRowsPerThread(n, nnz, out), (out + 2 * threads - 1) / (2 * threads)), (from, to) ->
                    SparseSimd.weightGradient(pdy, px, dy, x, n, out, in, from, to, dw, dwVal));
        }
    }

    /**
     * backwardRows on the plain kernels, with x (N, IN) given as token blocks (as the plain forward of
     * CompressedKernel keeps it; may be null when dwVal is); dy, dx, dwVal and db as in backwardRows.
     */
    public void backwardPlain(TokenBlocks x, float[] dy, int n, float[] dx, float[] dwVal, float[] db) {
        checkRows("dy", dy, n, out);
        if (dx != null) checkRows("dx", dx, n, in);
        if (dwVal != null && dwVal.length != nnz) throw new IllegalArgumentException("dwVal has " + dwVal.length + " values, needs " + nnz);
        if (db != null && db.length != out) throw new IllegalArgumentException("db has " + db.length + " values, needs " + out);
        TokenBlocks dyt = TokenBlocks.fromRows(dy, 0, n, out);
        if (dx != null) backwardInput(dyt, dx, 0);
        if (dwVal != null) backwardWeightValues(dyt, x, dwVal);
        if (db != null) backwardBias(dyt, db);
    }

    /**
     * dst (packed, dstF lines) = the Vector API accumulate of every line of t over every chunk of n tokens. Split
     * over token chunks when there are at least two per thread (each thread then reads its own chunks of src and
     * writes its own of dst, and every pass streams one tile's entries, where every slice of a split over lines
     * streams all of src again; docs/MEASUREMENTS.md), otherwise over lines. Either way each output element is
     * computed by one thread in the same order.
     */
    private void accumulateSimd(float[] dst, int dstF, float[] init, TiledIndex t, float[] src, int srcF, int n) {
        final int chunks = (n + SparseSimd.CHUNK - 1) / SparseSimd.CHUNK, threads = Parallel.threads();
        if (threads > 1 && chunks >= 2 * threads) {
            selfScheduled(chunks, 1, (g, g1) -> SparseSimd.accumulate(dst, dstF, init, 0, t.lines, t, src, srcF, g, g1));
        } else {
            forChunks(t.lines, minRowsPerThread(n, nnz, t.lines), (from, to) ->
                    SparseSimd.accumulate(dst, dstF, init, from, to, t, src, srcF, 0, chunks));
        }
    }

    private static void checkRows(String what, float[] a, int n, int features) {
        if (a.length != (long) n * features) {
            throw new IllegalArgumentException(what + " has " + a.length + " values, needs " + n + " x " + features);
        }
    }

    // ------------------------------------------------------------------ shared inner kernel

    /**
     * dst[r][b] += sum_p val[p] * src[idx[p]][b] over the kept entries p of lines r in [from, to), for every token
     * block b. Loop order: token block, then index tile, then line, so one tile of src (TILE features x one block)
     * stays in L2 while all lines use it. Within a line and tile, six entries per pass over dst (one load and
     * store of dst per six fused multiply-adds, which beat four per pass with separate multiply and add), then
     * passes of four, two and one for the rest. For each output element the fused multiply-adds
     * happen one at a time in increasing p, whatever the thread split.
     */
    private static void accumulateTiled(float[][][] dst, int from, int to, TiledIndex t, float[][][] src, int nb) {
        final int[] idx = t.idx;
        final float[] val = t.val;
        for (int b = 0; b < nb; b++) {
            for (int f = 0; f < t.tiles; f++) {
                for (int r = from; r < to; r++) {
                    float[] d = dst[r][b];
                    int n = d.length;
                    int p = t.start(r, f), p1 = t.end(r, f);
                    for (; p + 6 <= p1; p += 6) {
                        SparseLoops.axpy6(d, val[p], src[idx[p]][b], val[p + 1], src[idx[p + 1]][b], val[p + 2], src[idx[p + 2]][b],
                                val[p + 3], src[idx[p + 3]][b], val[p + 4], src[idx[p + 4]][b], val[p + 5], src[idx[p + 5]][b], n);
                    }
                    if (p + 4 <= p1) {
                        SparseLoops.axpy4(d, val[p], src[idx[p]][b], val[p + 1], src[idx[p + 1]][b],
                                val[p + 2], src[idx[p + 2]][b], val[p + 3], src[idx[p + 3]][b], n);
                        p += 4;
                    }
                    if (p + 2 <= p1) {
                        SparseLoops.axpy2(d, val[p], src[idx[p]][b], val[p + 1], src[idx[p + 1]][b], n);
                        p += 2;
                    }
                    if (p < p1) SparseLoops.axpy(d, val[p], src[idx[p]][b], n);
                }
            }
        }
    }

    /**
     * Runs body over [0, n) in chunks handed out one at a time to the Parallel threads (self-scheduling), so a
     * thread slowed by other load on the machine takes fewer chunks instead of holding everyone up. Each row is
     * still computed whole by one thread in a fixed order, so results do not depend on who takes which chunk.
     * Chunks are at least minRows (too little work is not worth a hand-off) and at least 32 rows (a cache tile of
     * the input is reused by every row of a chunk), about eight per thread otherwise.
     */
    private static void forChunks(int n, int minRows, Parallel.RangeBody body) {
        int threads = Parallel.threads();
        int chunk = Math.max(minRows, Math.max(32, (n + 8 * threads - 1) / (8 * threads)));
        int chunks = (n + chunk - 1) / chunk;
        if (threads <= 1 || chunks <= 1 || minRows >= n) {
            body.run(0, n);
            return;
        }
        selfScheduled(n, chunk, body);
    }

    /** body over [0, n) in pieces of `chunk`, each handed to whichever Parallel thread asks next. */
    private static void selfScheduled(int n, int chunk, Parallel.RangeBody body) {
        int chunks = (n + chunk - 1) / chunk;
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        Parallel.forRange(Math.min(chunks, Parallel.threads()), 1, (a, b) -> {
            for (int c = next.getAndIncrement(); c < chunks; c = next.getAndIncrement()) {
                body.run(c * chunk, Math.min(n, (c + 1) * chunk));
            }
        });
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
