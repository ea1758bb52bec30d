package mediswift4j.autograd;

import java.util.Arrays;

import mediswift4j.tensor.Parallel;
import mediswift4j.tensor.Tensor;

/**
 * Causal multi-head self-attention, fused: from the packed projections qkv (B, T, 3C) to the heads' outputs
 * concatenated, (B, T, C). Within the last dimension of qkv, [0, C) are the queries, [C, 2C) the keys,
 * [2C, 3C) the values (GPT-2's c_attn layout); head h owns columns [h HS, (h+1) HS) of each, HS = C / NH.
 *
 * Per batch row b and head h, with scale = 1/sqrt(HS):
 *   score[t][s] = (q_t . k_s) * scale                      for s <= t (positions after t are masked out)
 *   att[t][s]   = exp(score[t][s] - max_t) * inv_t,         max_t = max_s score, inv_t = 1 / sum_s exp(...)
 *   out_t       = sum_s att[t][s] v_s
 * Backward, with dout the output's gradient:
 *   dv_s += att[t][s] dout_t;   datt[t][s] = dout_t . v_s
 *   dscore[t][s] = att[t][s] (datt[t][s] - sum_s' att[t][s'] datt[t][s'])
 *   dq_t += scale dscore[t][s] k_s;   dk_s += scale dscore[t][s] q_t
 *
 * Memory: the probabilities att are NOT kept (B * NH * T * T floats, 268 MB per layer and sequence at NH = 16,
 * T = 2048). Only max_t and inv_t are kept, 2 * B * NH * T floats, and backward recomputes att[t][s] with the
 * very same float operations as the forward, so it sees bit-identical probabilities. The cost is one more
 * Q K^T product and one more exp per (t, s <= t) in backward (PointwiseKernels.exp, vectorized). Keeping P when
 * it is small would save that, but attention is a small share of a training step of the bench models, so the
 * gain does not pay for a second code path and the extra memory held per layer until backward.
 *
 * How it is fast: every product above is a matrix product per (batch row, head), done by the row-array kernels
 * of {@link AttentionKernels}, which C2 vectorizes. Per head, Q, K, V and dout are gathered into (T, HS) row
 * arrays and K, V also transposed into (HS, T) row arrays, so that
 *   scores  S[t][:]  += q_t[d]  * kT[d][:]      (over keys)      dP[t][:] += dout_t[d] * vT[d][:]
 *   output  out_t[:] += P[t][s] * v_s[:]        (over HS)        dq_t[:]  += dS[t][s]  * k_s[:]
 *   dk_s[:] += dS[t][s] * q_t[:]  and  dv_s[:] += P[t][s] * dout_t[:]   (coefficients read down a column)
 * Queries are taken in blocks of QUERY_BLOCK rows, so the probability buffers are (QUERY_BLOCK, T) per thread
 * whatever T is; within a block, rows go in threes and each three computes keys only up to its last row (the
 * causal triangle, plus at most two masked keys per row, which are discarded). The kernels step p by three, so
 * the workspace pads HS and T up to multiples of 3 with zeros (and zeroes masked probabilities): a padded term
 * adds fma(0, x, c) = c, leaving the results unchanged while sparing the slow one-row leftover sweeps.
 *
 * Speed against AttentionReference and between the C2-vectorized and Vector API kernels: AttentionBench, figures
 * in docs/MEASUREMENTS.md.
 *
 * Work is split over the B * NH (batch row, head) pairs, which write disjoint outputs; within a pair every
 * element is computed in a fixed order, so results do not depend on the thread count. The naive twin (the plain
 * loops of the formulas) is {@link AttentionReference}; a second, composed from matmul, softmax and shape ops, is
 * in the tests (AttentionOpGradientTest.naiveAttention).
 */
public final class AttentionOp {
    private AttentionOp() {}

    /** Query rows per block: a multiple of 3 (the kernels' row group). */
    static final int QUERY_BLOCK = 48;

    /** Floats of slack past the end of every workspace row: one 512-bit vector, for AttentionSimd's masked tails. */
    static final int SLACK = 16;

