package mediswift4j.finetune;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;

import mediswift4j.autograd.Autograd;
import mediswift4j.autograd.LossOps;
import mediswift4j.hoc.HocSentence;
import mediswift4j.nn.Gpt;
import mediswift4j.nn.MaskedLinear;
import mediswift4j.optim.AdamW;
import mediswift4j.optim.GradClip;
import mediswift4j.optim.LrSchedule;
import mediswift4j.pubmedqa.PubmedqaRecord;
import mediswift4j.tensor.Tensor;
import mediswift4j.tokenizer.BpeTokenizer;
import mediswift4j.util.InputException;
import mediswift4j.util.Rng;

/**
 * Fine-tuning as a library (SPEC.md section 12): dense fine-tuning of a (sparse) pre-trained model, soft-prompt
 * tuning with the backbone frozen, or both at once. One call per run:
 *
 *   FineTunedModel ft = FineTuner.pubmedqa(model, tok, trainRecords, settings, progress);
 *   FineTunedModel ft = FineTuner.hoc(model, tok, trainSentences, settings, progress);
 *
 * The model is changed in place (load a fresh copy per run). Modes:
 *   dense (default): every mask is dropped (MaskedLinear.setKeep(null)); the masked weights start at exactly 0 and
 *     learn like every other weight; AdamW over all parameters (+ the soft prompt when P > 0), fresh moments.
 *   prompt-only: the backbone is frozen (requiresGrad off during the run, masks kept); AdamW over the P vectors only.
 *
 * One step: take the next `batch` examples of the epoch's order (a Fisher-Yates shuffle of the example indices
 * with Rng.derive(seed, "finetune.order", epoch)); loss = mean cross-entropy over all target tokens of the batch
 * (ExampleBatch: prompt, soft-prompt and padding positions ignored); backward; clip the global norm of the
 * trainable tensors; lr = LrSchedule(lr, round(warmupFraction * steps), steps) at the step index; AdamW step;
 * zero gradients. Steps = epochs * ceil(n / batch); the last batch of an epoch may be smaller. The loop never
 * prints: it reports through {@link Progress}.
 */
public final class FineTuner {
    private FineTuner() {}

    /** One finished step; tokens counts input positions that are not padding. */
    public record StepReport(long step, long totalSteps, int epoch, float loss, float lr, double gradNorm, long tokensSeen,
                             double elapsedSeconds, double tokensPerSecond) {}

    /**
     * Called after every step (may be null where a Progress is accepted). The gradients are zero and the tape is
     * empty at that point, so a caller may evaluate the model there (e.g. select a checkpoint on a dev set).
     */
    @FunctionalInterface
    public interface Progress {
        void step(StepReport r);
    }

    /** Fine-tunes on PubMedQA records (their final_decision is the target). */
    public static FineTunedModel pubmedqa(Gpt model, BpeTokenizer tok, List<PubmedqaRecord> train, FineTuneSettings s, Progress p) {
        FineTunedModel ft = forPubmedqa(model, tok, s);
        run(model, ft.softPrompt(), TaskExamples.pubmedqa(tok, train, s.setting(), ft.promptBudget()), s, p);
        return ft;
    }

    /**
     * The model set up for PubMedQA before any step (soft prompt initialized, T and reserve fixed): what
     * {@link #pubmedqa} trains, for callers that evaluate it during training (from Progress.step).
     */
    public static FineTunedModel forPubmedqa(Gpt model, BpeTokenizer tok, FineTuneSettings s) {
        int t = s.seqLen(model.config().contextLength());
        SoftPrompt sp = SoftPrompt.initialize(model, s.softPrompt(), s.promptInit(), tok, s.seed());
        FineTunedModel ft = new FineTunedModel(model, sp, FineTunedModel.PUBMEDQA, t, TaskExamples.pubmedqaReserve(tok), s.setting());
        checkBudget(ft);
        return ft;
    }

    /** Fine-tunes on HoC sentences (their gold label mask is the target). */
    public static FineTunedModel hoc(Gpt model, BpeTokenizer tok, List<HocSentence> train, FineTuneSettings s, Progress p) {
        FineTunedModel ft = forHoc(model, tok, train, s);
        run(model, ft.softPrompt(), TaskExamples.hoc(tok, train, ft.promptBudget()), s, p);
        return ft;
    }

