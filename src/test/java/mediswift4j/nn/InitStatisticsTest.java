package mediswift4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import mediswift4j.tensor.Tensor;

/**
 * The initialisation of SPEC.md section 6 checked by its statistics, not by our generator's own numbers: every
 * weight matrix and embedding is N(0, 0.02) except the residual output projections (attn.c_proj, mlp.c_proj),
 * N(0, 0.02 / sqrt(2L)); biases are 0 and LayerNorm gains 1, exactly.
 *
 * Bounds: for n independent draws from N(0, sigma), the sample mean has standard error sigma / sqrt(n), the sample
 * standard deviation sigma / sqrt(2n), and the fraction inside one sigma (0.6827) sqrt(0.6827 * 0.3173 / n). Each
 * is required within 5 standard errors (a false alarm about once in 1.7 million per check, about 200 checks here).
 * The smallest tensor, attn.c_proj of C = 96, has n = 9216: its std must be within 3.7% of 0.02 / sqrt(8) =
 * 0.00707, far from the 0.01 of a forgotten factor 2 (sqrt(L)), the 0.02 of no scaling, or a uniform draw (57.7%
 * inside one sigma, against 0.6827 +- 2.4%).
 */
class InitStatisticsTest {
    static final int L = 4, C = 96;

    @Test
    void everyParameterHasTheSpecifiedDistribution() {
        Gpt m = new Gpt(new ModelConfig("init-stats", L, C, 4, 128, 1000));
        m.initialize(20261203L);
        double residual = 0.02 / Math.sqrt(2.0 * L);
        int checked = 0;
        for (Tensor p : m.parameters()) {
            String n = p.name;
            if (n.endsWith(".bias")) {
                for (float x : p.data) assertEquals(0f, x, n);
            } else if (n.contains("ln_")) {
                for (float x : p.data) assertEquals(1f, x, n);
            } else {
                boolean scaled = n.endsWith("attn.c_proj.weight") || n.endsWith("mlp.c_proj.weight");
                normal(n, p.data, scaled ? residual : 0.02);
                checked++;
            }
        }
        assertEquals(2 + 4 * L, checked, "weight tensors checked");
    }

    static void normal(String name, float[] x, double sigma) {
        int n = x.length;
        double sum = 0, sq = 0;
        long inside = 0;
        for (float v : x) {
            sum += v;
            sq += (double) v * v;
            if (Math.abs(v) <= sigma) inside++;
        }
        double mean = sum / n, std = Math.sqrt(sq / n - mean * mean);
        assertTrue(Math.abs(mean) <= 5 * sigma / Math.sqrt(n), name + ": mean " + mean + " for sigma " + sigma + ", n " + n);
        assertTrue(Math.abs(std / sigma - 1) <= 5 / Math.sqrt(2.0 * n), name + ": std " + std + ", expected " + sigma + ", n " + n);
        double p = 0.6826894921370859, frac = (double) inside / n;
        assertTrue(Math.abs(frac - p) <= 5 * Math.sqrt(p * (1 - p) / n), name + ": " + frac + " inside one sigma, expected " + p);
    }
}
