package mediswift4j.cs2;

/**
 * A masked weight matrix W (OUT, IN) = (N, K) in the compressed form that is streamed to the wafer: only the kept
 * weights travel, each with its column index (compressed sparse rows).
 *
 *   rowStart[n] .. rowStart[n+1]-1  are the positions of row n's kept weights, in ascending column order
 *   index[p]  = the column k (input feature) of kept weight p
 *   value[p]  = W[n][k]
 *
 * "Kept" follows the mask, not the value: a kept weight that happens to be 0.0f is still streamed (the mask, fixed
 * for the whole of pre-training, decides what the hardware sees). Masked weights are never stored or sent.
 */
public record CompressedWeights(int rows, int cols, int[] rowStart, int[] index, float[] value) {

    /** Compress W (rows x cols, row-major) under keep (1 keep, 0 masked). */
    public static CompressedWeights fromMasked(float[] w, byte[] keep, int rows, int cols) {
        if (rows < 0 || cols < 0) throw new IllegalArgumentException("negative shape " + rows + " x " + cols);
        if (w.length != rows * cols || keep.length != rows * cols) {
            throw new IllegalArgumentException("weights (" + w.length + ") and mask (" + keep.length + ") must both have "
                    + rows + " x " + cols + " entries");
        }
        int nnz = 0;
        for (byte b : keep) if (b != 0) nnz++;
        int[] rowStart = new int[rows + 1];
        int[] index = new int[nnz];
        float[] value = new float[nnz];
        int p = 0;
        for (int n = 0; n < rows; n++) {
            rowStart[n] = p;
            for (int k = 0; k < cols; k++) {
                if (keep[n * cols + k] != 0) {
                    index[p] = k;
                    value[p] = w[n * cols + k];
                    p++;
                }
            }
        }
        rowStart[rows] = p;
        return new CompressedWeights(rows, cols, rowStart, index, value);
    }

    /** Number of kept weights (= packets streamed). */
    public int nonzeros() {
        return index.length;
    }

    /** Kept weights of row n. */
    public int rowNonzeros(int n) {
        return rowStart[n + 1] - rowStart[n];
    }
}
