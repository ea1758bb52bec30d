package mediswift4j.train;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import mediswift4j.data.CorpusTokenizer;
import mediswift4j.data.TokenFile;
import mediswift4j.nn.ModelConfig;
import mediswift4j.optim.AdamW;
import mediswift4j.tokenizer.BpeTokenizer;
import mediswift4j.util.BadRequest;
import mediswift4j.util.InputException;

/**
 * One pre-training run in its output directory, the `pretrain` command as a library (the reproduction's record of
 * its runs is pipeline.PretrainRun): what to train with, resolved from the request or from the checkpoint it
 * resumes, then training with OUT/metrics.jsonl and OUT/checkpoint.bin.
 *
 * Resume policy: a resumed run keeps the checkpoint's model and settings; the request may change only the schedule
 * length (steps), the intervals (evalEvery, checkpointEvery) and the data and tokenizer paths (by default the ones
 * recorded in the checkpoint). Any other setting given with a different value is refused ({@link BadRequest}),
 * never silently ignored. metrics.jsonl is trimmed to the checkpoint's step before appending, so a run killed
 * after logging past its last checkpoint logs no step twice.
 *
 * Errors: {@link BadRequest} for a request that cannot be run as given (the CLI's usage errors, naming pretrain's
 * options), InputException for data or checkpoints that cannot be used.
 */
public final class TrainingRun {
    /**
     * What was asked. A null field was not given: a fresh run takes the default (sparsity 0, batch 8, seq-len =
     * context, lr 6e-4, warmup and evalEvery 10% of steps, seed 1, accum 1), a resumed run the checkpoint's value.
     * dropout, weightDecay, clip and evalWindows apply to fresh runs only. resume is the checkpoint directory or null.
     */
    public record Request(Path resume, String config, Double sparsity, Integer steps, Integer batch, Integer seqLen, Double lr,
                          Integer warmup, Long seed, Integer accum, float dropout, double weightDecay, double clip,
                          Integer evalEvery, int evalWindows, int checkpointEvery, List<String> data, String tokenizer,
                          double valFraction) {}

    /** How a finished (or stopped) call to {@link #train} left the run; loss and valLoss NaN when none was computed. */
    public record Result(Path checkpoint, Path metrics, long step, int steps, long tokensSeen, float loss, double valLoss,
                         String parametersSha256) {}

    private final Path out;
    private final Checkpoint.Loaded resumed;
    private final ModelConfig config;
    private final TrainSettings settings;
    private final List<String> data;
    private final String tokenizer;
    private final String tokenizerSha256;
    private final TokenFile tokens;
    private Trainer trainer;

    private TrainingRun(Path out, Checkpoint.Loaded resumed, ModelConfig config, TrainSettings settings, List<String> data,
                        String tokenizer, String tokenizerSha256, TokenFile tokens) {
        this.out = out;
        this.resumed = resumed;
        this.config = config;
        this.settings = settings;
        this.data = data;
        this.tokenizer = tokenizer;
        this.tokenizerSha256 = tokenizerSha256;
        this.tokens = tokens;
    }

    /**
     * Resolves the request (loading the checkpoint it resumes), loads the data (tokenizing corpus files, with
     * progress) and checks that model, settings and data fit together ({@link Trainer#checkContext},
     * {@link Trainer#checkData}). Builds no model yet: see {@link #heapProblem} before {@link #start}.
     */
    public static TrainingRun open(Request r, Path out, CorpusTokenizer.Progress progress) {
        Checkpoint.Loaded ck = r.resume() == null ? null : Checkpoint.load(r.resume());
        ModelConfig cfg = ck != null ? ck.model().config() : preset(r.config());
        TrainSettings settings = ck != null ? resumedSettings(r, ck) : freshSettings(r, cfg);
        List<String> data = r.data().isEmpty() && ck != null ? ck.state().data : r.data();
        String tokenizer = r.tokenizer() == null && ck != null ? ck.state().tokenizer : r.tokenizer();
        if (data.isEmpty()) throw new BadRequest("missing required option --data");
        TokenFile tokens = loadData(data, tokenizer, r.valFraction(), progress);
        String tokenizerSha = RunTokenizer.check(tokens, data, r.tokenizer(), ck == null ? null : ck.state().tokenizerSha256);
        if (ck == null) cfg = cfg.withVocab(tokens.vocabSize());
        try {
            Trainer.checkContext(cfg, settings);
        } catch (IllegalArgumentException e) {
            throw new BadRequest(e.getMessage());
        }
        try {
            Trainer.checkData(cfg, tokens, settings);
        } catch (IllegalArgumentException e) {
            throw new InputException(String.join(" ", data) + ": " + e.getMessage(), e);
        }
        return new TrainingRun(out, ck, cfg, settings, new ArrayList<>(data), tokenizer, tokenizerSha, tokens);
    }

