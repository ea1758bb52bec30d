package mediswift4j.autograd;

import mediswift4j.tensor.Simd;

/**
 * LayerNorm's per-row backward (the input gradient), the plain loop and, when tensor.Simd.ENABLED, its Vector API
 * twin in LayerNormSimd (same float and double operations in the same order per element, so the same bits).
 *
 * For one row o .. o + C with mean m and rstd rs kept from the forward, g_j = dy_j gamma_j (float) and
 * xhat_j = (x_j - m) rs (float):
 *   sg = sum_j g_j, sgx = sum_j g_j xhat_j (float products)    both in double, in PointwiseKernels.sum's order
 *   mg = (float) (sg / C), mgx = (float) (sgx / C)
 *   dx_j += ((g_j - mg) - xhat_j mgx) rs                         in float32, in this order
 */
final class LayerNormKernels {
    private LayerNormKernels() {}

    static void backwardRow(float[] dy, float[] gamma, float[] x, float[] dx, int o, int c, float m, float rs) {
        if (Simd.ENABLED && (PointwiseSimd.SUM16 || PointwiseSimd.NARROW)) {
            LayerNormSimd.backwardRow(dy, gamma, x, dx, o, c, m, rs);
            return;
        }
        backwardRowPlain(dy, gamma, x, dx, o, c, m, rs);
    }

    static void backwardRowPlain(float[] dy, float[] gamma, float[] x, float[] dx, int o, int c, float m, float rs) {
        double[] pg = new double[16], pgx = new double[16];
        int c16 = c - c % 16;
        for (int j0 = 0; j0 < c16; j0 += 16) {
            for (int k = 0; k < 16; k++) {
                int j = j0 + k;
                float g = dy[o + j] * gamma[j];
                pg[k] += g;
                pgx[k] += g * ((x[o + j] - m) * rs);
            }
        }
        double sg = PointwiseKernels.tree16(pg), sgx = PointwiseKernels.tree16(pgx);
        for (int j = c16; j < c; j++) {
            float g = dy[o + j] * gamma[j];
            sg += g;
            sgx += g * ((x[o + j] - m) * rs);
        }
        float meanG = (float) (sg / c), meanGX = (float) (sgx / c);
        for (int j = 0; j < c; j++) {
            float xhat = (x[o + j] - m) * rs;
            float g = dy[o + j] * gamma[j];
            dx[o + j] += (g - meanG - xhat * meanGX) * rs;
        }
    }
}
