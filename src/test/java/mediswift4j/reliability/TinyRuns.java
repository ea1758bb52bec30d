package mediswift4j.reliability;

import mediswift4j.data.TokenFile;
import mediswift4j.nn.ModelConfig;
import mediswift4j.optim.AdamW;
import mediswift4j.train.TrainSettings;
import mediswift4j.util.Rng;

/** Shared fixtures for the reliability tests: a tiny model, a synthetic token stream, settings. */
final class TinyRuns {
    private TinyRuns() {}

    /** L=1, C=8, NH=2, context 8, V=13: a training step takes well under a millisecond. */
    static final ModelConfig MICRO = new ModelConfig("reliability-micro", 1, 8, 2, 8, 13);

    /** A learnable stream: every 4th token random, the others a fixed function of the previous one. */
    static TokenFile tokens(int vocab, int n, long seed) {
        Rng rng = new Rng(seed);
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) ids[i] = i % 4 == 0 ? rng.nextInt(vocab) : (ids[i - 1] * 5 + 3) % vocab;
        return new TokenFile(vocab, ids, TokenFile.validationStart(n, 0.1));
    }

    /** steps, batch 2, seq-len 6, lr, warm-up 1, eval every 2 steps, checkpoint every `every` steps, seed 5. */
    static TrainSettings settings(int steps, double lr, int every, double sparsity) {
        return new TrainSettings(steps, 2, 6, 1, lr, 1, 1.0, 0f, 2, 2, every, 5, sparsity, AdamW.DEFAULTS);
    }
}
