package mediswift4j.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import mediswift4j.cs2.Cs2Model;
import mediswift4j.data.TokenFile;
import mediswift4j.eval.ResampledMetrics;
import mediswift4j.flops.FlopCount;
import mediswift4j.flops.FlopCounter;
import mediswift4j.io.AtomicFiles;
import mediswift4j.nn.Gpt;
import mediswift4j.nn.MaskedLinear;
import mediswift4j.nn.ModelConfig;
import mediswift4j.optim.AdamW;
import mediswift4j.sparse.CompressedKernel;
import mediswift4j.tokenizer.BpeTokenizer;
import mediswift4j.train.Checkpoint;
import mediswift4j.train.TrainSettings;
import mediswift4j.train.TrainState;
import mediswift4j.train.Trainer;
import mediswift4j.train.TrainingDivergedException;

/**
 * The whole MediSwift pipeline at tiny scale, as one library call (the `reproduce` command is a thin wrapper):
 *
 *   benchmark files -> which items train, select and test (DownstreamData) -> corpus without the test documents
 *   -> BPE tokenizer -> token file (CorpusStage) -> pre-train dense, 50% and 75% sparse on the same tokens, for each
 *   pre-training seed -> fine-tune each densely, with and without a soft prompt, on PubMedQA and HoC, the epoch
 *   chosen on dev (Downstream) -> baselines, bootstrap intervals, comparisons -> FLOP counts, CS-2 predictions
 *   and measured CPU speedups -> report.md, results.json, charts (ReportWriter).
 *
 * Every stage is resumable (StageCache): running again with the same --out reuses finished stages whose inputs
 * and settings are unchanged and resumes a killed pre-training from its checkpoint. Every number the report shows
 * is in results.json. Nothing here prints: progress goes to a {@link Log}.
 */
public final class Reproduction {
    /** Progress lines for the console. */
    public interface Log {
        void line(String text);
    }

    /** What to run: the plan is the preset (quick or full) with the overrides applied. */
    public record Options(Path out, boolean quick, List<Path> corpus, Path pubmedqaDir, Path hocDir, long seed,
                          boolean allowTestOverlap, ReproductionPlan.Overrides overrides) {
        public ReproductionPlan plan() {
            return (quick ? ReproductionPlan.quick() : ReproductionPlan.full()).with(overrides);
        }
    }

    public static final double[] SPARSITIES = {0.0, 0.5, 0.75};

    private final Options options;
    private final ReproductionPlan plan;
    private final Log log;
    private final Map<String, Object> results = new LinkedHashMap<>();

    public Reproduction(Options options, Log log) {
        this.options = options;
        this.plan = options.plan();
        this.log = log;
    }

    /**
     * True when `dir` is missing, empty (but for a run lock) or was made by an earlier reproduction (it holds the
     * corpus stage's data/ or results.json): a run into it reuses its finished stages. Anything else is somebody
     * else's directory, which the CLI writes into only with --overwrite.
     */
    public static boolean isOwnDirectory(Path dir) {
        if (!Files.exists(dir)) return true;
        if (Files.isDirectory(dir.resolve("data")) || Files.isRegularFile(dir.resolve("results.json"))) return true;
        try (var entries = Files.list(dir)) {
            return entries.allMatch(p -> p.getFileName().toString().equals(".lock"));
        } catch (IOException e) {
            return false;
        }
    }

