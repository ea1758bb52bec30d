package mediswift4j.autograd;

import mediswift4j.tensor.Tensor;

/** Cross-entropy over logits, the language-modelling loss. */
public final class LossOps {
    private LossOps() {}

    /**
     * Mean cross-entropy of logits (N, V) (or (B, T, V), read as N = B*T rows) against targets[N]; rows whose
     * target equals ignoreIndex count for nothing (not in the loss, not in the mean's denominator).
     * Per row: logsumexp(row) - row[target], in double, with the row maximum subtracted first.
     * Backward: dlogits = (softmax - onehot) / count * dloss on counted rows, nothing on ignored rows.
     * If every row is ignored the loss is 0 and it still takes part in backward (so a micro-batch that is all
     * padding does not break a training loop), passing no gradient to the logits.
     */
    public static Tensor crossEntropy(Tensor logits, int[] targets, int ignoreIndex) {
        Shapes.requireFeatures("crossEntropy", logits);
        int v = logits.dim(-1), n = Shapes.rows(logits);
        if (targets.length != n) {
            throw new IllegalArgumentException("crossEntropy: " + targets.length + " targets for " + n + " rows of logits " + logits.shapeString());
        }
        // Copied: the backward step runs later, and callers reuse their target buffers for the next batch.
        int[] tgts = targets.clone();
        int count = 0;
        double total = 0;
        float[] probs = new float[logits.size()];
        for (int r = 0; r < n; r++) {
            int tgt = tgts[r];
            if (tgt == ignoreIndex) continue;
            if (tgt < 0 || tgt >= v) {
                throw new IllegalArgumentException("crossEntropy: target " + tgt + " at row " + r + " outside vocabulary " + v
                        + " of logits " + logits.shapeString());
            }
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
        return Autograd.record(loss, () -> {
            if (loss.grad == null || counted == 0) return;
            float scale = loss.grad[0] / counted;
            float[] g = logits.grad();
            for (int r = 0; r < n; r++) {
                int tgt = tgts[r];
                if (tgt == ignoreIndex) continue;
                int o = r * v;
                for (int j = 0; j < v; j++) g[o + j] += scale * (probs[o + j] - (j == tgt ? 1f : 0f));
            }
        }, logits);
    }
}
