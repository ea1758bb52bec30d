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
     * The row sums (mean, variance, mean(g), mean(g xhat)) are in double, each as four interleaved partial sums
     * (PointwiseKernels.sum's order). Rows go to threads for y and dx, column blocks for dgamma and dbeta, so every
     * element is computed in one fixed order whatever the thread count.
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
                float rs = (float) (1.0 / Math.sqrt(centeredSquares(xd, o, c, m) / c + LAYER_NORM_EPS));
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
                        int o = r * c;
                        float m = mean[r], rs = rstd[r];
                        // meanG = sum g / C, meanGX = sum g xhat / C, four partial sums each
                        double g0 = 0, g1 = 0, g2 = 0, g3 = 0, h0 = 0, h1 = 0, h2 = 0, h3 = 0;
                        int j = 0;
                        for (; j + 4 <= c; j += 4) {
                            float ga = dy[o + j] * gd[j], gb = dy[o + j + 1] * gd[j + 1];
                            float gc = dy[o + j + 2] * gd[j + 2], ge = dy[o + j + 3] * gd[j + 3];
                            g0 += ga;
                            g1 += gb;
                            g2 += gc;
                            g3 += ge;
                            h0 += ga * ((xd[o + j] - m) * rs);
                            h1 += gb * ((xd[o + j + 1] - m) * rs);
                            h2 += gc * ((xd[o + j + 2] - m) * rs);
                            h3 += ge * ((xd[o + j + 3] - m) * rs);
                        }
                        double sg = (g0 + g1) + (g2 + g3), sgx = (h0 + h1) + (h2 + h3);
                        for (; j < c; j++) {
                            float g = dy[o + j] * gd[j];
                            sg += g;
                            sgx += g * ((xd[o + j] - m) * rs);
                        }
                        double meanG = sg / c, meanGX = sgx / c;
                        for (j = 0; j < c; j++) {
                            float xhat = (xd[o + j] - m) * rs;
                            float g = dy[o + j] * gd[j];
                            gx[o + j] += (float) ((g - meanG - xhat * meanGX) * rs);
                        }
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

    /** sum over j of (a[o + j] - m)^2 (float differences and squares, summed in double, four partial sums). */
    private static double centeredSquares(float[] a, int o, int c, float m) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int j = 0;
        for (; j + 4 <= c; j += 4) {
            float d0 = a[o + j] - m, d1 = a[o + j + 1] - m, d2 = a[o + j + 2] - m, d3 = a[o + j + 3] - m;
            s0 += d0 * d0;
            s1 += d1 * d1;
            s2 += d2 * d2;
            s3 += d3 * d3;
        }
        double s = (s0 + s1) + (s2 + s3);
        for (; j < c; j++) {
            float d = a[o + j] - m;
            s += d * d;
        }
        return s;
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
