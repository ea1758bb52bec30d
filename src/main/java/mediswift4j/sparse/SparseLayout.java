package mediswift4j.sparse;

import java.util.Arrays;

import mediswift4j.tensor.Parallel;

/**
 * The compressed format of one masked weight W (OUT, IN), built once from its mask (O(OUT IN)); the kernels in
 * {@link SparseLinearKernel} walk it, and {@link CompressedKernel} builds one per masked layer.
 *
 *   CSR by output row:  rowPtr[OUT + 1], colIdx[nnz]  -- kept weights of row i at rowPtr[i] .., columns increasing;
 *                       an entry's CSR position is its slot in the compressed weight gradient dwVal
 *   three {@link TiledIndex} copies, the order the kernels walk them in (tile by tile, then line by line):
 *     fwd  CSR, tiles of TILE input columns, with values      forward
 *     dx   CSC, tiles of TILE output rows, with values        input gradient
 *     dw   CSR, tiles of TILE_DW input columns, no values     weight gradient (entries know their CSR position)
 *
 * The dense W stays the parameter the optimizer updates; {@link #refreshValues} gathers its kept entries into
 * fwd.val and dx.val (O(nnz)). Masked entries of W are never read, so the kernels compute with W * M even if W
 * holds stray values there. {@link #scatterAdd} takes a compressed weight gradient back to the dense layout.
 */
public final class SparseLayout {
    /**
     * Indices per tile in forward and dx (input columns, and output rows of the CSC copy), chosen so that one tile
     * of activations stays in cache while every line uses it. Plain kernels: 128 features x one 1024-token block =
     * 512 KB, half a 1 MB L2. Vector API kernels, one packed 128-token chunk: 128 x 128 x 4 B = 64 KB. Narrower
     * tiles pay more passes over each line, wider ones fall out of cache (bench sparse, docs/MEASUREMENTS.md).
     */
    static final int TILE = 128;

    /**
     * Input columns per tile of the weight gradient. Plain kernels, a tile holding all tokens: 64 x 1024 tokens =
     * 256 KB. Vector API, 256 tokens at a time: 64 x 256 x 4 B = 64 KB. Wider tiles measure the same; narrower
     * ones are slower (docs/MEASUREMENTS.md).
     */
    static final int TILE_DW = 64;

    public final int out, in, nnz;
    final int[] rowPtr, colIdx;
    /** The kernels' tile-by-tile copies (see the class comment). */
    final TiledIndex fwd, dx, dw;

    private SparseLayout(int out, int in, int[] rowPtr, int[] colIdx, int[] colPtr, int[] rowIdx, int[] cscToCsr) {
        this.out = out;
        this.in = in;
        this.nnz = colIdx.length;
        this.rowPtr = rowPtr;
        this.colIdx = colIdx;
        int[] flatCsr = new int[nnz], flatCsc = new int[nnz], csrPos = new int[nnz];
        for (int i = 0; i < out; i++) {
            for (int p = rowPtr[i]; p < rowPtr[i + 1]; p++) {
                flatCsr[p] = i * in + colIdx[p];
                csrPos[p] = p;
            }
        }
        for (int q = 0; q < nnz; q++) flatCsc[q] = flatCsr[cscToCsr[q]];
        this.fwd = TiledIndex.build(rowPtr, colIdx, flatCsr, in, TILE, true);
        this.dx = TiledIndex.build(colPtr, rowIdx, flatCsc, out, TILE, true);
        this.dw = TiledIndex.build(rowPtr, colIdx, csrPos, in, TILE_DW, false);
    }

    /** Builds the index structure from mask (OUT * IN bytes, nonzero = keep). Values start at zero. */
    public static SparseLayout build(byte[] mask, int out, int in) {
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
        int[] rowIdx = new int[nnz], cscToCsr = new int[nnz];
        int[] next = Arrays.copyOf(colPtr, in);
        int p = 0;
        for (int i = 0; i < out; i++) {
            for (int j = 0; j < in; j++) {
                if (mask[i * in + j] != 0) {
                    cscToCsr[next[j]] = p;
                    rowIdx[next[j]++] = i;
                    colIdx[p++] = j;
                }
            }
        }
        return new SparseLayout(out, in, rowPtr, colIdx, colPtr, rowIdx, cscToCsr);
    }

    /** Gathers the kept entries of the dense weight w (OUT, IN) into both compressed value arrays. O(nnz). */
    public void refreshValues(float[] w) {
        if (w.length != (long) out * in) throw new IllegalArgumentException("weight has " + w.length + " values, needs " + (long) out * in);
        fwd.gather(w);
        dx.gather(w);
    }

