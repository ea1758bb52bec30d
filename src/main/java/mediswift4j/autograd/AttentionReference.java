package mediswift4j.autograd;

import java.util.Arrays;

import mediswift4j.tensor.Parallel;
import mediswift4j.tensor.Tensor;

/**
 * The naive twin of {@link AttentionOp}: the same fused causal self-attention, forward and backward, written as
 * the plain loops of its formulas (dot products over HS per (t, s) pair, one query row at a time). It is the
 * original implementation, kept so the optimized op can be checked against something obviously right; see
 * AttentionOp for the formulas and the memory design (only per-row max and 1 / sum are kept, the probabilities
 * are recomputed in backward). Same API, same results within float rounding (AttentionPropertyTest).
 */
public final class AttentionReference {
    private AttentionReference() {}

    public static Tensor causalSelfAttention(Tensor qkv, int numHeads) {
        Shapes.requirePackedQkv(qkv, numHeads);
        int b = qkv.dim(0), t = qkv.dim(1), c3 = qkv.dim(2);
        int c = c3 / 3, hs = c / numHeads;
        float scale = (float) (1.0 / Math.sqrt(hs));
        Tensor out = Tensor.zeros(b, t, c);
        float[] rowMax = new float[b * numHeads * t], rowInv = new float[b * numHeads * t]; // (B, NH, T)
        Parallel.forRange(b * numHeads, 1, (from, to) -> {
            float[] q = new float[t * hs], k = new float[t * hs], v = new float[t * hs], o = new float[hs];
            float[] att = new float[t];
            for (int bh = from; bh < to; bh++) {
                int bi = bh / numHeads, h = bh % numHeads;
                gatherHead(qkv.data, bi, h, t, c, hs, q, k, v);
                for (int ti = 0; ti < t; ti++) {
                    scores(q, k, ti, hs, scale, att);
                    float max = Float.NEGATIVE_INFINITY;
                    for (int s = 0; s <= ti; s++) max = Math.max(max, att[s]);
                    double sum = 0;
                    for (int s = 0; s <= ti; s++) {
                        float e = PointwiseKernels.exp(att[s] - max);
                        att[s] = e;
                        sum += e;
                    }
                    float inv = (float) (1.0 / sum);
                    rowMax[bh * t + ti] = max;
                    rowInv[bh * t + ti] = inv;
                    Arrays.fill(o, 0f);
                    for (int s = 0; s <= ti; s++) {
                        float a = att[s] * inv;
                        for (int d = 0; d < hs; d++) o[d] += a * v[s * hs + d];
                    }
                    System.arraycopy(o, 0, out.data, (bi * t + ti) * c + h * hs, hs);
                }
            }
        });
        return Autograd.record(out, () -> {
            if (out.grad == null) return;
            float[] dqkv = qkv.grad();
            Parallel.forRange(b * numHeads, 1, (from, to) -> {
                float[] q = new float[t * hs], k = new float[t * hs], v = new float[t * hs];
                float[] dq = new float[t * hs], dk = new float[t * hs], dv = new float[t * hs];
                float[] dout = new float[hs], att = new float[t], datt = new float[t];
                for (int bh = from; bh < to; bh++) {
                    int bi = bh / numHeads, h = bh % numHeads;
                    gatherHead(qkv.data, bi, h, t, c, hs, q, k, v);
                    Arrays.fill(dq, 0f);
                    Arrays.fill(dk, 0f);
                    Arrays.fill(dv, 0f);
                    for (int ti = 0; ti < t; ti++) {
                        // the forward's probabilities, recomputed with the same operations (bit-identical)
                        scores(q, k, ti, hs, scale, att);
                        float max = rowMax[bh * t + ti], inv = rowInv[bh * t + ti];
                        for (int s = 0; s <= ti; s++) att[s] = PointwiseKernels.exp(att[s] - max) * inv;
                        System.arraycopy(out.grad, (bi * t + ti) * c + h * hs, dout, 0, hs);
                        double dotSum = 0;
                        for (int s = 0; s <= ti; s++) {
                            float a = att[s];
                            float dd = 0;
                            for (int d = 0; d < hs; d++) {
                                dv[s * hs + d] += a * dout[d];
                                dd += dout[d] * v[s * hs + d];
                            }
                            datt[s] = dd;
                            dotSum += a * dd;
                        }
                        for (int s = 0; s <= ti; s++) {
                            float ds = att[s] * (datt[s] - (float) dotSum) * scale;
                            for (int d = 0; d < hs; d++) {
                                dq[ti * hs + d] += ds * k[s * hs + d];
                                dk[s * hs + d] += ds * q[ti * hs + d];
                            }
                        }
                    }
                    for (int ti = 0; ti < t; ti++) {
                        int base = (bi * t + ti) * 3 * c + h * hs;
                        for (int d = 0; d < hs; d++) {
                            dqkv[base + d] += dq[ti * hs + d];
                            dqkv[base + c + d] += dk[ti * hs + d];
                            dqkv[base + 2 * c + d] += dv[ti * hs + d];
                        }
                    }
                }
            });
        }, qkv);
    }

    /** scores[s] = (q_ti . k_s) * scale for s <= ti, the dot product summed in float over d = 0..HS-1. */
    private static void scores(float[] q, float[] k, int ti, int hs, float scale, float[] scores) {
        for (int s = 0; s <= ti; s++) {
            float dot = 0;
            for (int d = 0; d < hs; d++) dot += q[ti * hs + d] * k[s * hs + d];
            scores[s] = dot * scale;
        }
    }

    /** Copies head h of batch row bi into contiguous (T, HS) arrays q, k, v. */
    private static void gatherHead(float[] qkv, int bi, int h, int t, int c, int hs, float[] q, float[] k, float[] v) {
        for (int ti = 0; ti < t; ti++) {
            int base = (bi * t + ti) * 3 * c + h * hs;
            System.arraycopy(qkv, base, q, ti * hs, hs);
            System.arraycopy(qkv, base + c, k, ti * hs, hs);
            System.arraycopy(qkv, base + 2 * c, v, ti * hs, hs);
        }
    }
}
