package mediswift4j.sparse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import mediswift4j.nn.Masks;
import mediswift4j.util.Rng;

/**
 * The compressed kernels follow SPEC.md section 15's exact float order, bit for bit, checked against a plain
 * re-implementation of that text: forward and dx as one fused multiply-add per kept weight in index order; dW as 32
 * lane-wise chains of fused multiply-adds folded by halvings; db over 512-token chunks. Token counts straddle the
 * chunk (512) and block (1024) boundaries.
 */
class SpecOrderTest {
    static final int CHUNK = 512;

    @Test
    void resultsFollowTheSpecOrderBitForBit() {
        int out = 7, in = 11;
        for (int n : new int[] {1, 9, 511, 512, 513, 1000, 1023, 1024, 1025, 1536, 1600, 2047, 2048, 2049, 3100}) {
            Rng rng = new Rng(n);
            byte[] mask = Masks.random(n, "spec-order", out * in, 0.6);
            float[] x = SparseLinearKernelTest.uniform(rng, n * in), w = SparseLinearKernelTest.uniform(rng, out * in);
            float[] bias = SparseLinearKernelTest.uniform(rng, out), dy = SparseLinearKernelTest.uniform(rng, n * out);
            SparseLinearKernel k = SparseLinearKernel.build(mask, out, in, w);
            TokenBlocks xt = TokenBlocks.fromRows(x, 0, n, in), dyt = TokenBlocks.fromRows(dy, 0, n, out);

            float[] y = new float[n * out];
            k.forward(xt, bias, y, 0);
            float[] dx = new float[n * in];
            k.backwardInput(dyt, dx, 0);
            float[] dwVal = new float[k.nnz];
            k.backwardWeightValues(dyt, xt, dwVal);
            float[] db = new float[out];
            k.backwardBias(dyt, db);

            for (int t = 0; t < n; t++) {
                for (int i = 0; i < out; i++) {
                    float s = bias[i];
                    for (int j = 0; j < in; j++) if (mask[i * in + j] != 0) s = Math.fma(w[i * in + j], x[t * in + j], s);
                    assertEquals(Float.floatToRawIntBits(s), Float.floatToRawIntBits(y[t * out + i]), "y n=" + n);
                }
                for (int j = 0; j < in; j++) {
                    float s = 0f;
                    for (int i = 0; i < out; i++) if (mask[i * in + j] != 0) s = Math.fma(w[i * in + j], dy[t * out + i], s);
                    assertEquals(Float.floatToRawIntBits(0f + s), Float.floatToRawIntBits(dx[t * in + j]), "dx n=" + n);
                }
            }
            int p = 0;
            for (int i = 0; i < out; i++) {
                float[] a = column(dy, n, out, i);
                for (int j = 0; j < in; j++) {
                    if (mask[i * in + j] == 0) continue;
                    float expect = specDot(a, column(x, n, in, j));
                    assertEquals(Float.floatToRawIntBits(expect), Float.floatToRawIntBits(dwVal[p++]), "dW n=" + n);
                }
                float s = 0f;
                for (int c0 = 0; c0 < n; c0 += CHUNK) s += eightSum(a, c0, Math.min(CHUNK, n - c0));
                assertEquals(Float.floatToRawIntBits(s), Float.floatToRawIntBits(db[i]), "db n=" + n);
            }
        }
    }

    static float[] column(float[] rows, int n, int f, int c) {
        float[] v = new float[n];
        for (int t = 0; t < n; t++) v[t] = rows[t * f + c];
        return v;
    }

    /** SPEC 15's dW dot product: 32 lanes of fused multiply-adds, halvings 16, 8, 4, 2, 1, then the leftover tokens. */
    static float specDot(float[] a, float[] b) {
        int n = a.length, whole = n - n % 32;
        float[] acc = new float[32];
        for (int t = 0; t < whole; t++) acc[t % 32] = Math.fma(a[t], b[t], acc[t % 32]);
        for (int h = 16; h >= 1; h /= 2) for (int l = 0; l < h; l++) acc[l] += acc[l + h];
        float s = acc[0];
        for (int t = whole; t < n; t++) s = Math.fma(a[t], b[t], s);
        return s;
    }

    /** Eight partial sums s_k over lanes k, k+8, ...; leftovers to s0; ((s0+s1)+(s2+s3))+((s4+s5)+(s6+s7)). */
    static float eightSum(float[] v, int off, int n) {
        float[] s = new float[8];
        int l = 0;
        for (; l + 8 <= n; l += 8) for (int q = 0; q < 8; q++) s[q] += v[off + l + q];
        for (; l < n; l++) s[0] += v[off + l];
        return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
    }
}
