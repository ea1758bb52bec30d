package mediswift4j.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import mediswift4j.cs2.Cs2Model;
import mediswift4j.cs2.FlopCount;
import mediswift4j.cs2.FlopCounter;
import mediswift4j.data.CorpusReader;
import mediswift4j.data.CorpusTokenizer;
import mediswift4j.data.TokenFile;
import mediswift4j.nn.Gpt;
import mediswift4j.nn.MaskedLinear;
import mediswift4j.nn.ModelConfig;
import mediswift4j.sparse.CompressedKernel;
import mediswift4j.tokenizer.BpeTokenizer;
import mediswift4j.tokenizer.BpeTrainer;
import mediswift4j.train.Checkpoint;
import mediswift4j.train.TrainSettings;
import mediswift4j.train.TrainState;
import mediswift4j.train.Trainer;
import mediswift4j.util.InputException;

/**
 * The whole MediSwift pipeline at tiny scale, as one library call (the `reproduce` command is a thin wrapper):
 *
 *   corpus text -> BPE tokenizer -> token file -> pre-train dense, 50% and 75% sparse on the same tokens
 *   -> fine-tune each densely, with and without a soft prompt, on PubMedQA and HoC -> evaluate
 *   -> FLOP counts, CS-2 predictions and measured CPU speedups side by side -> report.md, results.json, charts.
 *
 * Every number the report shows is also in results.json. Nothing here prints: progress goes to a {@link Log}.
 */
public final class Reproduction {
    /** Progress lines for the console. */
    public interface Log {
        void line(String text);
    }

    /** What to run. `quick` shrinks every stage so the whole pipeline takes about two minutes on 2 cores. */
    public record Options(Path out, boolean quick, List<Path> corpus, Path pubmedqaDir, Path hocDir, long seed) {}

    /** Sizes of every stage; the two presets are {@link #full()} and {@link #quick()}. */
    public record Plan(String config, int vocab, int seqLen, int batch, int steps, double lr, int warmup, int evalEvery,
                       int evalWindows, int fineTuneEpochsPubmedqa, int fineTuneEpochsHoc, double fineTuneLr,
                       int softPromptPubmedqa, int softPromptHoc) {
        static Plan full() {
            return new Plan("mediswift-tiny", 2048, 64, 16, 500, 3e-3, 40, 50, 48, 8, 1, 1e-2, 9, 1);
        }

        static Plan quick() {
            return new Plan("mediswift-tiny", 1024, 64, 8, 200, 3e-3, 10, 25, 16, 3, 1, 1e-2, 9, 1);
        }
    }

    public static final double[] SPARSITIES = {0.0, 0.5, 0.75};

    private final Options options;
    private final Plan plan;
    private final Log log;
    private final Map<String, Object> results = new LinkedHashMap<>();

    public Reproduction(Options options, Log log) {
        this.options = options;
        this.plan = options.quick() ? Plan.quick() : Plan.full();
        this.log = log;
    }

    /** Runs every stage and writes DIR/report.md, DIR/results.json and DIR/*.svg. Returns the results. */
    public Map<String, Object> run() throws IOException {
        long start = System.nanoTime();
        Files.createDirectories(options.out());
        results.put("mode", options.quick() ? "quick" : "full");
        results.put("seed", options.seed());
        results.put("plan", planJson());

        BpeTokenizer tokenizer = trainTokenizer();
        TokenFile data = tokenize(tokenizer);
        ModelConfig config = ModelConfig.preset(plan.config()).withVocab(tokenizer.vocabSize());
        results.put("model", Checkpoint.configJson(config));

        List<PretrainRun> runs = new ArrayList<>();
        for (double s : SPARSITIES) runs.add(pretrain(config, data, s));
        results.put("pretrain", runs.stream().map(PretrainRun::toJson).toList());
        results.put("speedups", speedups(config, runs));

        results.put("downstream", Downstream.run(options, plan, tokenizer, runs, log));
        results.put("flop_table", paperFlopTable());
        results.put("wall_seconds", (System.nanoTime() - start) / 1e9);
        ReportWriter.write(options.out(), results);
        return results;
    }

    // ---------------------------------------------------------------- stages

    private BpeTokenizer trainTokenizer() throws IOException {
        long t0 = System.nanoTime();
        List<String> docs = new ArrayList<>();
        CorpusReader.forEachDocument(options.corpus(), docs::add);
        if (docs.isEmpty()) throw new InputException(options.corpus() + ": the corpus has no documents");
        long chars = docs.stream().mapToLong(String::length).sum();
        log.line(String.format("[tokenizer] training a %d-token BPE vocabulary on %d documents (%.1f MB of text)",
                plan.vocab(), docs.size(), chars / 1e6));
        BpeTokenizer tok = BpeTrainer.train(docs, plan.vocab(), (phase, done, total) -> {});
        tok.save(options.out().resolve("tokenizer"));
        double secs = (System.nanoTime() - t0) / 1e9;
        log.line(String.format("[tokenizer] done in %.1f s -> %s", secs, options.out().resolve("tokenizer")));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("vocab_size", (long) tok.vocabSize());
        m.put("documents", (long) docs.size());
        m.put("characters", chars);
        m.put("seconds", secs);
        results.put("tokenizer", m);
        return tok;
    }

