package mediswift4j.autograd;

import mediswift4j.tensor.Tensor;

/** Cross-entropy over logits, the language-modelling loss. */
public final class LossOps {
    private LossOps() {}

    /**
     * Mean cross-entropy of logits (N, V) against targets[N]; rows whose target equals ignoreIndex count for
     * nothing (not in the loss, not in the mean's denominator). If every row is ignored the loss is 0.
     * Computed as logsumexp(row) - row[target] in double. Backward: dlogits = (softmax - onehot) / count * dloss.
     */
    public static Tensor crossEntropy(Tensor logits, int[] targets, int ignoreIndex) {
        int v = logits.dim(-1), n = Shapes.rows(logits);
        if (targets.length != n) {
            throw new IllegalArgumentException("crossEntropy: " + targets.length + " targets for " + n + " rows of logits " + logits.shapeString());
        }
        int count = 0;
        double total = 0;
        float[] probs = new float[logits.size()];
        for (int r = 0; r < n; r++) {
            int tgt = targets[r];
            if (tgt == ignoreIndex) continue;
            if (tgt < 0 || tgt >= v) throw new IllegalArgumentException("crossEntropy: target " + tgt + " at row " + r + " outside vocabulary " + v);
            NormOps.softmaxRow(logits.data, probs, r * v, v);
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < v; j++) max = Math.max(max, logits.data[r * v + j]);
            double sum = 0;
            for (int j = 0; j < v; j++) sum += Math.exp(logits.data[r * v + j] - max);
            total += Math.log(sum) + max - logits.data[r * v + tgt];
            count++;
        }
        final int counted = count;
        Tensor loss = Tensor.of(new float[] {counted == 0 ? 0f : (float) (total / counted)}, 1);
        if (counted == 0) return loss;
        return Autograd.record(loss, () -> {
            if (loss.grad == null) return;
            float scale = loss.grad[0] / counted;
            float[] g = logits.grad();
            for (int r = 0; r < n; r++) {
                int tgt = targets[r];
                if (tgt == ignoreIndex) continue;
                int o = r * v;
                for (int j = 0; j < v; j++) g[o + j] += scale * (probs[o + j] - (j == tgt ? 1f : 0f));
            }
        }, logits);
    }
}