    public static Tensor causalSelfAttention(Tensor qkv, int numHeads) {
        Shapes.requirePackedQkv(qkv, numHeads);
        int b = qkv.dim(0), t = qkv.dim(1), c3 = qkv.dim(2);
        int c = c3 / 3, hs = c / numHeads;
        float scale = (float) (1.0 / Math.sqrt(hs));
        Tensor out = Tensor.zeros(b, t, c);
        float[] rowMax = new float[b * numHeads * t], rowInv = new float[b * numHeads * t]; // (B, NH, T)
        Parallel.forRange(b * numHeads, 1, (from, to) -> {
            Head w = new Head(t, hs, false);
            for (int bh = from; bh < to; bh++) {
                int bi = bh / numHeads, h = bh % numHeads;
                w.gather(qkv.data, bi, h, c);
                for (int t0 = 0; t0 < t; t0 += QUERY_BLOCK) {
                    int n = Math.min(QUERY_BLOCK, t - t0);
                    forwardBlock(w, bh * t, t0, n, scale, rowMax, rowInv);
                    for (int i = 0; i < n; i++) System.arraycopy(w.o[i], 0, out.data, (bi * t + t0 + i) * c + h * hs, hs);
                }
            }
        });
        return Autograd.record(out, () -> {
            if (out.grad == null) return;
            float[] dqkv = qkv.grad();
            Parallel.forRange(b * numHeads, 1, (from, to) -> {
                Head w = new Head(t, hs, true);
                for (int bh = from; bh < to; bh++) {
                    int bi = bh / numHeads, h = bh % numHeads;
                    w.gather(qkv.data, bi, h, c);
                    w.gatherDout(out.grad, bi, h, c);
                    for (int t0 = 0; t0 < t; t0 += QUERY_BLOCK) {
                        backwardBlock(w, bh * t, t0, Math.min(QUERY_BLOCK, t - t0), scale, rowMax, rowInv);
                    }
                    w.scatterGrad(dqkv, bi, h, c);
                }
            });
        }, qkv);
    }

    /** Forward for query rows [t0, t0 + n) of one head: P in w.p, outputs in w.o, row max and 1 / sum stored. */
    private static void forwardBlock(Head w, int rowBase, int t0, int n, float scale, float[] rowMax, float[] rowInv) {
        w.scores(t0, n, scale);
        for (int i = 0; i < n; i++) {
            float[] row = w.p[i];
            int ti = t0 + i;
            float max = PointwiseKernels.max(row, 0, ti + 1);
            PointwiseKernels.expShifted(row, 0, row, 0, ti + 1, max);
            float inv = (float) (1.0 / PointwiseKernels.sum(row, 0, ti + 1));
            PointwiseKernels.scale(row, 0, ti + 1, inv);
            rowMax[rowBase + ti] = max;
            rowInv[rowBase + ti] = inv;
        }
        w.zeroMasked(w.p, t0, n);
        // out_t = sum_{s <= t} P[t][s] v_s, rows in threes over the keys up to the three's last row
        for (int i = 0; i < n; i++) Arrays.fill(w.o[i], 0f);
        int i = 0;
        for (; i + 3 <= n; i += 3) AttentionKernels.rowsProduct3(w.p, i, w.v, 0, w.o, i, 0, t0 + i + 3, 0, w.hs);
        for (; i < n; i++) AttentionKernels.rows1(w.p, i, w.v, 0, w.o, i, 0, t0 + i + 1, 0, w.hs);
    }