    private static ModelConfig preset(String name) {
        if (name == null) throw new BadRequest("missing required option --config");
        try {
            return ModelConfig.preset(name);
        } catch (IllegalArgumentException e) {
            throw new BadRequest(e.getMessage());
        }
    }

    /** The checkpoint's settings with the request's schedule and intervals; refuses any other setting that differs. */
    private static TrainSettings resumedSettings(Request r, Checkpoint.Loaded ck) {
        TrainSettings old = ck.settings();
        String cfgName = ck.model().config().name();
        if (r.config() != null && !r.config().equals(cfgName)) mismatch("config", r.config(), cfgName);
        if (r.sparsity() != null && r.sparsity() != old.sparsity()) mismatch("sparsity", r.sparsity(), old.sparsity());
        if (r.batch() != null && r.batch() != old.batch()) mismatch("batch", r.batch(), old.batch());
        if (r.seqLen() != null && r.seqLen() != old.seqLen()) mismatch("seq-len", r.seqLen(), old.seqLen());
        if (r.lr() != null && r.lr() != old.lr()) mismatch("lr", r.lr(), old.lr());
        if (r.warmup() != null && r.warmup() != old.warmup()) mismatch("warmup", r.warmup(), old.warmup());
        if (r.seed() != null && r.seed() != old.seed()) mismatch("seed", r.seed(), old.seed());
        if (r.accum() != null && r.accum() != old.accum()) mismatch("accum", r.accum(), old.accum());
        int steps = r.steps() != null && r.steps() > 0 ? r.steps() : old.steps();
        int evalEvery = r.evalEvery() != null && r.evalEvery() >= 0 ? r.evalEvery() : old.evalEvery();
        return old.withSchedule(steps, evalEvery, r.checkpointEvery() > 0 ? r.checkpointEvery() : old.checkpointEvery());
    }

    private static void mismatch(String option, Object given, Object inCheckpoint) {
        throw new BadRequest("--" + option + " " + given + " differs from the checkpoint's " + inCheckpoint
                + " (a resumed run keeps its settings; omit the option)");
    }

    /** The request's settings with the defaults of a fresh run. */
    private static TrainSettings freshSettings(Request r, ModelConfig cfg) {
        if (r.steps() == null || r.steps() < 1) throw new BadRequest("--steps must be given and positive");
        int steps = r.steps();
        int seqLen = r.seqLen() == null || r.seqLen() < 0 ? cfg.contextLength() : r.seqLen();
        int warmup = r.warmup() == null || r.warmup() < 0 ? Math.max(1, steps / 10) : r.warmup();
        int evalEvery = r.evalEvery() == null || r.evalEvery() < 0 ? Math.max(1, steps / 10) : r.evalEvery();
        AdamW.Settings adam = new AdamW.Settings(AdamW.DEFAULTS.beta1(), AdamW.DEFAULTS.beta2(), AdamW.DEFAULTS.eps(),
                (float) r.weightDecay());
        try {
            return new TrainSettings(steps, orElse(r.batch(), 8), seqLen, orElse(r.accum(), 1), orElse(r.lr(), 6e-4), warmup,
                    r.clip(), r.dropout(), evalEvery, r.evalWindows(), r.checkpointEvery(), orElse(r.seed(), 1L),
                    orElse(r.sparsity(), 0.0), adam);
        } catch (IllegalArgumentException e) {
            throw new BadRequest(e.getMessage());
        }
    }

    private static <T> T orElse(T given, T otherwise) {
        return given != null ? given : otherwise;
    }

