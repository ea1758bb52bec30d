package mediswift4j.autograd;

import mediswift4j.tensor.Tensor;

/** LayerNorm and softmax over the last dimension. */
public final class NormOps {
    private NormOps() {}

    public static final float LAYER_NORM_EPS = 1e-5f;

    /**
     * LayerNorm over the last dimension C: y = (x - mean) / sqrt(var + eps) * gamma + beta, with the biased
     * variance (divide by C), as PyTorch. Backward, with xhat the normalised input and g = dy * gamma:
     * dx = (g - mean(g) - xhat * mean(g * xhat)) / sqrt(var + eps).
     */
    public static Tensor layerNorm(Tensor x, Tensor gamma, Tensor beta) {
        Shapes.requireFeatures("layerNorm", x);
        int c = x.dim(-1);
        if (gamma.rank() != 1 || gamma.dim(0) != c) throw Shapes.mismatch("layerNorm", x, gamma, "gamma must be (C)");
        if (beta.rank() != 1 || beta.dim(0) != c) throw Shapes.mismatch("layerNorm", x, beta, "beta must be (C)");
        int rows = Shapes.rows(x);
        Tensor y = Tensor.zeros(x.shape);
        float[] mean = new float[rows], rstd = new float[rows];
        for (int r = 0; r < rows; r++) {
            int o = r * c;
            double s = 0;
            for (int j = 0; j < c; j++) s += x.data[o + j];
            float m = (float) (s / c);
            double v = 0;
            for (int j = 0; j < c; j++) {
                float d = x.data[o + j] - m;
                v += d * d;
            }
            float rs = (float) (1.0 / Math.sqrt(v / c + LAYER_NORM_EPS));
            mean[r] = m;
            rstd[r] = rs;
            for (int j = 0; j < c; j++) y.data[o + j] = (x.data[o + j] - m) * rs * gamma.data[j] + beta.data[j];
        }
        return Autograd.record(y, () -> {
            if (y.grad == null) return;
            for (int r = 0; r < rows; r++) {
                int o = r * c;
                double meanG = 0, meanGX = 0;
                for (int j = 0; j < c; j++) {
                    float xhat = (x.data[o + j] - mean[r]) * rstd[r];
                    float g = y.grad[o + j] * gamma.data[j];
                    meanG += g;
                    meanGX += g * xhat;
                }
                meanG /= c;
                meanGX /= c;
                if (x.requiresGrad) {
                    float[] gx = x.grad();
                    for (int j = 0; j < c; j++) {
                        float xhat = (x.data[o + j] - mean[r]) * rstd[r];
                        float g = y.grad[o + j] * gamma.data[j];
                        gx[o + j] += (float) ((g - meanG - xhat * meanGX) * rstd[r]);
                    }
                }
                // Each of gamma and beta only when it wants a gradient: a frozen norm keeps grad == null.
                if (gamma.requiresGrad) {
                    float[] gg = gamma.grad();
                    for (int j = 0; j < c; j++) {
                        float xhat = (x.data[o + j] - mean[r]) * rstd[r];
                        gg[j] += y.grad[o + j] * xhat;
                    }
                }
                if (beta.requiresGrad) {
                    float[] gb = beta.grad();
                    for (int j = 0; j < c; j++) gb[j] += y.grad[o + j];
                }
            }
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
        float max = PointwiseKernels.max(in, o, c);
        PointwiseKernels.expShifted(in, o, out, o, c, max);
        double sum = PointwiseKernels.sum(out, o, c);
        PointwiseKernels.scale(out, o, c, (float) (1.0 / sum));
        return sum;
    }
}
