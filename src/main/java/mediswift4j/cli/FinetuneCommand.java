package mediswift4j.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import mediswift4j.finetune.FineTuneCheckpoint;
import mediswift4j.finetune.FineTuneRun;
import mediswift4j.finetune.FineTuneSettings;
import mediswift4j.finetune.FineTuner;
import mediswift4j.io.Json;
import mediswift4j.io.OutputPaths;
import mediswift4j.io.RunLock;
import mediswift4j.nn.ModelConfig;
import mediswift4j.pubmedqa.PubmedqaPrompt;
import mediswift4j.tensor.Parallel;
import mediswift4j.train.Checkpoint;
import mediswift4j.train.MetricsLog;

/**
 * `finetune`: dense fine-tuning and/or soft-prompt tuning of a checkpoint on PubMedQA or HoC, then evaluation of
 * the result. The run is mediswift4j.finetune.FineTuneRun (load, choose the splits, fine-tune, evaluate, write the
 * files); this class reads options, prints progress on stderr and the final metrics on stdout.
 */
final class FinetuneCommand implements Command {
    @Override
    public String name() {
        return "finetune";
    }

    @Override
    public String summary() {
        return "fine-tune densely, with or without soft prompts, on PubMedQA or HoC";
    }

    @Override
    public String help() {
        return String.join("\n",
                "usage: finetune --task pubmedqa|hoc --checkpoint DIR --data PATH... --out DIR [--soft-prompt P]",
                "                [--prompt-init normal|vocab|text:TEXT] [--prompt-only] [--epochs N] [--lr LR] [--batch B]",
                "                [--seed N] [--fold F] [--tokenizer DIR] [--max-len T] [--threads T] [--warmup-fraction F]",
                "                [--weight-decay W] [--clip C] [--reasoning-free] [--train-all] [--eval-split dev|test|all|none]",
                "                [--overwrite] [--json]",
                "",
                "Ranges: --soft-prompt [0, 4096], --epochs [1, 100000], --lr (0, 10], --batch [1, 4096], --fold [0, 9],",
                "--max-len [0, 65536] (0 = context), --threads [1, 4 x cores], --warmup-fraction [0, 1], --weight-decay",
                "[0, 10], --clip [0, 1e6]. An OUT holding a fine-tuning run needs --overwrite; OUT is locked while it runs.",
                "Dense by default: the checkpoint's masks are dropped and every weight learns (masked ones start at 0).",
                "--soft-prompt P adds P learned vectors between the prompt and the answer (BioGPT: 9 for PubMedQA, 1 for",
                "HoC); --prompt-only freezes the network and trains only those vectors. Loss only on answer tokens.",
                "pubmedqa --data: ori_pqal.json (official split, train = fold F's train set, default fold 0, evaluated",
                "  on dev and test), or ori_pqal.json test_ground_truth.json (train on every other record, evaluate on the",
                "  ground-truth PMIDs), or --train-all FILE (train on every record, no evaluation). Answers are scored by",
                "  likelihood of the yes/no/maybe candidates.",
                "hoc --data: a directory with train.tsv [dev.tsv] [test.tsv], or those files; answers are generated label",
                "  text read back with the HocPrompt parser.",
                "Defaults: 3 epochs, batch 16, lr 1e-3 (3e-2 with --prompt-only), 10% warm-up then cosine, seed 1, prompt",
                "init normal, max-len = the model's context, tokenizer = the one recorded in the checkpoint, evaluation",
                "on test (all = dev and test). Writes OUT/checkpoint.bin, OUT/finetune.bin (soft prompt, task),",
                "OUT/metrics.jsonl and OUT/predictions-SPLIT.json|tsv (readable by `eval --predictions`).");
    }

