package mediswift4j.train;

import java.io.IOException;
import java.nio.file.Path;

import mediswift4j.autograd.Autograd;
import mediswift4j.autograd.ElementwiseOps;
import mediswift4j.data.Batches;
import mediswift4j.data.TokenFile;
import mediswift4j.flops.FlopCount;
import mediswift4j.flops.FlopCounter;
import mediswift4j.nn.Gpt;
import mediswift4j.nn.MaskedLinear;
import mediswift4j.nn.ModelConfig;
import mediswift4j.nn.ModelMasks;
import mediswift4j.optim.AdamW;
import mediswift4j.optim.GradClip;
import mediswift4j.optim.LrSchedule;
import mediswift4j.tensor.Tensor;
import mediswift4j.util.Rng;

/**
 * The pre-training loop as a library (SPEC.md section 8). One optimizer step:
 *
 *   for each of accum micro-batches: sample B windows (data stream), loss = CE, backward(loss / accum)
 *   zero the gradients of masked weights; stop if the loss or a gradient is not finite (NumericGuard)
 *   clip the global norm to clipNorm
 *   lr = schedule(step); AdamW step (masked entries skipped); re-apply masks; zero gradients
 *
 * Everything that influences the numbers -- parameters, masks, Adam moments and step, the data stream's state and
 * the step counter -- is in the checkpoint, so resuming continues bit for bit. Dropout (0 by default) draws from
 * Rng.derive(seed, "dropout", step), a function of the step, so it needs no saved state. The loop never prints:
 * it reports through {@link Progress}.
 */
public final class Trainer {
    /** Callbacks for the console, metrics files and benchmarks; all optional. */
    public interface Progress {
        default void step(StepReport r) {}

        default void validation(long step, double valLoss, long tokensSeen, double elapsedSeconds) {}

        default void checkpoint(long step, Path dir) {}
    }

    /** One finished step. FLOPs are cumulative since step 0 (dense-equivalent and actual, counted by flops.FlopCounter). */
    public record StepReport(long step, int totalSteps, float loss, float lr, double gradNorm, long tokensSeen,
                             double elapsedSeconds, double tokensPerSecond, double flopsDense, double flopsActual) {}

    private final Gpt model;
    private final AdamW optimizer;
    private final TokenFile data;
    private final TrainSettings settings;
    private final TrainState state;
    private final LrSchedule schedule;
    private final Rng dataRng;

    public Trainer(Gpt model, AdamW optimizer, TokenFile data, TrainSettings settings, TrainState state) {
        checkContext(model.config(), settings);
        checkData(model.config(), data, settings);
        if (state.dataTokens >= 0 && (state.dataTokens != data.tokens().length || state.dataValidationStart != data.validationStart())) {
            throw new IllegalArgumentException("the data has " + data.tokens().length + " tokens (validation from " + data.validationStart()
                    + ") but the run was started on " + state.dataTokens + " tokens (validation from " + state.dataValidationStart
                    + "); resume with the same data");
        }
        state.dataTokens = data.tokens().length;
        state.dataValidationStart = data.validationStart();
        this.model = model;
        this.optimizer = optimizer;
        this.data = data;
        this.settings = settings;
        this.state = state;
        this.schedule = LrSchedule.of(settings.lr(), settings.warmup(), settings.steps());
        this.dataRng = new Rng(state.dataRngState);
    }

    /**
     * The checks a run's model, data and settings must pass, made by every constructor; callers that want to fail
     * before building a model (pretrain, before its heap estimate) call them first. Messages name pretrain's options.
     */
    public static void checkContext(ModelConfig cfg, TrainSettings settings) {
        if (settings.seqLen() > cfg.contextLength()) {
            throw new IllegalArgumentException("--seq-len " + settings.seqLen() + " exceeds the context length " + cfg.contextLength()
                    + " of " + cfg.name());
        }
    }

    /** See {@link #checkContext}: the data's vocabulary fits the model and its training split holds one sequence. */
    public static void checkData(ModelConfig cfg, TokenFile data, TrainSettings settings) {
        if (data.vocabSize() > cfg.vocabSize()) {
            throw new IllegalArgumentException("the data's vocabulary (" + data.vocabSize() + ") exceeds the model's (" + cfg.vocabSize() + ")");
        }
        if (data.trainCount() < settings.seqLen() + 1) {
            throw new IllegalArgumentException("the training split has " + data.trainCount() + " tokens, fewer than one sequence of "
                    + (settings.seqLen() + 1) + " (use more data or a smaller --seq-len)");
        }
    }

    /** A fresh run: model initialised from the seed, masks drawn from the seed, data stream derive(seed, "data", 0). */
    public static Trainer fresh(ModelConfig cfg, TokenFile data, TrainSettings s, TrainState refs) {
        Gpt model = Models.newModel(cfg);
        ModelMasks.draw(model, s.seed(), s.sparsity());
        model.initialize(s.seed());
        TrainState st = refs == null ? new TrainState() : refs.copy();
        st.step = 0;
        st.tokensSeen = 0;
        st.elapsedSeconds = 0;
        st.dataRngState = Rng.derive(s.seed(), "data", 0).state();
        return new Trainer(model, Models.newOptimizer(model, s.adam()), data, s, st);
    }

    /** Continues from a checkpoint with its own settings, except the total steps and intervals given here. */
    public static Trainer resume(Checkpoint.Loaded ck, TokenFile data, TrainSettings s) {
        return new Trainer(ck.model(), ck.optimizer(), data, s, ck.state().copy());
    }

