package mediswift4j.sparse;

import mediswift4j.tensor.Parallel;

/**
 * Activations stored feature-major with the token dimension contiguous, cut into blocks of tokens: the layout the
 * plain-Java sparse kernels of {@link SparseLinearKernel} work on (the Vector API kernels pack their own,
 * {@link SparseSimd}).
 *
 *   rows layout (what tensors hold):   a[t * F + f]              t < N tokens, f < F features, e.g. x (N, IN)
 *   token blocks (this class):         blocks[f][b][l] = a[(b * BLOCK + l) * F + f],   l < len(b)
 *
 * Every block holds BLOCK tokens except the last, which holds the remainder (N - (nb - 1) * BLOCK).
 *
 * Why separate arrays per (feature, block): HotSpot's C2 compiler vectorizes `c[l] += w * b[l]` and
 * `c[l] += a[l] * b[l]` only when every array is indexed by the same expression; with offsets into one flat array
 * the loop stays scalar, several times slower. Splitting tokens into blocks serves the weight gradient: each kept
 * weight's dot product over N tokens is accumulated half block by half block into one vector (vectorized), and
 * only that short vector is summed with scalar adds.
 *
 * The transposes from and to the rows layout are O(N * F), small next to the O(N * nnz) kernels.
 */
public final class TokenBlocks {
    /**
     * Tokens per block: long, because C2's unrolled vector loop needs long runs and every pass has a scalar pre-
     * and post-loop, so forward and dx speed up with every doubling up to 1024 (docs/MEASUREMENTS.md). The
     * weight gradient works on half blocks (SparseLoops.HALF = 512 lanes, constant offsets), so it is unchanged
     * and every result is bit-identical to 512-token blocks.
     */
    public static final int BLOCK = 1024;

    public final int features;
    public final int tokens;
    /** blocks[f][b] holds tokens b*BLOCK .. b*BLOCK + len(b) - 1 of feature f. */
    public final float[][][] blocks;

    public TokenBlocks(int features, int tokens) {
        if (features < 0 || tokens < 0) throw new IllegalArgumentException("negative size " + features + " x " + tokens);
        this.features = features;
        this.tokens = tokens;
        int nb = blockCount(tokens);
        this.blocks = new float[features][nb][];
        for (int f = 0; f < features; f++) {
            for (int b = 0; b < nb; b++) blocks[f][b] = new float[blockLength(tokens, b)];
        }
    }

    public static int blockCount(int tokens) {
        return (tokens + BLOCK - 1) / BLOCK;
    }

    public static int blockLength(int tokens, int b) {
        return Math.min(BLOCK, tokens - b * BLOCK);
    }

    public int blockCount() {
        return blocks.length == 0 ? blockCount(tokens) : blocks[0].length;
    }

    /** Copy of a rows-layout matrix a (N, F) starting at a[off]: the transpose, split into token blocks. */
    public static TokenBlocks fromRows(float[] a, int off, int tokens, int features) {
        TokenBlocks t = new TokenBlocks(features, tokens);
        t.loadRows(a, off);
        return t;
    }

    /** Overwrites this with the rows-layout matrix a (N, F) at a[off]. Parallel over features. */
    public void loadRows(float[] a, int off) {
        final int nb = blockCount(tokens), F = features;
        // Tiles of 16 features x one block of tokens: reads of a stay within a few cache lines per token.
        Parallel.forRange((F + 15) / 16, 4, (from, to) -> {
            float[][] dst = new float[16][];
            for (int tile = from; tile < to; tile++) {
                int f0 = tile * 16, w = Math.min(F, f0 + 16) - f0;
                for (int b = 0; b < nb; b++) {
                    for (int k = 0; k < w; k++) dst[k] = blocks[f0 + k][b]; // fetched once per block, not per value
                    int len = blockLength(tokens, b), t0 = b * BLOCK;
                    for (int l = 0; l < len; l++) {
                        int base = off + (t0 + l) * F + f0;
                        for (int k = 0; k < w; k++) dst[k][l] = a[base + k];
                    }
                }
            }
        });
    }

    /** Writes this back as a rows-layout matrix dst (N, F) at dst[off]: overwrite, or add when accumulate. */
    public void storeRows(float[] dst, int off, boolean accumulate) {
        final int nb = blockCount(tokens), F = features;
        // Tiles of 16 features, parallel over tiles: each thread owns 16 columns of dst. Within a tile the 16
        // source arrays are fetched once per block and every token writes one contiguous run of 16 floats (one
        // cache line), instead of touching all F feature arrays per token (several times faster,
        // docs/MEASUREMENTS.md).
        Parallel.forRange((F + 15) / 16, 4, (from, to) -> {
            float[][] src = new float[16][];
            for (int tile = from; tile < to; tile++) {
                int f0 = tile * 16, w = Math.min(F, f0 + 16) - f0;
                for (int b = 0; b < nb; b++) {
                    for (int k = 0; k < w; k++) src[k] = blocks[f0 + k][b];
                    int len = blockLength(tokens, b), t0 = b * BLOCK;
                    for (int l = 0; l < len; l++) {
                        int base = off + (t0 + l) * F + f0;
                        if (accumulate) {
                            for (int k = 0; k < w; k++) dst[base + k] += src[k][l];
                        } else {
                            for (int k = 0; k < w; k++) dst[base + k] = src[k][l];
                        }
                    }
                }
            }
        });
    }

    /** Value of feature f at token t (tests and references). */
    public float get(int f, int t) {
        return blocks[f][t / BLOCK][t % BLOCK];
    }
}
