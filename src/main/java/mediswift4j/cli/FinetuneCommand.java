package mediswift4j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import mediswift4j.finetune.FineTuneCheckpoint;
import mediswift4j.finetune.FineTuneData;
import mediswift4j.finetune.FineTuneSettings;
import mediswift4j.finetune.FineTunedModel;
import mediswift4j.finetune.FineTuner;
import mediswift4j.finetune.HocPredictor;
import mediswift4j.finetune.PubmedqaPredictor;
import mediswift4j.hoc.HocEvaluation;
import mediswift4j.hoc.HocLabels;
import mediswift4j.hoc.HocMetrics;
import mediswift4j.hoc.HocSentence;
import mediswift4j.io.AtomicFiles;
import mediswift4j.io.Json;
import mediswift4j.nn.Gpt;
import mediswift4j.pubmedqa.PubmedqaLabel;
import mediswift4j.pubmedqa.PubmedqaMetrics;
import mediswift4j.pubmedqa.PubmedqaPrompt;
import mediswift4j.pubmedqa.PubmedqaRecord;
import mediswift4j.tensor.Parallel;
import mediswift4j.tokenizer.BpeTokenizer;
import mediswift4j.train.Checkpoint;
import mediswift4j.train.MetricsLog;
import mediswift4j.util.InputException;

