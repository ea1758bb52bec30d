package mediswift4j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import mediswift4j.data.TokenFile;
import mediswift4j.io.AtomicFiles;
import mediswift4j.io.Json;
import mediswift4j.nn.ModelConfig;
import mediswift4j.optim.AdamW;
import mediswift4j.tensor.Parallel;
import mediswift4j.train.Checkpoint;
import mediswift4j.train.MemoryEstimate;
import mediswift4j.train.TrainSettings;
import mediswift4j.train.TrainState;
import mediswift4j.train.Trainer;
import mediswift4j.util.InputException;

/**
 * `pretrain`: pre-train a GPT with static unstructured sparsity, with exact resume. Progress on stderr, one JSON
 * line per step (and per validation) in OUT/metrics.jsonl, the checkpoint in OUT/checkpoint.bin.
 */
final class PretrainCommand implements Command {
    @Override
    public String name() {
        return "pretrain";
    }

    @Override
    public String summary() {
        return "pre-train a GPT with static unstructured sparsity";
    }

    @Override
    public String help() {
        return String.join("\n",
                "usage: pretrain --config NAME --sparsity S --steps N --batch B --seq-len T --lr LR --warmup N --seed N",
                "                --data PATH... --out DIR [--resume DIR] [--checkpoint-every N] [--tokenizer DIR]",
                "                [--threads T] [--eval-every N] [--eval-windows N] [--accum N] [--dropout P]",
                "                [--weight-decay W] [--clip C] [--val-fraction F] [--stop-after N] [--json]",
                "",
                "--data: a token file (from `data tokenize`), or corpus files/directories (then --tokenizer is needed).",
                "--steps is the schedule's length (warm-up, cosine to 10% of --lr); --stop-after K stops after step K",
                "with a checkpoint, as if interrupted; --resume DIR continues bit for bit (settings come from the",
                "checkpoint; --steps, intervals and --threads may be given). --accum N: micro-batches per step, each",
                "loss scaled by 1/N. Defaults: sparsity 0, batch 8, seq-len = context, lr 6e-4, warmup 10% of steps,",
                "seed 1, eval every 10% of steps, checkpoint only at the end.",
                "Writes DIR/checkpoint.bin and DIR/metrics.jsonl (step, loss, lr, tokens, elapsed_s, flops_dense,",
                "flops_actual per step, cumulative FLOPs; val_loss lines).");
    }

