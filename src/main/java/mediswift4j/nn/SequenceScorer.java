package mediswift4j.nn;

import java.util.Arrays;

import mediswift4j.autograd.Autograd;
import mediswift4j.tensor.Tensor;

/**
 * Scores a token sequence with a model: the loss of every token given the tokens before it in its window
 * (the `score` command; SPEC.md section 6, "Scoring a sequence").
 *
 * Windows: ids (N tokens) give N - 1 scored positions i = 1..N-1. With context T, window w feeds the model
 * ids[wT .. min(wT + T, N - 1)) (positions 0.. of wpe) and scores the next token at each of them, so the stride is
 * T, windows do not overlap, every token but ids[0] is scored exactly once, and the first token of a window is
 * seen with no earlier context (it was scored, with context, as the last target of the previous window).
 * loss[i-1] = -(logits[i-1][ids[i]] - logsumexp(logits[i-1])) as nn.LogProbs (float64 log-sum-exp, rounded to
 * float32); the mean is the float64 sum of the float32 losses divided by N - 1; perplexity = exp(mean).
 */
public final class SequenceScorer {
    private SequenceScorer() {}

    /** Receives each window's logits (rows, V) in order; rows = the window's scored positions. */
    public interface LogitSink {
        void accept(float[] logits, int rows, int vocab) throws java.io.IOException;
    }

    /** Per-token losses (N - 1 of them), their mean and exp(mean). */
    public record Result(int tokens, float[] losses, double meanLoss, double perplexity, int windows, int windowLength) {}

    /** Scores ids with the model in eval mode; `sink` (may be null) receives the logits of every window. */
    public static Result score(Gpt model, int[] ids, LogitSink sink) throws java.io.IOException {
        int v = model.config().vocabSize(), ctx = model.config().contextLength();
        if (ids.length < 2) throw new IllegalArgumentException("scoring needs at least 2 tokens, got " + ids.length);
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= v) throw new IllegalArgumentException("token " + (i + 1) + " is id " + ids[i] + ", outside the model's vocabulary 0.." + (v - 1));
        }
        int scored = ids.length - 1;
        float[] losses = new float[scored];
        boolean wasTraining = model.isTraining();
        model.setTraining(false);
        int windows = 0;
        try (var g = Autograd.noGrad()) {
            for (int start = 0; start < scored; start += ctx) {
                int t = Math.min(ctx, scored - start);
                int[] input = Arrays.copyOfRange(ids, start, start + t);
                int[] targets = Arrays.copyOfRange(ids, start + 1, start + t + 1);
                Tensor logits = model.logits(input, 1, t);
                Tensor logp = LogProbs.gather(logits, targets);
                for (int r = 0; r < t; r++) losses[start + r] = -logp.data[r];
                if (sink != null) sink.accept(logits.data, t, v);
                windows++;
            }
        } finally {
            model.setTraining(wasTraining);
        }
        double sum = 0;
        for (float l : losses) sum += l;
        double mean = sum / scored;
        return new Result(scored, losses, mean, Math.exp(mean), windows, ctx);
    }
}
