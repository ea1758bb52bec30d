package mediswift4j.autograd;

import mediswift4j.tensor.Parallel;
import mediswift4j.tensor.Tensor;

/** LayerNorm and softmax over the last dimension. */
public final class NormOps {
    private NormOps() {}

    public static final float LAYER_NORM_EPS = 1e-5f;

    /**
     * LayerNorm over the last dimension C: y = (x - mean) / sqrt(var + eps) * gamma + beta, with the biased
     * variance (divide by C), as PyTorch. Backward, with xhat the normalised input and g = dy * gamma:
     * dx = (g - mean(g) - xhat * mean(g * xhat)) / sqrt(var + eps);  dgamma = sum over rows of dy * xhat,
     * dbeta = sum over rows of dy (each column summed over rows in row order).
     * The row sums (mean, variance, mean(g), mean(g xhat)) are in double, each in PointwiseKernels.sum's order
     * (sixteen interleaved partial sums); dx per row is LayerNormKernels.backwardRow (SIMD twin when enabled).
     * Rows go to threads for y and dx, column blocks for dgamma and dbeta, so every element is computed in one
     * fixed order whatever the thread count.
     */
    public static Tensor layerNorm(Tensor x, Tensor gamma, Tensor beta) {
        Shapes.requireFeatures("layerNorm", x);
        int c = x.dim(-1);
        if (gamma.rank() != 1 || gamma.dim(0) != c) throw Shapes.mismatch("layerNorm", x, gamma, "gamma must be (C)");
        if (beta.rank() != 1 || beta.dim(0) != c) throw Shapes.mismatch("layerNorm", x, beta, "beta must be (C)");
        int rows = Shapes.rows(x);
        Tensor y = Tensor.zeros(x.shape);
        float[] mean = new float[rows], rstd = new float[rows];
        int rowsPerThread = Math.max(1, ElementwiseOps.MIN_PER_THREAD / (4 * c));
        Parallel.forRange(rows, rowsPerThread, (from, to) -> {
            float[] xd = x.data, yd = y.data, gd = gamma.data, bd = beta.data;
            for (int r = from; r < to; r++) {
                int o = r * c;
                float m = (float) (PointwiseKernels.sum(xd, o, c) / c);
                float rs = (float) (1.0 / Math.sqrt(PointwiseKernels.sumOfCenteredSquares(xd, o, c, m) / c + LAYER_NORM_EPS));
                mean[r] = m;
                rstd[r] = rs;
                for (int j = 0; j < c; j++) yd[o + j] = (xd[o + j] - m) * rs * gd[j] + bd[j];
            }
        });
        return Autograd.record(y, () -> {
            if (y.grad == null) return;
            float[] xd = x.data, dy = y.grad, gd = gamma.data;
            if (x.requiresGrad) {
                float[] gx = x.grad();
                Parallel.forRange(rows, rowsPerThread, (from, to) -> {
                    for (int r = from; r < to; r++) {
                        LayerNormKernels.backwardRow(dy, gd, xd, gx, r * c, c, mean[r], rstd[r]);
                    }
                });
            }
            // Each of gamma and beta only when it wants a gradient: a frozen norm keeps grad == null.
            float[] gg = gamma.requiresGrad ? gamma.grad() : null, gb = beta.requiresGrad ? beta.grad() : null;
            if (gg == null && gb == null) return;
            int colsPerThread = Math.max(16, ElementwiseOps.MIN_PER_THREAD / Math.max(1, rows));
            Parallel.forRange(c, colsPerThread, (j0, j1) -> {
                for (int r = 0; r < rows; r++) {
                    int o = r * c;
                    float m = mean[r], rs = rstd[r];
                    if (gg != null) for (int j = j0; j < j1; j++) gg[j] += dy[o + j] * ((xd[o + j] - m) * rs);
                    if (gb != null) for (int j = j0; j < j1; j++) gb[j] += dy[o + j];
                }
            });
        }, x, gamma, beta);
    }

    /** Softmax over the last dimension (max subtracted first). Backward: dx = y * (dy - sum(dy * y)). */
    public static Tensor softmax(Tensor x) {
        Shapes.requireFeatures("softmax", x);
        int c = x.dim(-1), rows = Shapes.rows(x);
        Tensor y = Tensor.zeros(x.shape);
        for (int r = 0; r < rows; r++) softmaxRow(x.data, y.data, r * c, c);
        return Autograd.record(y, () -> {
            if (y.grad == null) return;
            float[] g = x.grad();
            for (int r = 0; r < rows; r++) {
                int o = r * c;
                double dot = 0;
                for (int j = 0; j < c; j++) dot += y.grad[o + j] * y.data[o + j];
                for (int j = 0; j < c; j++) g[o + j] += (float) (y.data[o + j] * (y.grad[o + j] - dot));
            }
        }, x);
    }

    /**
     * out[o..o+c) = softmax(in[o..o+c)): m = max, e_j = exp(in_j - m) with PointwiseKernels.exp (float32),
     * sum = e summed in double (PointwiseKernels.sum's fixed order), out_j = e_j * (float) (1 / sum).
     * Returns sum, so that callers get log-sum-exp = log(sum) + m without a second pass of exponentials.
     */
    static double softmaxRow(float[] in, float[] out, int o, int c) {
        return softmaxRow(in, out, o, c, PointwiseKernels.max(in, o, c));
    }

    /** As above with the row maximum already known. */
    static double softmaxRow(float[] in, float[] out, int o, int c, float max) {
        PointwiseKernels.expShifted(in, o, out, o, c, max);
        double sum = PointwiseKernels.sum(out, o, c);
        PointwiseKernels.scale(out, o, c, (float) (1.0 / sum));
        return sum;
    }
}
