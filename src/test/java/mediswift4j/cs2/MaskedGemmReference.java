package mediswift4j.cs2;

/**
 * The naive twin of {@link DataflowGrid}: the dense masked product Y = X (W * mask)^T, written out plainly.
 *
 *   X (M, K) activations, W (N, K) weights stored like a linear layer (OUT, IN), mask (N, K) 1 keep / 0 masked.
 *   Y[m][n] = sum over k = 0 .. K-1, in ascending k, of X[m][k] * (mask[n][k] ? W[n][k] : 0)
 *
 * The sum starts from +0.0f and accumulates in float32, one product at a time, in ascending k. The dataflow grid
 * adds the same products in the same order but skips the masked ones; for finite X the skipped terms are +-0.0f,
 * and adding +-0.0f to an accumulator that started at +0.0f never changes it (such an accumulator is never -0.0f),
 * so both give bit-identical results.
 */
public final class MaskedGemmReference {
    private MaskedGemmReference() {}

    public static float[] multiply(float[] x, int m, int k, float[] w, byte[] keep, int n) {
        if (x.length != m * k) throw new IllegalArgumentException("X must have " + m + " x " + k + " entries, has " + x.length);
        if (w.length != n * k || keep.length != n * k) throw new IllegalArgumentException("W and mask must have " + n + " x " + k + " entries");
        float[] y = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float acc = 0f;
                for (int p = 0; p < k; p++) {
                    float wm = keep[j * k + p] != 0 ? w[j * k + p] : 0f;   // the masked (dense) weight matrix
                    acc += x[i * k + p] * wm;
                }
                y[i * n + j] = acc;
            }
        }
        return y;
    }
}
