package mediswift4j.sparse;

/**
 * The naive twin of the compressed path ({@link CompressedKernel}, {@link SparseLinearKernel}), and the first thing
 * to read about it: the masked linear layer written as plain loops over the dense mask, rows layout, accumulated in
 * double. x (N, IN), w and mask (OUT, IN), bias (OUT) or null, y (N, OUT).
 */
public final class SparseLinearReference {
    private SparseLinearReference() {}

    /** y = x (w * mask)^T + bias, overwriting y. */
    public static void forward(float[] x, float[] w, byte[] mask, float[] bias, float[] y, int n, int in, int out) {
        for (int t = 0; t < n; t++) {
            for (int i = 0; i < out; i++) {
                double s = bias == null ? 0 : bias[i];
                for (int j = 0; j < in; j++) if (mask[i * in + j] != 0) s += (double) x[t * in + j] * w[i * in + j];
                y[t * out + i] = (float) s;
            }
        }
    }

    /** dx += dy (w * mask). */
    public static void backwardInput(float[] dy, float[] w, byte[] mask, float[] dx, int n, int in, int out) {
        for (int t = 0; t < n; t++) {
            for (int j = 0; j < in; j++) {
                double s = 0;
                for (int i = 0; i < out; i++) if (mask[i * in + j] != 0) s += (double) dy[t * out + i] * w[i * in + j];
                dx[t * in + j] += (float) s;
            }
        }
    }

    /** dW += (dy^T x) * mask: masked positions untouched. */
    public static void backwardWeight(float[] dy, float[] x, byte[] mask, float[] dW, int n, int in, int out) {
        for (int i = 0; i < out; i++) {
            for (int j = 0; j < in; j++) {
                if (mask[i * in + j] == 0) continue;
                double s = 0;
                for (int t = 0; t < n; t++) s += (double) dy[t * out + i] * x[t * in + j];
                dW[i * in + j] += (float) s;
            }
        }
    }

    /** db += column sums of dy. */
    public static void backwardBias(float[] dy, float[] db, int n, int out) {
        for (int i = 0; i < out; i++) {
            double s = 0;
            for (int t = 0; t < n; t++) s += dy[t * out + i];
            db[i] += (float) s;
        }
    }
}
