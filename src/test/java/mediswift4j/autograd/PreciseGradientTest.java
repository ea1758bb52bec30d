package mediswift4j.autograd;

import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import mediswift4j.tensor.Tensor;
import mediswift4j.util.Rng;

/**
 * Gradients that can see a 0.1% error (GradCheck.againstFloat64: float64 forwards written here, central
 * differences in float64), on shapes that reach every blocked and vectorized path with at least two blocks plus a
 * remainder in each dimension: 35 = 2*16+3 and 67 = 2*32+3 columns (vector loops of 4, 8 or 16 floats and
 * Matmul's 2-vector micro-panels, plus tails), 101 = 2*48+5 rows (Matmul's MC and the attention's 48-query
 * blocks), K = 1031 = 2*512+7 (the Vector API matmul's KC, and 8*120+71 for the plain one's), 65571 = 2*32768+35
 * elements (ElementwiseOps' per-thread split). LayerNorm and softmax are in NormOpsGradientTest. Measured worst
 * |analytic - numeric| / max|numeric| (printed with -Dgradcheck.report=true): 1.1e-6 for GELU (its float32
 * exponential), at most 2.6e-7 for matmul, linear, attention and cross-entropy, against GradCheck's bound of
 * 2e-5 max|numeric| + 5e-5 |numeric|.
 */
class PreciseGradientTest {
    static final int SAMPLES = 64;

    /** GPT-2's tanh GELU, 0.5 v (1 + tanh(sqrt(2/pi) (v + 0.044715 v^3))), over the per-thread split. */
    @Test
    void gelu() {
        int n = 2 * 32768 + 35;
        Tensor x = Tensor.normal(new Rng(13), 0, 2, n);
        assertNull(GradCheck.againstFloat64(in -> ElementwiseOps.gelu(in.get(0)), a -> {
            double[] y = new double[n];
            double k = Math.sqrt(2 / Math.PI);
            for (int i = 0; i < n; i++) {
                double v = a[0][i];
                y[i] = 0.5 * v * (1 + Math.tanh(k * (v + 0.044715 * v * v * v)));
            }
            return y;
        }, List.of(x), 13, 200));
    }

    @ParameterizedTest(name = "transA {0} transB {1}")
    @CsvSource({"false, false", "true, false", "false, true", "true, true"})
    void matmul(boolean transA, boolean transB) {
        int m = 101, k = 1031, n = 67;
        Rng rng = new Rng(14);
        Tensor a = Tensor.normal(rng, 0, 1, transA ? new int[] {k, m} : new int[] {m, k});
        Tensor b = Tensor.normal(rng, 0, 1, transB ? new int[] {n, k} : new int[] {k, n});
        assertNull(GradCheck.againstFloat64(in -> MatmulOps.matmul(in.get(0), in.get(1), transA, transB), v -> {
            double[] y = new double[m * n];
            for (int i = 0; i < m; i++) {
                for (int p = 0; p < k; p++) {
                    double aip = transA ? v[0][p * m + i] : v[0][i * k + p];
                    for (int j = 0; j < n; j++) y[i * n + j] += aip * (transB ? v[1][j * k + p] : v[1][p * n + j]);
                }
            }
            return y;
        }, List.of(a, b), 14, 24));
    }

    /** linear on a (B, T, IN) input with bias: y = x W^T + b. */
    @Test
    void linear() {
        int b = 2, t = 51, in = 67, out = 35;
        Rng rng = new Rng(15);
        Tensor x = Tensor.normal(rng, 0, 1, b, t, in), w = Tensor.normal(rng, 0, 1, out, in), bias = Tensor.normal(rng, 0, 1, out);
        assertNull(GradCheck.againstFloat64(v -> MatmulOps.linear(v.get(0), v.get(1), v.get(2)), v -> {
            double[] y = new double[b * t * out];
            for (int r = 0; r < b * t; r++) {
                for (int o = 0; o < out; o++) {
                    double s = v[2][o];
                    for (int i = 0; i < in; i++) s += v[0][r * in + i] * v[1][o * in + i];
                    y[r * out + o] = s;
                }
            }
            return y;
        }, List.of(x, w, bias), 15, SAMPLES));
    }

    /** Causal self-attention, T = 101 (three 48-query blocks, the last of 5), two heads of 35. */
    @Test
    void causalSelfAttention() {
        int b = 1, t = 101, nh = 2, hs = 35, c = nh * hs;
        Tensor qkv = Tensor.normal(new Rng(16), 0, 1, b, t, 3 * c);
        assertNull(GradCheck.againstFloat64(in -> AttentionOp.causalSelfAttention(in.get(0), nh), v -> {
            double[] y = new double[b * t * c], p = new double[t];
            double scale = 1 / Math.sqrt(hs);
            for (int bi = 0; bi < b; bi++) {
                for (int h = 0; h < nh; h++) {
                    for (int i = 0; i < t; i++) {
                        int qo = (bi * t + i) * 3 * c + h * hs;
                        double max = Double.NEGATIVE_INFINITY, sum = 0;
                        for (int j = 0; j <= i; j++) {
                            int ko = (bi * t + j) * 3 * c + c + h * hs;
                            double s = 0;
                            for (int d = 0; d < hs; d++) s += v[0][qo + d] * v[0][ko + d];
                            p[j] = s * scale;
                            max = Math.max(max, p[j]);
                        }
                        for (int j = 0; j <= i; j++) sum += p[j] = Math.exp(p[j] - max);
                        for (int j = 0; j <= i; j++) {
                            int vo = (bi * t + j) * 3 * c + 2 * c + h * hs;
                            for (int d = 0; d < hs; d++) y[(bi * t + i) * c + h * hs + d] += p[j] / sum * v[0][vo + d];
                        }
                    }
                }
            }
            return y;
        }, List.of(qkv), 16, 240));
    }

    /** Mean cross-entropy over the counted rows (one ignored), 101 rows of 67 logits. */
    @Test
    void crossEntropy() {
        int rows = 101, v = 67;
        Rng rng = new Rng(17);
        Tensor logits = Tensor.normal(rng, 0, 2, rows, v);
        int[] targets = new int[rows];
        for (int r = 0; r < rows; r++) targets[r] = rng.nextInt(v);
        targets[40] = -1;
        assertNull(GradCheck.againstFloat64(in -> LossOps.crossEntropy(in.get(0), targets, -1), a -> {
            double total = 0;
            int count = 0;
            for (int r = 0; r < rows; r++) {
                if (targets[r] < 0) continue;
                double max = Double.NEGATIVE_INFINITY, sum = 0;
                for (int j = 0; j < v; j++) max = Math.max(max, a[0][r * v + j]);
                for (int j = 0; j < v; j++) sum += Math.exp(a[0][r * v + j] - max);
                total += max + Math.log(sum) - a[0][r * v + targets[r]];
                count++;
            }
            return new double[] {total / count};
        }, List.of(logits), 17, 400));
    }
}
