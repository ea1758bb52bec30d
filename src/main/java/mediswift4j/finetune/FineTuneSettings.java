package mediswift4j.finetune;

import mediswift4j.pubmedqa.PubmedqaPrompt;

/**
 * Everything that defines a fine-tuning run besides the model and the data (SPEC.md section 12).
 *
 * softPrompt P (0 = none), promptInit ("normal", "vocab", "text:TEXT"), promptOnly (backbone frozen: only the
 * P vectors learn), epochs over the training examples, peak lr, batch (examples per step), seed (example order,
 * soft-prompt initialization), maxLen (T = min(maxLen, context length); 0 = the context length), warmupFraction
 * (linear warm-up over that fraction of the steps, then cosine to 10% of lr, as LrSchedule), AdamW weightDecay
 * (applies to rank-2 tensors, the soft prompt included), clipNorm (global gradient norm; 0 = none), and the
 * PubMedQA setting (reasoning-required by default; ignored for HoC).
 */
public record FineTuneSettings(int softPrompt, String promptInit, boolean promptOnly, int epochs, double lr, int batch,
                               long seed, int maxLen, double warmupFraction, double weightDecay, double clipNorm,
                               PubmedqaPrompt.Setting setting) {
    public FineTuneSettings {
        if (softPrompt < 0) throw new IllegalArgumentException("soft prompt length must be >= 0, got " + softPrompt);
        if (promptOnly && softPrompt == 0) throw new IllegalArgumentException("prompt-only tuning needs a soft prompt (P > 0)");
        if (epochs < 1) throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
        if (!(lr > 0)) throw new IllegalArgumentException("lr must be positive, got " + lr);
        if (batch < 1) throw new IllegalArgumentException("batch must be at least 1, got " + batch);
        if (maxLen < 0) throw new IllegalArgumentException("max-len must be >= 0, got " + maxLen);
        if (!(warmupFraction >= 0 && warmupFraction <= 1)) throw new IllegalArgumentException("warm-up fraction must be in [0, 1]");
        if (!(weightDecay >= 0)) throw new IllegalArgumentException("weight decay must be >= 0");
        if (promptInit == null || !(promptInit.equals("normal") || promptInit.equals("vocab") || promptInit.startsWith("text:"))) {
            throw new IllegalArgumentException("prompt init must be normal, vocab or text:TEXT, got '" + promptInit + "'");
        }
        if (setting == null) setting = PubmedqaPrompt.Setting.REASONING_REQUIRED;
    }

    /** Default lr: 1e-3 for dense fine-tuning, 3e-2 for prompt-only tuning (few parameters, larger steps). */
    public static double defaultLr(boolean promptOnly) {
        return promptOnly ? 3e-2 : 1e-3;
    }

    /** Defaults: 3 epochs, batch 16, seed 1, T = context, 10% warm-up, no weight decay, clip 1.0. */
    public static FineTuneSettings defaults(int softPrompt, boolean promptOnly) {
        return new FineTuneSettings(softPrompt, "normal", promptOnly, 3, defaultLr(promptOnly), 16, 1, 0, 0.1, 0.0, 1.0,
                PubmedqaPrompt.Setting.REASONING_REQUIRED);
    }

    public FineTuneSettings withEpochs(int e) {
        return new FineTuneSettings(softPrompt, promptInit, promptOnly, e, lr, batch, seed, maxLen, warmupFraction, weightDecay,
                clipNorm, setting);
    }

    public FineTuneSettings withLr(double newLr) {
        return new FineTuneSettings(softPrompt, promptInit, promptOnly, epochs, newLr, batch, seed, maxLen, warmupFraction,
                weightDecay, clipNorm, setting);
    }

    public FineTuneSettings withBatch(int b) {
        return new FineTuneSettings(softPrompt, promptInit, promptOnly, epochs, lr, b, seed, maxLen, warmupFraction, weightDecay,
                clipNorm, setting);
    }

    public FineTuneSettings withSeed(long s) {
        return new FineTuneSettings(softPrompt, promptInit, promptOnly, epochs, lr, batch, s, maxLen, warmupFraction, weightDecay,
                clipNorm, setting);
    }

    public FineTuneSettings withMaxLen(int t) {
        return new FineTuneSettings(softPrompt, promptInit, promptOnly, epochs, lr, batch, seed, t, warmupFraction, weightDecay,
                clipNorm, setting);
    }

    public FineTuneSettings withPromptInit(String init) {
        return new FineTuneSettings(softPrompt, init, promptOnly, epochs, lr, batch, seed, maxLen, warmupFraction, weightDecay,
                clipNorm, setting);
    }

    /** T for a model of this context length. */
    public int seqLen(int contextLength) {
        return maxLen == 0 ? contextLength : Math.min(maxLen, contextLength);
    }
}