    /** Runs (or reuses) every stage and writes DIR/report.md, DIR/results.json and DIR/*.svg. Returns the results. */
    public Map<String, Object> run() throws IOException {
        long start = System.nanoTime();
        Files.createDirectories(options.out());
        results.put("mode", options.quick() ? "quick" : "full");
        results.put("seed", options.seed());
        results.put("plan", plan.toJson());
        Map<String, Object> inputs = RunInputs.describe(options.corpus(), options.pubmedqaDir(), options.hocDir());
        results.put("inputs", inputs);

        DownstreamData tasks = DownstreamData.load(options.pubmedqaDir(), options.hocDir(), plan, options.seed());
        Set<String> excluded = options.allowTestOverlap() ? Set.of() : tasks.testPmids();
        CorpusStage.Result corpus = CorpusStage.run(options.out().resolve("data"), options.corpus(), RunInputs.hashes(inputs, "corpus"),
                excluded, options.allowTestOverlap(), plan.vocab(), log);
        results.put("corpus", corpus.corpusJson());
        results.put("tokenizer", corpus.tokenizerJson());
        results.put("data", corpus.dataJson());
        BpeTokenizer tokenizer = corpus.tokenizer();
        ModelConfig config = ModelConfig.preset(plan.config()).withVocab(tokenizer.vocabSize());
        results.put("model", Checkpoint.configJson(config));

        List<PretrainRun> runs = new ArrayList<>();
        for (double s : SPARSITIES) {
            for (int j = 0; j < plan.pretrainSeeds(); j++) runs.add(pretrain(config, corpus.tokens(), corpus.key(), s, options.seed() + j));
        }
        long tokensPerStep = (long) plan.batch() * plan.seqLen();
        List<Object> pre = new ArrayList<>();
        for (PretrainRun r : runs) pre.add(r.toJson(tokensPerStep));
        results.put("pretrain", pre);
        results.put("pretrain_summary", pretrainSummary(runs));
        results.put("speedups", speedups(config, runs, tokensPerStep));

        List<PretrainRun> usable = runs.stream().filter(r -> !r.diverged).toList();
        Map<String, Object> downstreamKey = new LinkedHashMap<>(Map.of("pubmedqa", RunInputs.hashes(inputs, "pubmedqa"),
                "hoc", RunInputs.hashes(inputs, "hoc")));
        Map<String, Object> planJson = plan.toJson();
        for (String k : List.of("pubmedqa_test", "hoc_train_abstracts", "hoc_dev_abstracts", "hoc_test_abstracts")) {
            downstreamKey.put(k, planJson.get(k));
        }
        downstreamKey.put("run_seed", options.seed());
        results.put("downstream", Downstream.run(options.out(), plan, options.seed(), tokenizer,
                StageCache.key(new java.util.TreeMap<>(downstreamKey)), usable, tasks, log));
        results.put("flop_table", paperFlopTable());
        results.put("wall_seconds", (System.nanoTime() - start) / 1e9);
        ReportWriter.write(options.out(), results);
        return results;
    }

    // ---------------------------------------------------------------- pre-training

