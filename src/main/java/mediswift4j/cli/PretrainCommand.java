package mediswift4j.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import mediswift4j.data.TokenFile;
import mediswift4j.io.Json;
import mediswift4j.nn.ModelConfig;
import mediswift4j.optim.AdamW;
import mediswift4j.sparse.KernelCalibration;
import mediswift4j.tensor.Parallel;
import mediswift4j.tensor.Simd;
import mediswift4j.train.Checkpoint;
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
                "Writes DIR/checkpoint.bin and DIR/metrics.jsonl (step, loss, lr, tokens, elapsed_s, flops_dense,",
                "flops_actual per step, cumulative FLOPs; val_loss lines).");
    }

    @Override
    public int run(Args args) throws Exception {
        String resume = args.string("resume", null);
        TrainingRun.Request request = new TrainingRun.Request(resume == null ? null : Path.of(resume), args.string("config", null),
                args.has("sparsity") ? args.number("sparsity", 0.0) : null, args.has("steps") ? args.integer("steps", -1) : null,
                args.has("batch") ? args.integer("batch", 8) : null, args.has("seq-len") ? args.integer("seq-len", -1) : null,
                args.has("lr") ? args.number("lr", 6e-4) : null, args.has("warmup") ? args.integer("warmup", -1) : null,
                args.has("seed") ? args.longValue("seed", 1) : null, args.has("accum") ? args.integer("accum", 1) : null,
                (float) args.number("dropout", 0.0), args.number("weight-decay", AdamW.DEFAULTS.weightDecay()),
                args.number("clip", 1.0), args.has("eval-every") ? args.integer("eval-every", -1) : null,
                args.integer("eval-windows", 16), args.integer("checkpoint-every", 0),
                args.has("data") ? args.words("data") : List.of(), args.string("tokenizer", null),
                args.number("val-fraction", TokenFile.DEFAULT_VALIDATION_FRACTION));
        int stopAfter = args.integer("stop-after", -1);
        int threads = args.integer("threads", 0);
        String outArg = args.string("out", resume);
        boolean json = args.flag("json");
        args.finish();
        if (outArg == null) throw new UsageException("missing required option --out");
        if (threads < 0) throw new UsageException("--threads must be positive");
        if (threads > 0) Parallel.setThreads(threads);

        TrainingRun run;
        CliSupport.TokenizingProgress tokenizing = new CliSupport.TokenizingProgress(System.err);
        try {
            run = TrainingRun.open(request, Path.of(outArg), tokenizing);
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