    /** A token file given alone, or corpus files (or directories) tokenized now with the tokenizer in `tokenizer`. */
    public static TokenFile loadData(List<String> data, String tokenizer, double valFraction, CorpusTokenizer.Progress progress) {
        List<Path> paths = new ArrayList<>();
        for (String s : data) paths.add(Path.of(s));
        for (Path p : paths) if (!Files.exists(p)) throw new InputException(p + ": no such file or directory");
        if (paths.size() == 1 && TokenFile.isTokenFile(paths.get(0))) return TokenFile.read(paths.get(0));
        for (Path p : paths) {
            if (TokenFile.isTokenFile(p)) throw new BadRequest("give a token file alone in --data, not mixed with other inputs (" + p + ")");
        }
        if (tokenizer == null) throw new BadRequest("--data names corpus files: --tokenizer DIR is needed to tokenize them");
        return CorpusTokenizer.tokenize(BpeTokenizer.load(Path.of(tokenizer)), paths, valFraction, progress);
    }

    /** Null when the run fits in the JVM's heap, else what it needs and how to get it ({@link MemoryEstimate}). */
    public String heapProblem() {
        return MemoryEstimate.checkHeap(MemoryEstimate.trainingBytes(config, settings.batch(), settings.seqLen()));
    }

    /** Builds the model (fresh from the seed, or the checkpoint's), creates OUT and trims OUT/metrics.jsonl to its step. */
    public void start() throws IOException {
        if (resumed != null) {
            trainer = Trainer.resume(resumed, tokens, settings);
        } else {
            TrainState refs = new TrainState();
            refs.tokenizer = tokenizer;
            refs.tokenizerSha256 = tokenizerSha256;
            refs.data = new ArrayList<>(data);
            trainer = Trainer.fresh(config, tokens, settings, refs);
        }
        Files.createDirectories(out);
        // a resumed run whose recorded tokenizer directory is gone keeps going (its copy, if any, is already there)
        if (tokenizer != null && (resumed == null || Files.isDirectory(Path.of(tokenizer)))) RunTokenizer.keepCopy(Path.of(tokenizer), out, trainer.state().tokenizerSha256);
        MetricsLog.trimAfter(metrics(), trainer.state().step);
    }

    /**
     * Trains until step `stopAfter` (the schedule's end when not positive or beyond it), appending one line per
     * step and per validation to metrics.jsonl before reporting it to `progress`, and checkpointing into OUT.
     */
    public Result train(int stopAfter, Trainer.Progress progress) throws IOException {
        if (trainer == null) throw new IllegalStateException("start() first");
        long until = untilStep(stopAfter);
        float[] lastLoss = {Float.NaN};
        double[] lastVal = {Double.NaN};
        try (Writer w = Files.newBufferedWriter(metrics(), StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            trainer.run(until, out, new Trainer.Progress() {
                @Override
                public void step(Trainer.StepReport r) {
                    lastLoss[0] = r.loss();
                    MetricsLog.writeLine(w, stepLine(r));
                    progress.step(r);
                }

                @Override
                public void validation(long step, double valLoss, long tokensSeen, double elapsed) {
                    lastVal[0] = valLoss;
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("step", step);
                    m.put("val_loss", valLoss);
                    m.put("tokens", tokensSeen);
                    m.put("elapsed_s", elapsed);
                    MetricsLog.writeLine(w, m);
                    progress.validation(step, valLoss, tokensSeen, elapsed);
                }

                @Override
                public void checkpoint(long step, Path dir) {
                    progress.checkpoint(step, dir);
                }
            });
        }
        return new Result(Checkpoint.file(out), metrics(), trainer.state().step, settings.steps(), trainer.state().tokensSeen,
                lastLoss[0], lastVal[0], Checkpoint.parameterHash(trainer.model()));
    }

    private static Map<String, Object> stepLine(Trainer.StepReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("step", r.step());
        m.put("loss", (double) r.loss());
        m.put("lr", (double) r.lr());
        m.put("grad_norm", r.gradNorm());
        m.put("tokens", r.tokensSeen());
        m.put("elapsed_s", r.elapsedSeconds());
        m.put("flops_dense", r.flopsDense());
        m.put("flops_actual", r.flopsActual());
        return m;
    }

    /** The last step {@link #train} runs to with this stopAfter. */
    public long untilStep(int stopAfter) {
        return stopAfter > 0 ? Math.min(stopAfter, settings.steps()) : settings.steps();
    }

    public Path metrics() {
        return out.resolve("metrics.jsonl");
    }

    public ModelConfig config() {
        return config;
    }

    public TrainSettings settings() {
        return settings;
    }

    /** The step the run starts (or started) from: 0, or the resumed checkpoint's; valid after {@link #start}. */
    public long startStep() {
        return trainer.state().step;
    }
}
