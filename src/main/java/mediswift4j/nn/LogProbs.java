package mediswift4j.nn;

import mediswift4j.autograd.Autograd;
import mediswift4j.tensor.Tensor;

/**
 * Per-position log-probabilities of chosen tokens, for scoring answers and for fine-tuning losses that weight
 * positions differently.
 *
 *   out[r] = logits[r][targets[r]] - logsumexp(logits[r])       logits (N, V) or (..., V), out (N)
 * Backward: dlogits[r][j] = dout[r] * (onehot(targets[r])[j] - softmax(logits[r])[j]).
 * The log-sum-exp accumulates in float64 (SPEC.md section 1).
 */
public final class LogProbs {
    private LogProbs() {}

    public static Tensor gather(Tensor logits, int[] targets) {
        int v = logits.dim(-1), n = logits.size() / Math.max(1, v);
        if (targets.length != n) {
            throw new IllegalArgumentException("tokenLogProbs: " + targets.length + " targets for " + n + " rows of " + logits.shapeString());
        }
        Tensor out = Tensor.zeros(n);
        double[] lse = new double[n];
        for (int r = 0; r < n; r++) {
            int o = r * v, tgt = targets[r];
            if (tgt < 0 || tgt >= v) throw new IllegalArgumentException("tokenLogProbs: target " + tgt + " at row " + r + " outside vocabulary " + v);
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < v; j++) max = Math.max(max, logits.data[o + j]);
            double sum = 0;
            for (int j = 0; j < v; j++) sum += Math.exp(logits.data[o + j] - max);
            lse[r] = Math.log(sum) + max;
            out.data[r] = (float) (logits.data[o + tgt] - lse[r]);
        }
        return Autograd.record(out, () -> {
            if (out.grad == null) return;
            float[] g = logits.grad();
            for (int r = 0; r < n; r++) {
                float d = out.grad[r];
                if (d == 0f) continue;
                int o = r * v;
                for (int j = 0; j < v; j++) g[o + j] -= d * (float) Math.exp(logits.data[o + j] - lse[r]);
                g[o + targets[r]] += d;
            }
        }, logits);
    }
}