    private PretrainRun pretrain(ModelConfig config, TokenFile data, String dataKey, double sparsity, long seed) throws IOException {
        TrainSettings s = new TrainSettings(plan.steps(), plan.batch(), plan.seqLen(), 1, plan.lr(), plan.warmup(), 1.0, 0f,
                plan.evalEvery(), plan.evalWindows(), plan.checkpointEvery(), seed, sparsity, AdamW.DEFAULTS);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("stage", "pretrain-v1");
        d.put("data", dataKey);
        d.put("model", Checkpoint.configJson(config));
        d.put("sparsity", sparsity);
        d.put("seed", seed);
        Map<String, Object> planJson = plan.toJson();
        for (String k : List.of("steps", "batch", "seq_len", "lr", "warmup", "eval_every", "eval_windows")) d.put(k, planJson.get(k));
        String key = StageCache.key(d);
        String label = PretrainRun.label(sparsity) + (plan.pretrainSeeds() > 1 ? " seed " + seed : "");
        Path dir = options.out().resolve("pretrain-" + PretrainRun.label(sparsity).replace("%", "") + "-seed" + seed);
        Map<String, Object> done = StageCache.finished(dir, key);
        if (done != null && Files.isRegularFile(Checkpoint.file(dir))) {
            log.line(String.format("[pretrain %s] finished earlier with these settings: validation loss %.3f (reused)", label,
                    ((Number) done.get("final_validation_loss")).doubleValue()));
            return PretrainRun.finished(sparsity, seed, key, dir, done);
        }
        PretrainRun run = new PretrainRun(sparsity, seed, key, dir);
        Trainer trainer;
        Path pending = dir.resolve("pending-key");
        if (Files.isRegularFile(Checkpoint.file(dir)) && Files.isRegularFile(pending) && Files.readString(pending).trim().equals(key)) {
            Checkpoint.Loaded ck = Checkpoint.load(dir);
            trainer = Trainer.resume(ck, data, s);
            log.line(String.format("[pretrain %s] resuming from the checkpoint at step %d", label, ck.state().step));
        } else {
            TrainState refs = new TrainState();
            refs.tokenizer = options.out().resolve("data").resolve("tokenizer").toString();
            trainer = Trainer.fresh(config, data, s, refs);
            Files.createDirectories(dir);
            AtomicFiles.writeString(pending, key + "\n");
        }
        run.begin(trainer.state().step);
        run.sparseKernel = usesCompressedKernels(trainer.model());
        long t0 = System.nanoTime();
        try {
            trainer.run(plan.steps(), dir, new Trainer.Progress() {
                @Override
                public void step(Trainer.StepReport r) {
                    io(() -> run.addStep(r));
                    if (r.step() % Math.max(1, plan.steps() / 20) == 0 || r.step() == r.totalSteps()) {
                        double eta = r.tokensPerSecond() > 0 ? (r.totalSteps() - r.step()) * s.tokensPerStep() / r.tokensPerSecond() : 0;
                        log.line(String.format("[pretrain %s] step %d/%d  loss %.3f  lr %.2e  %.0f tokens/s  ETA %.0fs",
                                label, r.step(), r.totalSteps(), r.loss(), r.lr(), r.tokensPerSecond(), eta));
                    }
                }

                @Override
                public void validation(long step, double valLoss, long tokensSeen, double elapsed) {
                    io(() -> run.addValidation(step, valLoss));
                }
            });
        } catch (TrainingDivergedException e) {
            run.diverged = true;
            run.divergence = e.getMessage();
            log.line("[pretrain " + label + "] " + e.getMessage() + ": flagged as diverged; its fine-tuning is skipped");
            return run;
        }
        run.wallSeconds = (System.nanoTime() - t0) / 1e9;
        log.line(String.format("[pretrain %s] done: validation loss %.3f, %.0f tokens/s, %.1f s",
                label, run.finalValidationLoss(), run.tokensPerSecond(s.tokensPerStep()), run.wallSeconds));
        StageCache.finish(dir, key, run.toJson(s.tokensPerStep()));
        return run;
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private static void io(IoAction a) {
        try {
            a.run();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** True when some masked layer of the model runs on the compressed sparse kernels (SPEC section 15). */
    private static boolean usesCompressedKernels(Gpt model) {
        for (MaskedLinear l : model.maskedLayers()) {
            if (l.kernel() instanceof CompressedKernel k && k.compressed(l) != null) return true;
        }
        return false;
    }

    /** Mean and standard deviation of the final validation loss over pre-training seeds, per sparsity. */
    private List<Object> pretrainSummary(List<PretrainRun> runs) {
        List<Object> out = new ArrayList<>();
        for (double s : SPARSITIES) {
            List<Double> v = runs.stream().filter(r -> r.sparsity == s && !r.diverged).map(PretrainRun::finalValidationLoss).toList();
            double[] ms = ResampledMetrics.meanAndStd(v.stream().mapToDouble(Double::doubleValue).toArray());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("label", PretrainRun.label(s));
            m.put("sparsity", s);
            m.put("seeds", (long) v.size());
            m.put("final_validation_loss_mean", v.isEmpty() ? null : ms[0]);
            m.put("final_validation_loss_std", v.isEmpty() ? null : ms[1]);
            out.add(m);
        }
        return out;
    }

    /** FLOP reduction counted, predicted on a CS-2, and measured on this CPU, per sparsity (first seed's runs). */
    private List<Object> speedups(ModelConfig config, List<PretrainRun> runs, long tokensPerStep) {
        List<Object> out = new ArrayList<>();
        List<PretrainRun> first = runs.stream().filter(r -> r.seed == options.seed()).toList();
        double denseTps = first.get(0).tokensPerSecond(tokensPerStep);
        for (PretrainRun r : first) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("sparsity", r.sparsity);
            m.put("flop_reduction_counted", FlopCounter.count(config, plan.seqLen(), r.sparsity).reduction());
            m.put("cs2_predicted_speedup", Cs2Model.predict(config, r.sparsity, plan.batch(), plan.seqLen()).speedup());
            m.put("cpu_tokens_per_s", r.tokensPerSecond(tokensPerStep));
            m.put("cpu_measured_speedup", r.tokensPerSecond(tokensPerStep) / denseTps);
            out.add(m);
        }
        return out;
    }

    /** The paper's three models at 0, 50 and 75%: S 2048, V 50257, 104.86e9 tokens. */
    static List<Object> paperFlopTable() {
        List<Object> out = new ArrayList<>();
        for (String name : List.of("mediswift-med", "mediswift-large", "mediswift-xl")) {
            ModelConfig c = ModelConfig.preset(name);
            for (double s : SPARSITIES) {
                FlopCount f = FlopCounter.count(c, 2048, ModelConfig.GPT2_VOCAB, s);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("model", name);
                m.put("sparsity", s);
                m.put("training_flops", f.training(104.86e9));
                m.put("reduction", f.reduction());
                m.put("cs2_predicted_speedup", Cs2Model.predict(c, s, 64, 2048).speedup());
                out.add(m);
            }
        }
        return out;
    }
}