    /** Backward for query rows [t0, t0 + n) of one head: adds their contributions to w.dq, w.dk, w.dv. */
    private static void backwardBlock(Head w, int rowBase, int t0, int n, float scale, float[] rowMax, float[] rowInv) {
        // the forward's probabilities, recomputed with the same operations (bit-identical)
        w.scores(t0, n, scale);
        for (int i = 0; i < n; i++) {
            float[] row = w.p[i];
            int ti = t0 + i;
            float max = rowMax[rowBase + ti], inv = rowInv[rowBase + ti];
            PointwiseKernels.expShifted(row, 0, row, 0, ti + 1, max);
            PointwiseKernels.scale(row, 0, ti + 1, inv);
        }
        w.zeroMasked(w.p, t0, n);
        // dP[t][s] = dout_t . v_s, then dS[t][s] = P[t][s] (dP[t][s] - sum_s' P dP) * scale, in place
        w.rowsDotKeys(w.dout, w.vT, w.dp, t0, n);
        for (int i = 0; i < n; i++) {
            float[] p = w.p[i], ds = w.dp[i];
            int ti = t0 + i;
            float rowDot = (float) PointwiseKernels.dot(p, ds, ti + 1);
            for (int s = 0; s <= ti; s++) ds[s] = p[s] * (ds[s] - rowDot) * scale;
        }
        w.zeroMasked(w.dp, t0, n);
        // dq_t += sum_{s <= t} dS[t][s] k_s
        int i = 0;
        for (; i + 3 <= n; i += 3) AttentionKernels.rowsProduct3(w.dp, i, w.k, 0, w.dq, t0 + i, 0, t0 + i + 3, 0, w.hs);
        for (; i < n; i++) AttentionKernels.rows1(w.dp, i, w.k, 0, w.dq, t0 + i, 0, t0 + i + 1, 0, w.hs);
        // dk_s += sum_{t >= s in the block} dS[t][s] q_t and dv_s += P[t][s] dout_t, keys in threes over the padded
        // key and query ranges (padded entries of P, dS, q, dout are zero)
        int n3 = roundUp3(n);
        for (int s = 0; s < t0 + n3; s += 3) {
            int pFrom = Math.max(0, s - t0); // rows t < s of the block have dS[t][s..s+2] = 0
            AttentionKernels.colsProduct3(w.dp, 0, s, w.q, t0, w.dk, s, pFrom, n3, 0, w.hs);
            AttentionKernels.colsProduct3(w.p, 0, s, w.dout, t0, w.dv, s, pFrom, n3, 0, w.hs);
        }
    }

    static int roundUpSlack(int x) {
        return (x + SLACK - 1) / SLACK * SLACK;
    }

    static int roundUp3(int x) {
        return (x + 2) / 3 * 3;
    }

    /**
     * One thread's workspace for one (batch row, head) at a time; reused across the pairs it handles. Rows are
     * padded to T3 = T rounded up to a multiple of 3 and head columns to HS3 likewise; padding stays zero.
     */
    private static final class Head {
        final int t, hs, t3, hs3;
        final float[][] q, k, v, kT, vT; // (T3, HS3) rows; kT, vT: (HS3, T3) rows
        final float[][] p, o;            // (QB3, T3) scores / probabilities, (QB3, HS) output
        final float[][] dout, dq, dk, dv, dp; // backward only: (T3, HS3) rows, dp (QB3, T3) dP then dS

        Head(int t, int hs, boolean backward) {
            this.t = t;
            this.hs = hs;
            t3 = roundUp3(t);
            hs3 = roundUp3(hs);
            int qb = roundUp3(Math.min(QUERY_BLOCK, t));
            // rows carry SLACK floats past their logical length for the SIMD kernels' masked tails (never read)
            int rowHs = hs3 + SLACK, rowT = t3 + SLACK;
            q = new float[t3][rowHs];
            k = new float[t3][rowHs];
            v = new float[t3][rowHs];
            kT = new float[hs3][rowT];
            vT = backward ? new float[hs3][rowT] : null;
            p = new float[qb][rowT];
            o = backward ? null : new float[qb][hs + SLACK];
            dout = backward ? new float[t3][rowHs] : null;
            dq = backward ? new float[t3][rowHs] : null;
            dk = backward ? new float[t3][rowHs] : null;
            dv = backward ? new float[t3][rowHs] : null;
            dp = backward ? new float[qb][rowT] : null;
        }

        /**
         * p[i][s] = (q_{t0+i} . k_s) * scale for i in [0, n) and s <= t0 + i; up to two masked keys after that
         * hold unscaled products, which the caller overwrites.
         */
        void scores(int t0, int n, float scale) {
            rowsDotKeys(q, kT, p, t0, n);
            for (int i = 0; i < n; i++) {
                float[] row = p[i];
                for (int s = 0; s <= t0 + i; s++) row[s] *= scale;
            }
        }