    @Override
    public int run(Args args) throws Exception {
        String resume = args.string("resume", null);
        String configName = args.string("config", null);
        boolean givenSparsity = args.has("sparsity"), givenBatch = args.has("batch"), givenSeq = args.has("seq-len"),
                givenLr = args.has("lr"), givenWarmup = args.has("warmup"), givenSeed = args.has("seed"),
                givenAccum = args.has("accum");
        double sparsity = args.number("sparsity", 0.0);
        int steps = args.integer("steps", -1);
        int batch = args.integer("batch", 8);
        int seqLen = args.integer("seq-len", -1);
        double lr = args.number("lr", 6e-4);
        int warmup = args.integer("warmup", -1);
        long seed = args.longValue("seed", 1);
        int accum = args.integer("accum", 1);
        float dropout = (float) args.number("dropout", 0.0);
        double weightDecay = args.number("weight-decay", AdamW.DEFAULTS.weightDecay());
        double clip = args.number("clip", 1.0);
        int evalEvery = args.integer("eval-every", -1);
        int evalWindows = args.integer("eval-windows", 16);
        int checkpointEvery = args.integer("checkpoint-every", 0);
        int stopAfter = args.integer("stop-after", -1);
        double valFraction = args.number("val-fraction", TokenFile.DEFAULT_VALIDATION_FRACTION);
        int threads = args.integer("threads", 0);
        List<String> dataArgs = args.has("data") ? args.words("data") : List.of();
        String tokenizer = args.string("tokenizer", null);
        String outArg = args.string("out", resume);
        boolean json = args.flag("json");
        args.finish();
        if (outArg == null) throw new UsageException("missing required option --out");
        if (threads < 0) throw new UsageException("--threads must be positive");
        if (threads > 0) Parallel.setThreads(threads);
        Path out = Path.of(outArg);

        Checkpoint.Loaded ck = null;
        TrainSettings settings;
        ModelConfig cfg;
        if (resume != null) {
            ck = Checkpoint.load(Path.of(resume));
            TrainSettings old = ck.settings();
            cfg = ck.model().config();
            if (configName != null && !configName.equals(cfg.name())) mismatch("config", configName, cfg.name());
            if (givenSparsity && sparsity != old.sparsity()) mismatch("sparsity", sparsity, old.sparsity());
            if (givenBatch && batch != old.batch()) mismatch("batch", batch, old.batch());
            if (givenSeq && seqLen != old.seqLen()) mismatch("seq-len", seqLen, old.seqLen());
            if (givenLr && lr != old.lr()) mismatch("lr", lr, old.lr());
            if (givenWarmup && warmup != old.warmup()) mismatch("warmup", warmup, old.warmup());
            if (givenSeed && seed != old.seed()) mismatch("seed", seed, old.seed());
            if (givenAccum && accum != old.accum()) mismatch("accum", accum, old.accum());
            int newSteps = steps > 0 ? steps : old.steps();
            settings = old.withSchedule(newSteps, evalEvery >= 0 ? evalEvery : old.evalEvery(),
                    checkpointEvery > 0 ? checkpointEvery : old.checkpointEvery());
            if (dataArgs.isEmpty()) dataArgs = ck.state().data;
            if (tokenizer == null) tokenizer = ck.state().tokenizer;
        } else {
            if (configName == null) throw new UsageException("missing required option --config");
            if (steps < 1) throw new UsageException("--steps must be given and positive");
            cfg = ModelCommand.preset(configName);
            if (seqLen < 0) seqLen = cfg.contextLength();
            if (warmup < 0) warmup = Math.max(1, steps / 10);
            if (evalEvery < 0) evalEvery = Math.max(1, steps / 10);
            try {
                settings = new TrainSettings(steps, batch, seqLen, accum, lr, warmup, clip, dropout, evalEvery, evalWindows,
                        checkpointEvery, seed, sparsity, new AdamW.Settings(AdamW.DEFAULTS.beta1(), AdamW.DEFAULTS.beta2(),
                        AdamW.DEFAULTS.eps(), (float) weightDecay));
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }
        if (dataArgs.isEmpty()) throw new UsageException("missing required option --data");
        TokenFile data = loadData(dataArgs, tokenizer, valFraction);
        if (ck == null) cfg = cfg.withVocab(data.vocabSize());
        if (settings.seqLen() > cfg.contextLength()) {
            throw new UsageException("--seq-len " + settings.seqLen() + " exceeds the context length " + cfg.contextLength() + " of " + cfg.name());
        }
        if (data.trainCount() < settings.seqLen() + 1) {
            throw new InputException(String.join(" ", dataArgs) + ": the training split has " + data.trainCount()
                    + " tokens, fewer than one sequence of " + (settings.seqLen() + 1) + " (use more data or a smaller --seq-len)");
        }
        String heap = MemoryEstimate.checkHeap(MemoryEstimate.trainingBytes(cfg, settings.batch(), settings.seqLen()));
        if (heap != null) {
            System.err.println("error: " + heap);
            return 1;
        }

        TrainState refs = new TrainState();
        refs.tokenizer = tokenizer;
        refs.data = new ArrayList<>(dataArgs);
        Trainer trainer;
        if (ck != null) {
            trainer = Trainer.resume(ck, data, settings);
        } else {
            trainer = Trainer.fresh(cfg, data, settings, refs);
        }
        long until = stopAfter > 0 ? Math.min(stopAfter, settings.steps()) : settings.steps();
        Path metrics = out.resolve("metrics.jsonl");
        Files.createDirectories(out);
        trimMetrics(metrics, trainer.state().step);
        PrintStream err = Main.utf8(System.err);
        err.printf("pretrain %s: L=%d C=%d NH=%d V=%d, sparsity %.3f, %d steps of %d tokens, from step %d%n", cfg.name(),
                cfg.layers(), cfg.dModel(), cfg.heads(), cfg.vocabSize(), settings.sparsity(), settings.steps(),
                settings.tokensPerStep(), trainer.state().step);
        double[] lastVal = {Double.NaN};
        float[] lastLoss = {Float.NaN};
        try (var metricsOut = Files.newBufferedWriter(metrics, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            long[] lastPrint = {0};
            trainer.run(until, out, new Trainer.Progress() {
                @Override
                public void step(Trainer.StepReport r) {
                    lastLoss[0] = r.loss();
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("step", r.step());
                    m.put("loss", (double) r.loss());
                    m.put("lr", (double) r.lr());
                    m.put("grad_norm", r.gradNorm());
                    m.put("tokens", r.tokensSeen());
                    m.put("elapsed_s", r.elapsedSeconds());
                    m.put("flops_dense", r.flopsDense());
                    m.put("flops_actual", r.flopsActual());
                    MetricsFile.writeLine(metricsOut, m);
                    long now = System.nanoTime();
                    if (now - lastPrint[0] > 500_000_000L || r.step() == until || r.step() == 1) {
                        lastPrint[0] = now;
                        double eta = r.tokensPerSecond() > 0 ? (until - r.step()) * settings.tokensPerStep() / r.tokensPerSecond() : 0;
                        err.printf("step %d/%d  loss %.4f  lr %.3e  %.0f tokens/s  ETA %s%n", r.step(), r.totalSteps(), r.loss(),
                                r.lr(), r.tokensPerSecond(), duration(eta));
                    }
                }

                @Override
                public void validation(long step, double valLoss, long tokens, double elapsed) {
                    lastVal[0] = valLoss;
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("step", step);
                    m.put("val_loss", valLoss);
                    m.put("tokens", tokens);
                    m.put("elapsed_s", elapsed);
                    MetricsFile.writeLine(metricsOut, m);
                    err.printf("step %d  val_loss %.4f%n", step, valLoss);
                }

                @Override
                public void checkpoint(long step, Path dir) {
                    err.printf("step %d  checkpoint %s%n", step, Checkpoint.file(dir));
                }
            });
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("checkpoint", Checkpoint.file(out).toString());
        summary.put("metrics", metrics.toString());
        summary.put("step", trainer.state().step);
        summary.put("steps", (long) settings.steps());
        summary.put("tokens_seen", trainer.state().tokensSeen);
        summary.put("loss", Float.isNaN(lastLoss[0]) ? null : (double) lastLoss[0]);
        summary.put("val_loss", Double.isNaN(lastVal[0]) ? null : lastVal[0]);
        summary.put("parameters_sha256", Checkpoint.parameterHash(trainer.model()));
        if (json) System.out.println(Json.write(summary, 2, false));
        else err.println("done: " + Json.write(summary));
        return 0;
    }

    private static void mismatch(String option, Object given, Object inCheckpoint) {
        throw new UsageException("--" + option + " " + given + " differs from the checkpoint's " + inCheckpoint
                + " (a resumed run keeps its settings; omit the option)");
    }

    /** A token file given directly, or corpus files tokenized now (no file written). */
    static TokenFile loadData(List<String> dataArgs, String tokenizer, double valFraction) {
        List<Path> paths = new ArrayList<>();
        for (String s : dataArgs) paths.add(Path.of(s));
        for (Path p : paths) if (!Files.exists(p)) throw new InputException(p + ": no such file or directory");
        if (paths.size() == 1 && TokenFile.isTokenFile(paths.get(0))) return TokenFile.read(paths.get(0));
        for (Path p : paths) {
            if (TokenFile.isTokenFile(p)) throw new UsageException("give a token file alone in --data, not mixed with other inputs (" + p + ")");
        }
        if (tokenizer == null) throw new UsageException("--data names corpus files: --tokenizer DIR is needed to tokenize them");
        return DataTokenize.tokenize(Path.of(tokenizer), paths, valFraction);
    }


    /** On resume, drops metric lines after the checkpoint's step (a crashed run may have logged past it). */
    private static void trimMetrics(Path metrics, long step) throws IOException {
        if (!Files.exists(metrics)) return;
        StringBuilder kept = new StringBuilder();
        for (String line : Files.readAllLines(metrics, StandardCharsets.UTF_8)) {
            if (line.isBlank()) continue;
            long s;
            try {
                s = Json.asLong(Json.asObject(Json.parse(line, metrics.toString()), metrics.toString()).get("step"), metrics.toString());
            } catch (InputException e) {
                continue;
            }
            if (s <= step) kept.append(line).append('\n');
        }
        AtomicFiles.writeString(metrics, kept.toString());
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) return s + "s";
        if (s < 3600) return (s / 60) + "m" + String.format("%02d", s % 60) + "s";
        return (s / 3600) + "h" + String.format("%02d", (s % 3600) / 60) + "m";
    }
}
