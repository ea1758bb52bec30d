package mediswift4j.train;

import mediswift4j.nn.ModelConfig;

/**
 * FLOPs of one training token (SPEC.md section 10 convention). PROVISIONAL private twin of cs2/FlopCounter: the
 * lead may swap this for the shared counter; keep the convention identical.
 *
 * Forward, per token: a (m x k)(k x n) matmul costs 2mkn, so per layer the six weight matrices cost
 * 2 (3C C + C C + 4C C + 4C C) = 24 C^2, times (1 - s) when they are sparse; attention scores and the weighted
 * sum cost 2 T C each; the dense tied LM head costs 2 C V. Backward = 2 x forward, so training = 3 x forward.
 * Embedding lookups, LayerNorm, GELU, softmax and biases are not counted.
 */
public final class TrainFlops {
    private TrainFlops() {}

    public static double forwardPerToken(ModelConfig cfg, int seqLen, double sparsity) {
        double c = cfg.dModel();
        double weights = 24.0 * c * c * (1.0 - sparsity);
        double attention = 2.0 * 2.0 * seqLen * c;
        return cfg.layers() * (weights + attention) + 2.0 * c * cfg.vocabSize();
    }

    public static double trainingPerToken(ModelConfig cfg, int seqLen, double sparsity) {
        return 3.0 * forwardPerToken(cfg, seqLen, sparsity);
    }
}