    @Override
    public int run(Args args) throws Exception {
        String task = args.require("task");
        String checkpointArg = args.require("checkpoint");
        List<String> dataArgs = args.has("data") ? args.words("data") : List.of();
        String outArg = args.require("out");
        int p = args.integer("soft-prompt", 0, 0, 4096);
        String init = args.string("prompt-init", "normal");
        boolean promptOnly = args.flag("prompt-only");
        int epochs = args.integer("epochs", 3, 1, 100_000);
        double lr = args.number("lr", FineTuneSettings.defaultLr(promptOnly), 0, 10, false);
        int batch = args.integer("batch", 16, 1, 4096);
        long seed = args.longValue("seed", 1);
        boolean foldGiven = args.has("fold");
        int fold = args.integer("fold", 0, 0, 9);
        String tokenizerArg = args.string("tokenizer", null);
        int maxLen = args.integer("max-len", 0, 0, 1 << 16);
        int threads = args.threads(0);
        double warmup = args.number("warmup-fraction", 0.1, 0, 1, false);
        double weightDecay = args.number("weight-decay", 0.0, 0, 10, false);
        double clip = args.number("clip", 1.0, 0, 1e6, false);
        boolean reasoningFree = args.flag("reasoning-free");
        boolean trainAll = args.flag("train-all");
        boolean overwrite = args.flag("overwrite");
        String evalSplit = args.string("eval-split", "test");
        boolean json = args.flag("json");
        args.finish();

        if (!task.equals("pubmedqa") && !task.equals("hoc")) throw new UsageException("--task must be pubmedqa or hoc, got '" + task + "'");
        if (dataArgs.isEmpty()) throw new UsageException("missing required option --data");
        if (!List.of("dev", "test", "all", "none").contains(evalSplit)) throw new UsageException("--eval-split must be dev, test, all or none");
        if (lr == 0) throw new UsageException("--lr must be in (0, 10], got 0");
        if (task.equals("hoc") && (foldGiven || reasoningFree || trainAll)) {
            throw new UsageException("--fold, --reasoning-free and --train-all apply to pubmedqa only");
        }
        FineTuneSettings s;
        try {
            s = new FineTuneSettings(p, init, promptOnly, epochs, lr, batch, seed, maxLen, warmup, weightDecay, clip,
                    reasoningFree ? PubmedqaPrompt.Setting.REASONING_FREE : PubmedqaPrompt.Setting.REASONING_REQUIRED);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        if (threads > 0) Parallel.setThreads(threads);

        FineTuneRun.Task which = task.equals("pubmedqa") ? FineTuneRun.Task.PUBMEDQA : FineTuneRun.Task.HOC;
        FineTuneRun.Request request = new FineTuneRun.Request(which, checkpointArg, dataArgs, Path.of(outArg), s, fold, foldGiven,
                trainAll, tokenizerArg, evalSplit);
        List<Path> inputs = new ArrayList<>(List.of(Path.of(checkpointArg), Checkpoint.file(Path.of(checkpointArg)),
                Path.of(checkpointArg).resolve(FineTuneCheckpoint.FILE_NAME)));
        for (String d : dataArgs) inputs.add(Path.of(d));
        if (tokenizerArg != null) inputs.add(Path.of(tokenizerArg));
        Path out = request.out();
        OutputPaths.notAnInput("--out", List.of(out, Checkpoint.file(out), out.resolve(FineTuneCheckpoint.FILE_NAME),
                out.resolve(MetricsLog.FILE_NAME)), inputs);
        PrintStream err = Main.utf8(System.err);
        FineTuneRun.Result r;
        try (RunLock lock = RunLock.acquire(out)) {
            OutputPaths.runDirectory("--out", out, false, overwrite, null, Checkpoint.FILE_NAME, FineTuneCheckpoint.FILE_NAME,
                    MetricsLog.FILE_NAME);
            r = FineTuneRun.run(request, console(err, task, s));
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("task", task);
        summary.put("checkpoint", request.out().toString());
        summary.put("steps", r.steps());
        summary.put("train_examples", (long) r.trainExamples());
        summary.put("loss", Float.isNaN(r.loss()) ? null : (double) r.loss());
        summary.put("soft_prompt", (long) s.softPrompt());
        summary.put("prompt_only", s.promptOnly());
        summary.put("eval", r.eval());
        if (json) Main.utf8(System.out).println(Json.write(summary, 2, false));
        else Main.utf8(System.out).println("done: " + Json.write(summary));
        return 0;
    }

    /** Progress on stderr: the run's shape, a step line at most every half second, the checkpoint, each evaluation. */
    private static FineTuneRun.Listener console(PrintStream err, String task, FineTuneSettings s) {
        return new FineTuneRun.Listener() {
            private long lastPrint;

            @Override
            public void started(ModelConfig c, int trainExamples, long steps) {
                err.printf("finetune %s: %s (L=%d C=%d V=%d), %d training examples, %d epochs, %d steps, %s, soft prompt %d%s%n",
                        task, c.name(), c.layers(), c.dModel(), c.vocabSize(), trainExamples, s.epochs(), steps,
                        s.promptOnly() ? "prompt-only (network frozen)" : "dense", s.softPrompt(),
                        s.softPrompt() > 0 ? " (" + s.promptInit() + ")" : "");
            }

            @Override
            public void step(FineTuner.StepReport r) {
                long now = System.nanoTime();
                if (now - lastPrint > 500_000_000L || r.step() == r.totalSteps() || r.step() == 1) {
                    lastPrint = now;
                    double eta = r.step() > 0 ? r.elapsedSeconds() / r.step() * (r.totalSteps() - r.step()) : 0;
                    err.printf("step %d/%d  epoch %d  loss %.4f  lr %.3e  %.0f tokens/s  ETA %s%n", r.step(), r.totalSteps(),
                            r.epoch(), r.loss(), r.lr(), r.tokensPerSecond(), CliSupport.duration(eta));
                }
            }

            @Override
            public void saved(Path checkpoint) {
                err.printf("checkpoint %s (+ %s)%n", checkpoint, FineTuneCheckpoint.FILE_NAME);
            }

            @Override
            public void evaluated(String split, Map<String, Object> metrics, double seconds) {
                err.printf("eval %s: %s  (%.1fs)%n", split, headline(metrics), seconds);
            }
        };
    }

    private static String headline(Map<String, Object> m) {
        if (m.containsKey("accuracy")) return String.format("accuracy %.4f  macro-F1 %.4f", (Double) m.get("accuracy"), (Double) m.get("macro_f1"));
        return String.format("micro-F1 %.4f", (Double) m.get("micro_f1"));
    }

}