    /** The model set up for HoC before any step (reserve = the longest training target); see {@link #forPubmedqa}. */
    public static FineTunedModel forHoc(Gpt model, BpeTokenizer tok, List<HocSentence> train, FineTuneSettings s) {
        int t = s.seqLen(model.config().contextLength());
        SoftPrompt sp = SoftPrompt.initialize(model, s.softPrompt(), s.promptInit(), tok, s.seed());
        FineTunedModel ft = new FineTunedModel(model, sp, FineTunedModel.HOC, t, TaskExamples.hocReserve(tok, train), null);
        checkBudget(ft);
        return ft;
    }

    private static void checkBudget(FineTunedModel ft) {
        if (ft.promptBudget() < 1) {
            throw new InputException("sequence length " + ft.seqLen() + " leaves no room for a prompt after " + ft.softPrompt().length()
                    + " soft-prompt positions and " + ft.reserve() + " answer tokens (use a larger --max-len or a smaller --soft-prompt)");
        }
    }

    /** The training loop on tokenized examples (see the class comment). Returns the last step's loss. */
    public static float run(Gpt model, SoftPrompt sp, List<TaskExample> examples, FineTuneSettings s, Progress progress) {
        if (examples.isEmpty()) throw new InputException("no training examples");
        Progress p = progress == null ? r -> { } : progress;
        List<Tensor> trainable = new ArrayList<>();
        if (s.promptOnly()) {
            for (Tensor w : model.parameters()) w.requiresGrad = false;
        } else {
            for (MaskedLinear l : model.maskedLayers()) l.setKeep(null);
            trainable.addAll(model.parameters());
        }
        if (sp.length() > 0) trainable.add(sp.vectors);
        for (Tensor w : model.parameters()) w.grad = null;
        sp.vectors.grad = null;
        AdamW opt = new AdamW(trainable, new IdentityHashMap<>(), new AdamW.Settings(0.9f, 0.98f, 1e-8f, (float) s.weightDecay()));
        int n = examples.size();
        int perEpoch = (n + s.batch() - 1) / s.batch();
        long total = (long) perEpoch * s.epochs();
        if (total > Integer.MAX_VALUE) throw new IllegalArgumentException("too many steps");
        LrSchedule schedule = LrSchedule.of(s.lr(), (int) Math.round(s.warmupFraction() * total), (int) total);
        long start = System.nanoTime(), tokens = 0, step = 0;
        float last = Float.NaN;
        try {
            for (int epoch = 0; epoch < s.epochs(); epoch++) {
                int[] order = shuffled(n, Rng.derive(s.seed(), "finetune.order", epoch));
                for (int from = 0; from < n; from += s.batch()) {
                    List<TaskExample> chunk = new ArrayList<>();
                    for (int i = from; i < Math.min(n, from + s.batch()); i++) chunk.add(examples.get(order[i]));
                    ExampleBatch batch = ExampleBatch.of(chunk, sp.length());
                    Tensor loss = LossOps.crossEntropy(batch.targetLogits(model, sp), batch.rowTargets, -1);
                    Autograd.backward(loss);
                    double norm = GradClip.clip(trainable, s.clipNorm());
                    float lr = schedule.at(step);
                    opt.step(lr);
                    for (Tensor w : trainable) w.zeroGrad();
                    step++;
                    tokens += batch.realTokens;
                    last = loss.item();
                    double secs = (System.nanoTime() - start) / 1e9;
                    p.step(new StepReport(step, total, epoch + 1, last, lr, norm, tokens, secs, secs > 0 ? tokens / secs : 0));
                }
            }
        } finally {
            Autograd.clearTape();
            for (Tensor w : model.parameters()) {
                w.requiresGrad = true;
                w.grad = null;
            }
            sp.vectors.grad = null;
        }
        return last;
    }

    /** 0..n-1 shuffled by Fisher-Yates from the end: swap i with nextInt(i + 1), i = n-1 .. 1. */
    static int[] shuffled(int n, Rng rng) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int tmp = a[i];
            a[i] = a[j];
            a[j] = tmp;
        }
        return a;
    }
}
