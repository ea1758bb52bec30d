package mediswift4j.autograd;

import mediswift4j.tensor.Parallel;
import mediswift4j.tensor.Tensor;

/** Cross-entropy over logits, the language-modelling loss. */
public final class LossOps {
    private LossOps() {}

    /**
     * Mean cross-entropy of logits (N, V) (or (B, T, V), read as N = B*T rows) against targets[N]; rows whose
     * target equals ignoreIndex count for nothing (not in the loss, not in the mean's denominator).
     * Per row, with the row's softmax computed once (NormOps.softmaxRow: maximum m, float32 exponentials e_j, their
     * sum in double): loss_r = log(sum) + m - row[target], in double; the loss is the rows' losses summed in row
     * order (double) over the count. The probabilities are kept for backward.
     * Backward: dlogits = (softmax - onehot) / count * dloss on counted rows, nothing on ignored rows.
     * If every row is ignored the loss is 0 and it still takes part in backward (so a micro-batch that is all
     * padding does not break a training loop), passing no gradient to the logits.
     * Rows are independent, so both directions split them over threads (bit-identical for any thread count).
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
        for (int r = 0; r < n; r++) {
            int tgt = tgts[r];
            if (tgt == ignoreIndex) continue;
            if (tgt < 0 || tgt >= v) {
                throw new IllegalArgumentException("crossEntropy: target " + tgt + " at row " + r + " outside vocabulary " + v
                        + " of logits " + logits.shapeString());
            }
            count++;
        }
        float[] probs = new float[logits.size()];
        double[] rowLoss = new double[n];
        int rowsPerThread = Math.max(1, ElementwiseOps.MIN_PER_THREAD / v);
        Parallel.forRange(n, rowsPerThread, (from, to) -> {
            for (int r = from; r < to; r++) {
                int tgt = tgts[r];
                if (tgt == ignoreIndex) continue;
                int o = r * v;
                float max = PointwiseKernels.max(logits.data, o, v);
                double sum = NormOps.softmaxRow(logits.data, probs, o, v, max);
                rowLoss[r] = Math.log(sum) + max - logits.data[o + tgt];
            }
        });
        double total = 0;
        for (int r = 0; r < n; r++) if (tgts[r] != ignoreIndex) total += rowLoss[r];
        final int counted = count;
        Tensor loss = Tensor.of(new float[] {counted == 0 ? 0f : (float) (total / counted)}, 1);
        return Autograd.record(loss, () -> {
            if (loss.grad == null || counted == 0) return;
            float scale = loss.grad[0] / counted;
            if (logits.grad == null) {
                // The usual case (the logits feed nothing else): the probabilities, dead after this step, become
                // the gradient in place, with the very values g = 0 + scale * (p - onehot) would give on a fresh
                // zero buffer (no 4 N V-byte allocation, zero fill and extra pass). Ignored rows get 0.
                Parallel.forRange(n, rowsPerThread, (from, to) -> {
                    for (int r = from; r < to; r++) {
                        int tgt = tgts[r], o = r * v;
                        if (tgt == ignoreIndex) {
                            java.util.Arrays.fill(probs, o, o + v, 0f);
                            continue;
                        }
                        float pTarget = probs[o + tgt];
                        for (int j = 0; j < v; j++) probs[o + j] = 0f + scale * probs[o + j];
                        probs[o + tgt] = 0f + scale * (pTarget - 1f);
                    }
                });
                logits.grad = probs;
                return;
            }
            float[] g = logits.grad;
            Parallel.forRange(n, rowsPerThread, (from, to) -> {
                for (int r = from; r < to; r++) {
                    int tgt = tgts[r];
                    if (tgt == ignoreIndex) continue;
                    int o = r * v;
                    float gTarget = g[o + tgt];
                    for (int j = 0; j < v; j++) g[o + j] += scale * probs[o + j];
                    g[o + tgt] = gTarget + scale * (probs[o + tgt] - 1f);
                }
            });
        }, logits);
    }
}