    private TokenFile tokenize(BpeTokenizer tokenizer) throws IOException {
        TokenFile data = CorpusTokenizer.tokenize(tokenizer, options.corpus(), TokenFile.DEFAULT_VALIDATION_FRACTION, null);
        data.write(options.out().resolve("corpus.tokens"));
        log.line(String.format("[data] %d tokens: %d for training, %d held out for validation",
                data.tokens().length, data.trainCount(), data.validationCount()));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tokens", (long) data.tokens().length);
        m.put("train_tokens", (long) data.trainCount());
        m.put("validation_tokens", (long) data.validationCount());
        results.put("data", m);
        return data;
    }

    private PretrainRun pretrain(ModelConfig config, TokenFile data, double sparsity) throws IOException {
        String label = PretrainRun.label(sparsity);
        TrainSettings s = new TrainSettings(plan.steps(), plan.batch(), plan.seqLen(), 1, plan.lr(), plan.warmup(), 1.0, 0f,
                plan.evalEvery(), plan.evalWindows(), 0, options.seed(), sparsity, mediswift4j.optim.AdamW.DEFAULTS);
        TrainState refs = new TrainState();
        refs.tokenizer = options.out().resolve("tokenizer").toString();
        Trainer trainer = Trainer.fresh(config, data, s, refs);
        PretrainRun run = new PretrainRun(sparsity);
        run.sparseKernel = usesCompressedKernels(trainer.model());
        Path dir = options.out().resolve("pretrain-" + label.replace("%", ""));
        long t0 = System.nanoTime();
        trainer.run(plan.steps(), dir, new Trainer.Progress() {
            @Override
            public void step(Trainer.StepReport r) {
                run.addStep(r);
                if (r.step() % Math.max(1, plan.steps() / 20) == 0 || r.step() == r.totalSteps()) {
                    double eta = r.tokensPerSecond() > 0 ? (r.totalSteps() - r.step()) * s.tokensPerStep() / r.tokensPerSecond() : 0;
                    log.line(String.format("[pretrain %s] step %d/%d  loss %.3f  lr %.2e  %.0f tokens/s  ETA %.0fs",
                            label, r.step(), r.totalSteps(), r.loss(), r.lr(), r.tokensPerSecond(), eta));
                }
            }

            @Override
            public void validation(long step, double valLoss, long tokensSeen, double elapsed) {
                run.addValidation(step, valLoss, tokensSeen);
            }
        });
        run.wallSeconds = (System.nanoTime() - t0) / 1e9;
        run.checkpoint = dir;
        run.finalValLoss = run.lastValidation();
        log.line(String.format("[pretrain %s] done: validation loss %.3f, %.0f tokens/s, %.1f s",
                label, run.finalValLoss, run.tokensPerSecond(), run.wallSeconds));
        return run;
    }

    /** True when some masked layer of the model runs on the compressed sparse kernels (SPEC section 15). */
    private static boolean usesCompressedKernels(Gpt model) {
        for (MaskedLinear l : model.maskedLayers()) {
            if (l.kernel() instanceof CompressedKernel k && k.compressed(l) != null) return true;
        }
        return false;
    }

    /** FLOP reduction counted, predicted on a CS-2, and measured on this CPU, per sparsity. */
    private List<Object> speedups(ModelConfig config, List<PretrainRun> runs) {
        List<Object> out = new ArrayList<>();
        double denseTps = runs.get(0).tokensPerSecond();
        for (PretrainRun r : runs) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("sparsity", r.sparsity);
            m.put("flop_reduction_counted", FlopCounter.count(config, plan.seqLen(), r.sparsity).reduction());
            m.put("cs2_predicted_speedup", Cs2Model.predict(config, r.sparsity, plan.batch(), plan.seqLen()).speedup());
            m.put("cpu_tokens_per_s", r.tokensPerSecond());
            m.put("cpu_measured_speedup", r.tokensPerSecond() / denseTps);
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

    private Map<String, Object> planJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("config", plan.config());
        m.put("vocab", (long) plan.vocab());
        m.put("seq_len", (long) plan.seqLen());
        m.put("batch", (long) plan.batch());
        m.put("steps", (long) plan.steps());
        m.put("lr", plan.lr());
        m.put("warmup", (long) plan.warmup());
        m.put("fine_tune_epochs_pubmedqa", (long) plan.fineTuneEpochsPubmedqa());
        m.put("fine_tune_epochs_hoc", (long) plan.fineTuneEpochsHoc());
        m.put("fine_tune_lr", plan.fineTuneLr());
        return m;
    }
}
