package mediswift4j.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import mediswift4j.tensor.Tensor;
import mediswift4j.util.Rng;

/**
 * Edges of the fused attention (AttentionOp) that its property tests did not reach (found by PIT):
 * - a softmax row saturated by its own key: the row maximum must include the diagonal, else exp overflows; the
 *   expected output is the closed form (that key's value row, the other rows a plain average);
 * - lengths T = 15 and 63 (multiples of 3 that are 15 mod 16), where the keys rounded up to whole vectors end
 *   exactly at the end of the workspace rows' slack, against the naive twin AttentionReference;
 * - causality, bit for bit: the outputs and gradients of positions [0, T') do not change when later positions
 *   are appended (with zero output gradient there). Appending regroups the rows into threes and one-row leftovers
 *   and adds masked zero terms to the chains, so this checks that neither changes a bit (SPEC.md section 3: one
 *   fma per term in increasing order), which docs/MUTATION.md relies on for the row-grouping mutants.
 */
class AttentionEdgeCasesTest {
    /** qkv (1, T, 3 HS) with one head: queries, keys, values as given, HS columns each. */
    static Tensor packed(float[][] q, float[][] k, float[][] v) {
        int t = q.length, hs = q[0].length;
        Tensor qkv = Tensor.zeros(1, t, 3 * hs);
        for (int i = 0; i < t; i++) {
            System.arraycopy(q[i], 0, qkv.data, i * 3 * hs, hs);
            System.arraycopy(k[i], 0, qkv.data, i * 3 * hs + hs, hs);
            System.arraycopy(v[i], 0, qkv.data, i * 3 * hs + 2 * hs, hs);
        }
        return qkv;
    }

    @Test
    void aRowSaturatedByItsOwnKeyReturnsThatKeysValue() {
        int t = 5, hs = 4;
        Rng rng = new Rng(11);
        float[][] q = new float[t][hs], k = new float[t][hs], v = new float[t][hs];
        for (int i = 0; i < t; i++) for (int d = 0; d < hs; d++) v[i][d] = (float) rng.nextGaussian();
        // every key is 0 except the last, so rows 0..3 see equal scores 0 and average their visible values; the last
        // query meets the last key with score (10 * 40) / sqrt(4) = 200: exp(0 - 200) is 0 in float, probability 1
        q[t - 1][0] = 10f;
        k[t - 1][0] = 40f;
        Tensor qkv = packed(q, k, v);
        Tensor out = AttentionOp.causalSelfAttention(qkv, 1);
        for (int i = 0; i < t - 1; i++) {
            for (int d = 0; d < hs; d++) {
                double mean = 0;
                for (int s = 0; s <= i; s++) mean += v[s][d];
                mean /= i + 1;
                assertEquals(mean, out.data[i * hs + d], 1e-6, "row " + i + " column " + d);
            }
        }
        for (int d = 0; d < hs; d++) assertEquals(v[t - 1][d], out.data[(t - 1) * hs + d], "saturated row, column " + d);
    }

    private static float[][] run(boolean reference, Tensor qkv, Tensor w, int nh) {
        qkv.grad = null;
        qkv.requiresGrad = true;
        Tensor out = reference ? AttentionReference.causalSelfAttention(qkv, nh) : AttentionOp.causalSelfAttention(qkv, nh);
        Autograd.backward(ShapeOps.sum(ElementwiseOps.mul(out, w)));
        return new float[][] {out.data.clone(), qkv.grad.clone()};
    }

    @Test
    void lengthsWhoseRoundedKeysFillTheRowSlackMatchTheReference() {
        for (int t : new int[] {15, 63}) {
            Rng rng = new Rng(t);
            int nh = 2, hs = 5;
            Tensor qkv = Tensor.normal(rng, 0, 1, 2, t, 3 * nh * hs), w = Tensor.normal(rng, 0, 1, 2, t, nh * hs);
            float[][] naive = run(true, qkv, w, nh), fast = run(false, qkv, w, nh);
            for (int part = 0; part < 2; part++) {
                double tol = part == 0 ? 1e-5 : 1e-4;
                for (int i = 0; i < naive[part].length; i++) {
                    double e = naive[part][i], a = fast[part][i];
                    assertTrue(Math.abs(e - a) <= tol * Math.max(1, Math.abs(e)), "T " + t + (part == 0 ? " output " : " gradient ") + i + ": " + e + " vs " + a);
                }
            }
        }
    }

    @Test
    void appendingPositionsChangesNoBitOfEarlierOutputsOrGradients() {
        int nh = 2, hs = 7, c = nh * hs;
        int[][] pairs = {{1, 2}, {4, 6}, {5, 9}, {3, 4}, {47, 50}, {48, 52}, {49, 101}};
        for (int[] pair : pairs) {
            int shortT = pair[0], longT = pair[1];
            Rng rng = new Rng(31L * shortT + longT);
            Tensor qkvLong = Tensor.normal(rng, 0, 1, 1, longT, 3 * c), wLong = Tensor.normal(rng, 0, 1, 1, longT, c);
            for (int i = shortT * c; i < longT * c; i++) wLong.data[i] = 0f; // no gradient flows from later outputs
            Tensor qkvShort = Tensor.of(java.util.Arrays.copyOf(qkvLong.data, shortT * 3 * c), 1, shortT, 3 * c);
            Tensor wShort = Tensor.of(java.util.Arrays.copyOf(wLong.data, shortT * c), 1, shortT, c);
            float[][] shortRun = run(false, qkvShort, wShort, nh), longRun = run(false, qkvLong, wLong, nh);
            String what = "T " + shortT + " inside T " + longT;
            for (int i = 0; i < shortT * c; i++) {
                assertEquals(Float.floatToRawIntBits(shortRun[0][i]), Float.floatToRawIntBits(longRun[0][i]), what + ", output " + i);
            }
            for (int i = 0; i < shortT * 3 * c; i++) {
                assertEquals(Float.floatToRawIntBits(shortRun[1][i]), Float.floatToRawIntBits(longRun[1][i]), what + ", gradient " + i);
            }
        }
    }
}
