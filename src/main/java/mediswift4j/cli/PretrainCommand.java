package mediswift4j.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import mediswift4j.io.Json;
import mediswift4j.io.OutputPaths;
import mediswift4j.io.RunLock;
import mediswift4j.nn.ModelConfig;
import mediswift4j.optim.AdamW;
import mediswift4j.sparse.KernelCalibration;
import mediswift4j.tensor.Parallel;
import mediswift4j.tensor.Simd;
import mediswift4j.train.Checkpoint;
import mediswift4j.train.MetricsLog;
import mediswift4j.train.TrainingRun;
import mediswift4j.train.TrainSettings;
import mediswift4j.train.Trainer;

/**
 * `pretrain`: pre-train a GPT with static unstructured sparsity, with exact resume. Progress on stderr, one JSON
 * line per step (and per validation) in OUT/metrics.jsonl, the checkpoint in OUT/checkpoint.bin. The run, its resume
 * policy and its files are train.TrainingRun; this class reads options and prints.
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
                "Ranges: --sparsity [0, 1), --steps/--warmup/--eval-every/--checkpoint-every/--stop-after up to 1e9",
                "(--steps, --stop-after >= 1; 0 = default for the intervals), --batch [1, 4096], --seq-len [1, 65536],",
                "--accum [1, 65536] (and accum x batch x seq-len at most the training tokens), --lr (0, 10],",
                "--dropout [0, 1), --weight-decay [0, 10], --clip [0, 1e6], --eval-windows >= 1, --val-fraction [0, 1)",
                "(corpus files only; a token file has its split), --threads [1, 4 x cores].",
                "An OUT that already holds a run needs --resume OUT (continue it) or --overwrite (start over); OUT is",
                "locked while the run writes (a second writer stops with \"OUT is in use by process N\").",
                "Writes DIR/checkpoint.bin and DIR/metrics.jsonl (step, loss, lr, tokens, elapsed_s, flops_dense,",
                "flops_actual per step, cumulative FLOPs; val_loss lines).");
    }

    @Override
    public int run(Args args) throws Exception {
        String resume = args.string("resume", null);
        TrainingRun.Request request = new TrainingRun.Request(resume == null ? null : Path.of(resume), args.string("config", null),
                args.optionalNumber("sparsity", 0, 1, true), args.optionalInteger("steps", 1, MAX_STEPS),
                args.optionalInteger("batch", 1, 4096), args.optionalInteger("seq-len", 1, 1 << 16),
                learningRate(args), args.optionalInteger("warmup", 0, MAX_STEPS),
                args.has("seed") ? args.longValue("seed", 1) : null, args.optionalInteger("accum", 1, 1 << 16),
                (float) args.number("dropout", 0.0, 0, 1, true), args.number("weight-decay", AdamW.DEFAULTS.weightDecay(), 0, 10, false),
                args.number("clip", 1.0, 0, 1e6, false), args.optionalInteger("eval-every", 0, MAX_STEPS),
                args.integer("eval-windows", 16, 1, 1 << 20), args.integer("checkpoint-every", 0, 0, MAX_STEPS),
                args.has("data") ? args.words("data") : List.of(), args.string("tokenizer", null),
                args.optionalNumber("val-fraction", 0, 1, true));
        int stopAfter = args.integer("stop-after", -1, 1, MAX_STEPS);
        int threads = args.threads(0);
        String outArg = args.string("out", resume);
        boolean overwrite = args.flag("overwrite");
        boolean json = args.flag("json");
        args.finish();
        if (outArg == null) throw new UsageException("missing required option --out");
        Path out = Path.of(outArg);
        boolean resumingHere = resume != null && OutputPaths.realPath(Path.of(resume)).equals(OutputPaths.realPath(out));
        checkInputs(out, request);
        if (threads > 0) Parallel.setThreads(threads);

        try (RunLock lock = RunLock.acquire(out)) {
            // a run killed before its first checkpoint left only metrics lines, which a fresh start replaces
            OutputPaths.runDirectory("--out", out, resumingHere, overwrite, "--resume " + out, Checkpoint.FILE_NAME);
            return train(request, out, stopAfter, json);
        }
    }

    private static final int MAX_STEPS = 1_000_000_000;

    /** --lr in (0, 10]. */
    private static Double learningRate(Args args) {
        Double lr = args.optionalNumber("lr", 0, 10, false);
        if (lr != null && lr == 0) throw new UsageException("--lr must be in (0, 10], got 0");
        return lr;
    }

    /** OUT's files are none of the inputs (OUT holding no other run is checked once OUT is locked). */
    private static void checkInputs(Path out, TrainingRun.Request request) {
        List<Path> inputs = new ArrayList<>();
        for (String d : request.data()) inputs.add(Path.of(d));
        if (request.tokenizer() != null) inputs.add(Path.of(request.tokenizer()));
        OutputPaths.notAnInput("--out", List.of(out, Checkpoint.file(out), out.resolve(MetricsLog.FILE_NAME)), inputs);
    }

    private static int train(TrainingRun.Request request, Path out, int stopAfter, boolean json) throws Exception {
        TrainingRun run;
        CliSupport.TokenizingProgress tokenizing = new CliSupport.TokenizingProgress(System.err);
        try {
            run = TrainingRun.open(request, out, tokenizing);
        } finally {
            tokenizing.end();
        }
        String heap = run.heapProblem();
        if (heap != null) {
            System.err.println("error: " + heap);
            return 1;
        }
        run.start();
        PrintStream err = Main.utf8(System.err);
        ModelConfig cfg = run.config();
        TrainSettings settings = run.settings();
        err.printf("pretrain %s: L=%d C=%d NH=%d V=%d, sparsity %.3f, %d steps of %d tokens, from step %d%n", cfg.name(),
                cfg.layers(), cfg.dModel(), cfg.heads(), cfg.vocabSize(), settings.sparsity(), settings.steps(),
                settings.tokensPerStep(), run.startStep());
        err.printf("kernels: %s, %d threads%s%n", Simd.describe(), Parallel.threads(),
                KernelCalibration.enabled() ? "" : " (kernel choice by fixed threshold: -Dmediswift4j.kernel.calibrate=false)");
        TrainingRun.Result r = run.train(stopAfter, console(err, settings, run.untilStep(stopAfter)));
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("checkpoint", r.checkpoint().toString());
        summary.put("metrics", r.metrics().toString());
        summary.put("step", r.step());
        summary.put("steps", (long) r.steps());
        summary.put("tokens_seen", r.tokensSeen());
        summary.put("loss", Float.isNaN(r.loss()) ? null : (double) r.loss());
        summary.put("val_loss", Double.isNaN(r.valLoss()) ? null : r.valLoss());
        summary.put("parameters_sha256", r.parametersSha256());
        summary.put("float_lanes", (long) Simd.floatLanes());
        List<Object> choices = new ArrayList<>();
        for (KernelCalibration.Choice c : KernelCalibration.made()) choices.add(c.describe());
        summary.put("sparse_kernel_choices", choices);
        if (json) System.out.println(Json.write(summary, 2, false));
        else err.println("done: " + Json.write(summary));
        return 0;
    }

    /** Progress on stderr: a step line at most every half second (and at the first and last), every validation. */
    private static Trainer.Progress console(PrintStream err, TrainSettings settings, long until) {
        return new Trainer.Progress() {
            private long lastPrint;
            private boolean choicesShown;

            @Override
            public void step(Trainer.StepReport r) {
                long now = System.nanoTime();
                if (!choicesShown) {
                    // the masked layers chose dense or compressed in the first forward (measured, or from the cache)
                    choicesShown = true;
                    for (KernelCalibration.Choice c : KernelCalibration.made()) err.println("sparse kernel " + c.describe());
                }
                if (now - lastPrint > 500_000_000L || r.step() == until || r.step() == 1) {
                    lastPrint = now;
                    double eta = r.tokensPerSecond() > 0 ? (until - r.step()) * settings.tokensPerStep() / r.tokensPerSecond() : 0;
                    err.printf("step %d/%d  loss %.4f  lr %.3e  %.0f tokens/s  ETA %s%n", r.step(), r.totalSteps(), r.loss(),
                            r.lr(), r.tokensPerSecond(), CliSupport.duration(eta));
                }
            }

            @Override
            public void validation(long step, double valLoss, long tokens, double elapsed) {
                err.printf("step %d  val_loss %.4f%n", step, valLoss);
            }

            @Override
            public void checkpoint(long step, Path dir) {
                err.printf("step %d  checkpoint %s%n", step, Checkpoint.file(dir));
            }
        };
    }
}