        /**
         * out[i][s] = a_{t0+i} . bT[:][s] over the padded HS3 for i in [0, n) and keys s up to the end of i's
         * three (or s <= t0 + i for the leftover rows), that end rounded up to a multiple of SLACK: whole vectors
         * for the SIMD kernels (no masked tail). The extra keys are masked ones (zeroed or never read) and fit in
         * the rows' slack, where kT and vT are zero.
         */
        void rowsDotKeys(float[][] a, float[][] bT, float[][] out, int t0, int n) {
            int i = 0;
            for (; i + 3 <= n; i += 3) {
                int keys = roundUpSlack(t0 + i + 3);
                for (int r = i; r < i + 3; r++) Arrays.fill(out[r], 0, keys, 0f);
                AttentionKernels.rowsProduct3(a, t0 + i, bT, 0, out, i, 0, hs3, 0, keys);
            }
            for (; i < n; i++) {
                int keys = roundUpSlack(t0 + i + 1);
                Arrays.fill(out[i], 0, keys, 0f);
                AttentionKernels.rows1(a, t0 + i, bT, 0, out, i, 0, hs3, 0, keys);
            }
        }

        /** Zeroes m[i][s] for s > t0 + i within the block's padded keys, and the padded rows [n, roundUp3(n)). */
        void zeroMasked(float[][] m, int t0, int n) {
            int end = t0 + roundUp3(n);
            for (int i = 0; i < n; i++) Arrays.fill(m[i], t0 + i + 1, end, 0f);
            for (int i = n; i < roundUp3(n); i++) Arrays.fill(m[i], 0, end, 0f);
        }

        /** Copies head h of batch row bi of qkv (B, T, 3C) into q, k, v rows and the transposes kT, vT. */
        void gather(float[] qkv, int bi, int h, int c) {
            for (int ti = 0; ti < t; ti++) {
                int base = (bi * t + ti) * 3 * c + h * hs;
                System.arraycopy(qkv, base, q[ti], 0, hs);
                System.arraycopy(qkv, base + c, k[ti], 0, hs);
                System.arraycopy(qkv, base + 2 * c, v[ti], 0, hs);
            }
            transpose(k, kT);
            if (vT != null) transpose(v, vT);
        }

        /** dst[d][ti] = src[ti][d] for ti < T, d < HS, in 8 x 8 tiles (one pass over src rows' cache lines). */
        private void transpose(float[][] src, float[][] dst) {
            for (int t0 = 0; t0 < t; t0 += 8) {
                int t1 = Math.min(t, t0 + 8);
                for (int d0 = 0; d0 < hs; d0 += 8) {
                    int d1 = Math.min(hs, d0 + 8);
                    for (int d = d0; d < d1; d++) {
                        float[] row = dst[d];
                        for (int ti = t0; ti < t1; ti++) row[ti] = src[ti][d];
                    }
                }
            }
        }

        /** Copies head h of batch row bi of the output gradient (B, T, C) into dout rows; zeroes dq, dk, dv. */
        void gatherDout(float[] grad, int bi, int h, int c) {
            for (int ti = 0; ti < t; ti++) System.arraycopy(grad, (bi * t + ti) * c + h * hs, dout[ti], 0, hs);
            for (int ti = 0; ti < t3; ti++) {
                Arrays.fill(dq[ti], 0f);
                Arrays.fill(dk[ti], 0f);
                Arrays.fill(dv[ti], 0f);
            }
        }

        /** Adds dq, dk, dv into head h of batch row bi of the gradient of qkv (B, T, 3C). */
        void scatterGrad(float[] dqkv, int bi, int h, int c) {
            for (int ti = 0; ti < t; ti++) {
                int base = (bi * t + ti) * 3 * c + h * hs;
                PointwiseKernels.addInto(dq[ti], 0, dqkv, base, hs);
                PointwiseKernels.addInto(dk[ti], 0, dqkv, base + c, hs);
                PointwiseKernels.addInto(dv[ti], 0, dqkv, base + 2 * c, hs);
            }
        }
    }
}