    public Gpt model() {
        return model;
    }

    public AdamW optimizer() {
        return optimizer;
    }

    public TrainState state() {
        return state;
    }

    public TrainSettings settings() {
        return settings;
    }

    /**
     * Runs steps until `untilStep` (at most settings.steps) are done. Validates every evalEvery steps and at the
     * end; checkpoints to checkpointDir (if not null) every checkpointEvery steps and at the end.
     */
    public void run(long untilStep, Path checkpointDir, Progress progress) throws IOException {
        Progress p = progress == null ? new Progress() {} : progress;
        long last = Math.min(untilStep, settings.steps());
        int b = settings.batch(), t = settings.seqLen();
        int[] inputs = new int[b * t], targets = new int[b * t];
        FlopCount flops = FlopCounter.count(model.config(), t, settings.sparsity());
        double flopsPerTokenDense = flops.perTokenDense();
        double flopsPerTokenActual = flops.perToken();
        long startNanos = System.nanoTime();
        double elapsedBefore = state.elapsedSeconds;
        long tokensAtStart = state.tokensSeen;
        boolean savedLast = false;
        model.setTraining(true);
        try {
            while (state.step < last) {
                if (settings.dropout() > 0) model.setDropout(settings.dropout(), Rng.derive(settings.seed(), "dropout", state.step));
                double lossSum = 0;
                for (int micro = 0; micro < settings.accum(); micro++) {
                    Batches.sample(data.tokens(), data.trainCount(), b, t, dataRng, inputs, targets);
                    Tensor loss = model.loss(inputs, targets, b, t);
                    lossSum += loss.item();
                    Autograd.backward(settings.accum() == 1 ? loss : ElementwiseOps.scale(loss, 1f / settings.accum()));
                }
                for (MaskedLinear l : model.maskedLayers()) l.maskGradient();
                double norm = GradClip.norm(model.parameters());
                NumericGuard.checkStep(state.step + 1, lossSum / settings.accum(), model.parameters(), norm);
                GradClip.scale(model.parameters(), norm, settings.clipNorm());
                float lr = schedule.at(state.step);
                optimizer.step(lr);
                for (MaskedLinear l : model.maskedLayers()) l.applyMask();
                Tensor.zeroGrads(model.parameters());
                state.step++;
                state.tokensSeen += settings.tokensPerStep();
                state.dataRngState = dataRng.state();
                state.elapsedSeconds = elapsedBefore + (System.nanoTime() - startNanos) / 1e9;
                double runSeconds = (System.nanoTime() - startNanos) / 1e9;
                double tps = runSeconds > 0 ? (state.tokensSeen - tokensAtStart) / runSeconds : 0;
                p.step(new StepReport(state.step, settings.steps(), (float) (lossSum / settings.accum()), lr, norm, state.tokensSeen,
                        state.elapsedSeconds, tps, flopsPerTokenDense * state.tokensSeen, flopsPerTokenActual * state.tokensSeen));
                // Everything logged for a step (its validation included, also the end-of-run one) comes before its
                // checkpoint, so a run killed at any moment and resumed logs each line exactly once.
                boolean final_ = state.step == last;
                savedLast = false;
                if ((settings.evalEvery() > 0 && state.step % settings.evalEvery() == 0) || (final_ && data.validationCount() >= t + 1)) {
                    evaluate(p);
                }
                if (checkpointDir != null && ((settings.checkpointEvery() > 0 && state.step % settings.checkpointEvery() == 0) || final_)) {
                    NumericGuard.checkParameters(state.step, model.parameters());
                    Checkpoint.save(checkpointDir, model, optimizer, settings, state);
                    p.checkpoint(state.step, checkpointDir);
                    savedLast = true;
                }
            }
        } finally {
            model.setTraining(false);
        }
        if (checkpointDir != null && !savedLast) {
            NumericGuard.checkParameters(state.step, model.parameters());
            Checkpoint.save(checkpointDir, model, optimizer, settings, state);
            p.checkpoint(state.step, checkpointDir);
        }
    }

    /** Validation inside the training loop: without dropout (evaluation mode), then back to training mode. */
    private void evaluate(Progress p) {
        model.setTraining(false);
        double v;
        try {
            v = validationLoss();
        } finally {
            model.setTraining(true);
        }
        if (!Double.isNaN(v)) p.validation(state.step, v, state.tokensSeen, state.elapsedSeconds);
    }

    /** Mean loss over the fixed validation windows (see Batches), or NaN when the split is too small. */
    public double validationLoss() {
        return validationLoss(model, data, settings.seqLen(), settings.batch(), settings.evalWindows());
    }

    public static double validationLoss(Gpt model, TokenFile data, int t, int batch, int maxWindows) {
        int[] starts = Batches.validationWindows(data.validationStart(), data.tokens().length, t, maxWindows);
        if (starts.length == 0) return Double.NaN;
        double total = 0;
        boolean wasTraining = model.isTraining();
        model.setTraining(false);
        try (var g = Autograd.noGrad()) {
            for (int from = 0; from < starts.length; from += batch) {
                int rows = Math.min(batch, starts.length - from);
                int[] in = new int[rows * t], tg = new int[rows * t];
                Batches.windows(data.tokens(), starts, from, rows, t, in, tg);
                total += (double) model.loss(in, tg, rows, t).item() * rows;
            }
        } finally {
            model.setTraining(wasTraining);
        }
        return total / starts.length;
    }
}