    /** Fraction of masked entries. */
    public double sparsity() {
        long n = (long) out * in;
        return n == 0 ? 0 : 1.0 - (double) nnz / n;
    }

    /** dW (OUT, IN) += the compressed gradient dwVal (CSR order), scattered to kept positions. */
    public void scatterAdd(float[] dwVal, float[] dW) {
        for (int i = 0; i < out; i++) {
            for (int p = rowPtr[i]; p < rowPtr[i + 1]; p++) dW[i * in + colIdx[p]] += dwVal[p];
        }
    }

    /**
     * A compressed sparse structure (CSR by output row, or CSC by input column) reordered tile by tile, the order
     * the kernels walk it in: for tile f of the other index (TILE consecutive columns of a row, or rows of a
     * column), the entries of line 0, then line 1, ... Entry q of line r in tile f lies in
     *
     *     ptr[f * (lines + 1) + r] .. ptr[f * (lines + 1) + r + 1]
     *
     * and within a line in increasing index order, so a line's entries are still met in increasing index order
     * when its tiles are taken in order (the per-element order of SPEC.md section 15 does not change).
     *
     * Why: the kernels take one tile at a time (its activations stay in cache) and pass over every line of it. In
     * plain CSR order the entries a pass reads are scattered (one short run per row, a row length apart), so every
     * pass missed the cache for them; in this order a pass reads one contiguous run (the gain is in
     * docs/MEASUREMENTS.md).
     *
     *   idx[q]  the other index of entry q (the input column of a CSR entry, the output row of a CSC one)
     *   pos[q]  where the entry comes from: its flat index i * IN + j in the dense weight (val[q] = W[pos[q]]),
     *           or, for the weight-gradient structure, its CSR position (its slot in the compressed gradient)
     *   val[q]  the kept weight, re-read from the dense W by {@link #gather}; null for a structure without values
     */
    static final class TiledIndex {
        final int lines, tiles, tile;
        final int[] ptr, idx, pos;
        final float[] val;

        private TiledIndex(int lines, int tiles, int tile, int[] ptr, int[] idx, int[] pos, boolean values) {
            this.lines = lines;
            this.tiles = tiles;
            this.tile = tile;
            this.ptr = ptr;
            this.idx = idx;
            this.pos = pos;
            this.val = values ? new float[idx.length] : null;
        }

        /** First entry of line r in tile f. */
        int start(int r, int f) {
            return ptr[f * (lines + 1) + r];
        }

        /** One past the last entry of line r in tile f. */
        int end(int r, int f) {
            return ptr[f * (lines + 1) + r + 1];
        }

        /**
         * Reorders a line-compressed structure (linePtr[lines + 1], lineIdx and linePos per entry, indices
         * increasing within a line, all below width) into tiles of `tile` consecutive indices.
         */
        static TiledIndex build(int[] linePtr, int[] lineIdx, int[] linePos, int width, int tile, boolean values) {
            int lines = linePtr.length - 1, nt = Math.max(1, (width + tile - 1) / tile), nnz = lineIdx.length;
            int[] ptr = new int[nt * (lines + 1)], idx = new int[nnz], pos = new int[nnz];
            int[] cursor = Arrays.copyOf(linePtr, lines); // next unplaced entry of each line
            int q = 0;
            for (int f = 0; f < nt; f++) {
                int limit = Math.min(width, (f + 1) * tile);
                for (int r = 0; r < lines; r++) {
                    ptr[f * (lines + 1) + r] = q;
                    int p = cursor[r];
                    while (p < linePtr[r + 1] && (f == nt - 1 || lineIdx[p] < limit)) {
                        idx[q] = lineIdx[p];
                        pos[q++] = linePos[p++];
                    }
                    cursor[r] = p;
                }
                ptr[f * (lines + 1) + lines] = q;
            }
            return new TiledIndex(lines, nt, tile, ptr, idx, pos, values);
        }

        /** val[q] = w[pos[q]] for every entry, in blocks spread over threads. O(nnz). */
        void gather(float[] w) {
            final int n = idx.length, block = 1 << 15;
            Parallel.forRange((n + block - 1) / block, 4, (b0, b1) -> {
                for (int q = b0 * block, end = Math.min(n, b1 * block); q < end; q++) val[q] = w[pos[q]];
            });
        }
    }
}
