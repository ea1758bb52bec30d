package mediswift4j.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.junit.jupiter.api.Test;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import mediswift4j.tensor.Tensor;
import mediswift4j.util.Rng;

/** layerNorm (x, gamma, beta) and softmax against central finite differences (float32 on random small shapes, float64
 * references on vector-sized rows), plus their invariants. */
class NormOpsGradientTest {
    /**
     * Rows are a spread ramp plus noise so the row variance is never tiny: near-constant rows make 1/sqrt(var)
     * so steep that a step of h = 1e-2 is no longer "small", which would test the finite difference, not the op.
     */
    static Tensor spreadRows(Rng rng, int rows, int c) {
        Tensor x = Tensor.normal(rng, 0, 0.1f, rows, c);
        for (int r = 0; r < rows; r++) {
            float shift = (float) rng.nextGaussian();
            int[] order = new int[c]; // the ramp 0, 1, ..., c-1 in a random order
            for (int j = 0; j < c; j++) order[j] = j;
            for (int j = c - 1; j > 0; j--) {
                int k = rng.nextInt(j + 1), tmp = order[j];
                order[j] = order[k];
                order[k] = tmp;
            }
            for (int j = 0; j < c; j++) x.data[r * c + j] += shift + order[j] - (c - 1) / 2f;
        }
        return x;
    }

    @Property(tries = 30)
    void layerNorm(@ForAll @IntRange(min = 1, max = 4) int rows, @ForAll @IntRange(min = 2, max = 7) int c,
                   @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor x = spreadRows(rng, rows, c);
        Tensor gamma = Tensor.normal(rng, 1, 0.5f, c), beta = Tensor.normal(rng, 0, 0.5f, c);
        assertNull(GradCheck.check(in -> NormOps.layerNorm(in.get(0), in.get(1), in.get(2)), List.of(x, gamma, beta), seed));
    }

    /** With gamma = 1 and beta = 0 every row has mean 0 and (biased) variance var / (var + eps). */
    @Property(tries = 20)
    void layerNormNormalises(@ForAll @IntRange(min = 1, max = 4) int rows, @ForAll @IntRange(min = 2, max = 9) int c,
                             @ForAll long seed) {
        Tensor x = spreadRows(new Rng(seed), rows, c);
        Tensor y = NormOps.layerNorm(x, Tensor.ones(c), Tensor.zeros(c));
        for (int r = 0; r < rows; r++) {
            double m = 0, v = 0, xm = 0, xv = 0;
            for (int j = 0; j < c; j++) { m += y.data[r * c + j]; xm += x.data[r * c + j]; }
            m /= c;
            xm /= c;
            for (int j = 0; j < c; j++) {
                v += Math.pow(y.data[r * c + j] - m, 2);
                xv += Math.pow(x.data[r * c + j] - xm, 2);
            }
            v /= c;
            xv /= c;
            assertEquals(0, m, 1e-5);
            assertEquals(xv / (xv + NormOps.LAYER_NORM_EPS), v, 1e-4);
        }
    }

    @Property(tries = 30)
    void softmax(@ForAll @IntRange(min = 1, max = 4) int rows, @ForAll @IntRange(min = 1, max = 7) int c,
                 @ForAll long seed) {
        Tensor x = Tensor.normal(new Rng(seed), 0, 2, rows, c);
        assertNull(GradCheck.check(in -> NormOps.softmax(in.get(0)), List.of(x), seed));
    }

    /** Rows sum to 1 and large logits do not overflow (the maximum is subtracted first). */
    @Property(tries = 20)
    void softmaxRowsSumToOne(@ForAll @IntRange(min = 1, max = 4) int rows, @ForAll @IntRange(min = 1, max = 9) int c,
                             @ForAll long seed) {
        Tensor x = Tensor.normal(new Rng(seed), 0, 1, rows, c);
        for (int i = 0; i < x.size(); i++) x.data[i] += 500f;
        Tensor y = NormOps.softmax(x);
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int j = 0; j < c; j++) s += y.data[r * c + j];
            assertEquals(1.0, s, 1e-5);
        }
    }

    /**
     * Against a float64 LayerNorm written here (GradCheck.againstFloat64: a 0.1% error in dx, dgamma or dbeta fails)
     * with C = 35 = 2*16+3, so the Vector API row loops of any lane count run whole vectors and a tail.
     */
    @Test
    void layerNormAgainstFloat64() {
        Rng rng = new Rng(11);
        int rows = 7, c = 35;
        Tensor x = NormOpsGradientTest.spreadRows(rng, rows, c);
        Tensor gamma = Tensor.normal(rng, 1, 0.5f, c), beta = Tensor.normal(rng, 0, 0.5f, c);
        assertNull(GradCheck.againstFloat64(in -> NormOps.layerNorm(in.get(0), in.get(1), in.get(2)), a -> {
            double[] y = new double[rows * c];
            for (int r = 0; r < rows; r++) {
                double m = 0, v = 0;
                for (int j = 0; j < c; j++) m += a[0][r * c + j];
                m /= c;
                for (int j = 0; j < c; j++) v += (a[0][r * c + j] - m) * (a[0][r * c + j] - m);
                double rs = 1 / Math.sqrt(v / c + NormOps.LAYER_NORM_EPS);
                for (int j = 0; j < c; j++) y[r * c + j] = (a[0][r * c + j] - m) * rs * a[1][j] + a[2][j];
            }
            return y;
        }, List.of(x, gamma, beta), 11, 1000));
    }

    /** Against a float64 softmax, rows of 67 = 2*32+3. */
    @Test
    void softmaxAgainstFloat64() {
        int rows = 5, c = 67;
        Tensor x = Tensor.normal(new Rng(12), 0, 2, rows, c);
        assertNull(GradCheck.againstFloat64(in -> NormOps.softmax(in.get(0)), a -> {
            double[] y = new double[rows * c];
            for (int r = 0; r < rows; r++) {
                double max = Double.NEGATIVE_INFINITY, sum = 0;
                for (int j = 0; j < c; j++) max = Math.max(max, a[0][r * c + j]);
                for (int j = 0; j < c; j++) sum += Math.exp(a[0][r * c + j] - max);
                for (int j = 0; j < c; j++) y[r * c + j] = Math.exp(a[0][r * c + j] - max) / sum;
            }
            return y;
        }, List.of(x), 12, 1000));
    }
}