/**
 * `finetune`: dense fine-tuning and/or soft-prompt tuning of a checkpoint on PubMedQA or HoC, then evaluation of
 * the result. The work is done by mediswift4j.finetune (FineTuner, the predictors, FineTuneCheckpoint); this class
 * reads options, prints progress on stderr and the final metrics on stdout.
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
                "                [--weight-decay W] [--clip C] [--reasoning-free] [--train-all] [--eval-split dev|test|all|none] [--json]",
                "",
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
        int p = args.integer("soft-prompt", 0);
        String init = args.string("prompt-init", "normal");
        boolean promptOnly = args.flag("prompt-only");
        int epochs = args.integer("epochs", 3);
        double lr = args.number("lr", FineTuneSettings.defaultLr(promptOnly));
        int batch = args.integer("batch", 16);
        long seed = args.longValue("seed", 1);
        boolean foldGiven = args.has("fold");
        int fold = args.integer("fold", 0);
        String tokenizerArg = args.string("tokenizer", null);
        int maxLen = args.integer("max-len", 0);
        int threads = args.integer("threads", 0);
        double warmup = args.number("warmup-fraction", 0.1);
        double weightDecay = args.number("weight-decay", 0.0);
        double clip = args.number("clip", 1.0);
        boolean reasoningFree = args.flag("reasoning-free");
        boolean trainAll = args.flag("train-all");
        String evalSplit = args.string("eval-split", "test");
        boolean json = args.flag("json");
        args.finish();

        if (!task.equals("pubmedqa") && !task.equals("hoc")) throw new UsageException("--task must be pubmedqa or hoc, got '" + task + "'");
        if (dataArgs.isEmpty()) throw new UsageException("missing required option --data");
        if (!List.of("dev", "test", "all", "none").contains(evalSplit)) throw new UsageException("--eval-split must be dev, test, all or none");
        if (threads < 0) throw new UsageException("--threads must be positive");
        if (fold < 0 || fold >= 10) throw new UsageException("--fold must be in 0..9, got " + fold);
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
        for (String d : dataArgs) if (!Files.exists(Path.of(d))) throw new InputException(d + ": no such file or directory");

        FineTuneCheckpoint.Loaded loaded = FineTuneCheckpoint.load(Path.of(checkpointArg));
        Gpt model = loaded.checkpoint().model();
        String tokDir = tokenizerArg != null ? tokenizerArg : loaded.tokenizer();
        if (tokDir == null) throw new UsageException("the checkpoint records no tokenizer: give --tokenizer DIR");
        BpeTokenizer tok = BpeTokenizer.load(Path.of(tokDir));
        if (tok.vocabSize() > model.config().vocabSize()) {
            throw new InputException(tokDir + ": the tokenizer has " + tok.vocabSize() + " tokens, the model " + checkpointArg
                    + " only " + model.config().vocabSize());
        }
        if (p > 0 && maxLen > 0 && p >= Math.min(maxLen, model.config().contextLength())) {
            throw new UsageException("--soft-prompt " + p + " leaves no room in sequences of " + Math.min(maxLen, model.config().contextLength()));
        }

        Path out = Path.of(outArg);
        Files.createDirectories(out);
        Path metrics = out.resolve("metrics.jsonl");
        PrintStream err = Main.utf8(System.err);
        FineTuneData.Pubmedqa pq = null;
        FineTuneData.Hoc hoc = null;
        int trainCount;
        if (task.equals("pubmedqa")) {
            if (trainAll && dataArgs.size() != 1) throw new UsageException("--train-all takes one ori_pqal-format file");
            if (dataArgs.size() > 2) throw new UsageException("pubmedqa --data takes ori_pqal.json and optionally test_ground_truth.json");
            if (dataArgs.size() == 2 && foldGiven) throw new UsageException("--fold applies to the official split (give ori_pqal.json alone)");
            pq = FineTuneData.pubmedqa(Path.of(dataArgs.get(0)), dataArgs.size() == 2 ? Path.of(dataArgs.get(1)) : null, fold, trainAll);
            trainCount = pq.train().size();
        } else {
            List<Path> ps = new ArrayList<>();
            for (String d : dataArgs) ps.add(Path.of(d));
            hoc = FineTuneData.hoc(ps);
            trainCount = hoc.train().size();
        }
        long steps = (long) s.epochs() * ((trainCount + s.batch() - 1) / s.batch());
        err.printf("finetune %s: %s (L=%d C=%d V=%d), %d training examples, %d epochs, %d steps, %s, soft prompt %d%s%n", task,
                model.config().name(), model.config().layers(), model.config().dModel(), model.config().vocabSize(), trainCount,
                s.epochs(), steps, s.promptOnly() ? "prompt-only (network frozen)" : "dense", s.softPrompt(),
                s.softPrompt() > 0 ? " (" + s.promptInit() + ")" : "");

        FineTunedModel ft;
        long[] tokens = {0};
        float[] lastLoss = {Float.NaN};
        try (Writer mw = Files.newBufferedWriter(metrics, StandardCharsets.UTF_8)) {
            long[] lastPrint = {0};
            FineTuner.Progress progress = new FineTuner.Progress() {
                @Override
                public void step(FineTuner.StepReport r) {
                    tokens[0] = r.tokensSeen();
                    lastLoss[0] = r.loss();
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("step", r.step());
                    m.put("epoch", (long) r.epoch());
                    m.put("loss", (double) r.loss());
                    m.put("lr", (double) r.lr());
                    m.put("grad_norm", r.gradNorm());
                    m.put("tokens", r.tokensSeen());
                    m.put("elapsed_s", r.elapsedSeconds());
                    MetricsLog.writeLine(mw, m);
                    long now = System.nanoTime();
                    if (now - lastPrint[0] > 500_000_000L || r.step() == r.totalSteps() || r.step() == 1) {
                        lastPrint[0] = now;
                        double eta = r.step() > 0 ? r.elapsedSeconds() / r.step() * (r.totalSteps() - r.step()) : 0;
                        err.printf("step %d/%d  epoch %d  loss %.4f  lr %.3e  %.0f tokens/s  ETA %s%n", r.step(), r.totalSteps(),
                                r.epoch(), r.loss(), r.lr(), r.tokensPerSecond(), CliSupport.duration(eta));
                    }
                }
            };
            ft = pq != null ? FineTuner.pubmedqa(model, tok, pq.train(), s, progress) : FineTuner.hoc(model, tok, hoc.train(), s, progress);
            FineTuneCheckpoint.save(out, ft, s, tokDir, dataArgs, steps, tokens[0]);
            err.printf("checkpoint %s (+ %s)%n", Checkpoint.file(out), FineTuneCheckpoint.FILE_NAME);

            Map<String, Object> evals = new LinkedHashMap<>();
            Map<String, ?> sets = pq != null ? pq.eval() : hoc.eval();
            List<String> wanted = new ArrayList<>();
            for (String name : sets.keySet()) {
                if (evalSplit.equals("all") || evalSplit.equals(name)) wanted.add(name);
            }
            if (wanted.isEmpty() && evalSplit.equals("test") && sets.containsKey("dev")) wanted.add("dev");
            for (String name : wanted) {
                long t0 = System.nanoTime();
                Map<String, Object> result;
                if (pq != null) {
                    List<PubmedqaRecord> recs = pq.eval().get(name);
                    Map<String, PubmedqaLabel> pred = PubmedqaPredictor.predict(ft, tok, recs);
                    List<PubmedqaLabel> gold = new ArrayList<>(), got = new ArrayList<>();
                    Map<String, Object> predJson = new LinkedHashMap<>();
                    for (PubmedqaRecord r : recs) {
                        gold.add(r.label());
                        got.add(pred.get(r.pmid()));
                        predJson.put(r.pmid(), pred.get(r.pmid()).text);
                    }
                    AtomicFiles.writeString(out.resolve("predictions-" + name + ".json"), Json.write(predJson, 2, false) + "\n");
                    result = PubmedqaMetrics.score(gold, got).toJson();
                } else {
                    List<HocSentence> sents = hoc.eval().get(name);
                    Map<String, Integer> pred = HocPredictor.predict(ft, tok, sents);
                    StringBuilder sb = new StringBuilder(HocEvaluation.HEADER).append('\n');
                    for (var e : pred.entrySet()) sb.append(e.getKey()).append('\t').append(HocLabels.formatFlags(e.getValue())).append('\n');
                    AtomicFiles.writeString(out.resolve("predictions-" + name + ".tsv"), sb.toString());
                    result = HocMetrics.fromSentences(sents, pred).toJson();
                }
                evals.put(name, result);
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("step", steps);
                line.put("eval", name);
                line.put("metrics", result);
                MetricsLog.writeLine(mw, line);
                err.printf("eval %s: %s  (%.1fs)%n", name, headline(result), (System.nanoTime() - t0) / 1e9);
            }

            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("task", task);
            summary.put("checkpoint", out.toString());
            summary.put("steps", steps);
            summary.put("train_examples", (long) trainCount);
            summary.put("loss", Float.isNaN(lastLoss[0]) ? null : (double) lastLoss[0]);
            summary.put("soft_prompt", (long) s.softPrompt());
            summary.put("prompt_only", s.promptOnly());
            summary.put("eval", evals);
            if (json) Main.utf8(System.out).println(Json.write(summary, 2, false));
            else Main.utf8(System.out).println("done: " + Json.write(summary));
        }
        return 0;
    }

    private static String headline(Map<String, Object> m) {
        if (m.containsKey("accuracy")) return String.format("accuracy %.4f  macro-F1 %.4f", (Double) m.get("accuracy"), (Double) m.get("macro_f1"));
        return String.format("micro-F1 %.4f", (Double) m.get("micro_f1"));
    }

}
