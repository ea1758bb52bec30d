package mediswift4j.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import mediswift4j.eval.Bootstrap;
import mediswift4j.eval.ResampledMetrics;
import mediswift4j.finetune.FineTuneSettings;
import mediswift4j.pubmedqa.PubmedqaLabel;
import mediswift4j.pubmedqa.PubmedqaRecord;
import mediswift4j.tokenizer.BpeTokenizer;

/**
 * The downstream half of the reproduction (SPEC.md section 16). Every pre-trained model (each sparsity and
 * pre-training seed) is fine-tuned densely, without and with a soft prompt (P = 9 for PubMedQA, 1 for HoC, as
 * BioGPT), for every fine-tuning seed (run seed + k) and, on PubMedQA, every fold; each run selects its epoch on
 * dev and predicts the test items once (SelectedFineTune), and is a resumable stage (StageCache).
 *
 * A row of the table is one (sparsity, fine-tuning) pair over all its runs: the mean and standard deviation over
 * runs of each metric, and a 95% percentile bootstrap interval of that mean over test items (questions; abstracts
 * for HoC), every run scored on the same resampled items. Comparisons are paired bootstraps of a difference on the
 * same resamples: every row against the task's no-model baseline (PubMedQA: majority label; HoC: all ten labels),
 * each sparse row against the dense row of the same fine-tuning, and soft prompt against none at each sparsity. A
 * difference is called real only when its interval excludes 0.
 */
final class Downstream {
    private Downstream() {}

    static final List<String> METRICS = List.of("pubmedqa_accuracy", "pubmedqa_macro_f1", "hoc_micro_f1");

    /**
     * Predictions of every run of one row (or of a baseline: one constant run, no pre-training), as integer arrays
     * over the evaluated items: PubMedQA labels per question, HoC masks per abstract.
     */
    private static final class Row {
        final String name;
        final PretrainRun first;
        final boolean soft;
        final List<int[]> pubmedqa = new ArrayList<>(), hoc = new ArrayList<>();
        final List<Object> pubmedqaEpochs = new ArrayList<>(), hocEpochs = new ArrayList<>();
        double seconds;

        Row(String name, PretrainRun first, boolean soft) {
            this.name = name;
            this.first = first;
            this.soft = soft;
        }

        List<int[]> predictions(String metric) {
            return metric.startsWith("hoc") ? hoc : pubmedqa;
        }
    }

    static Map<String, Object> run(Path out, ReproductionPlan plan, long seed, BpeTokenizer tok, String inputsKey,
                                   List<PretrainRun> runs, DownstreamData data, Reproduction.Log log) throws IOException {
        Baselines base = new Baselines(data, plan.bootstrapResamples(), seed);
        log.line(String.format("[downstream] PubMedQA: %d training, %d dev, %d of %d test questions (%s); HoC: %d training, %d dev, "
                        + "%d of %d test abstracts", data.folds.get(0).train().size(), data.folds.get(0).dev().size(), data.pubmedqaTest.size(),
                data.pubmedqaTestFull.size(), data.pubmedqaProtocol, data.hocTrain.stream().map(s -> s.pmid()).distinct().count(),
                data.hocDev.stream().map(s -> s.pmid()).distinct().count(), base.hocAbstracts.size(), base.hocGoldFull.length));

        Map<String, Row> rows = new LinkedHashMap<>();
        Progress progress = new Progress(runs.size() * 2 * plan.seeds() * (plan.folds() + 1), log);
        for (PretrainRun run : runs) {
            for (boolean soft : new boolean[] {false, true}) {
                String name = run.label() + " / " + (soft ? "dense + soft prompt" : "dense");
                Row row = rows.computeIfAbsent(name, n -> new Row(n, run, soft));
                for (int k = 0; k < plan.seeds(); k++) {
                    long ftSeed = seed + k;
                    for (DownstreamData.PubmedqaFold fold : data.folds) {
                        FineTuneSettings s = settings(plan, soft ? plan.softPromptPubmedqa() : 0, plan.pubmedqaEpochs(), ftSeed);
                        Stage st = stage(out, run, "pubmedqa", k, fold.fold(), s, inputsKey,
                                () -> SelectedFineTune.pubmedqa(run.checkpoint, tok, fold.train(), fold.dev(), data.pubmedqaTest, s));
                        row.pubmedqa.add(pubmedqaPredictions(st.result(), data.pubmedqaTest));
                        row.pubmedqaEpochs.add(st.selectedEpoch());
                        row.seconds += st.seconds();
                        progress.done(name + " PubMedQA seed " + ftSeed + " fold " + fold.fold(), st);
                    }
                    FineTuneSettings s = settings(plan, soft ? plan.softPromptHoc() : 0, plan.hocEpochs(), ftSeed);
                    Stage st = stage(out, run, "hoc", k, -1, s, inputsKey,
                            () -> SelectedFineTune.hoc(run.checkpoint, tok, data.hocTrain, data.hocDev, data.hocTest, s));
                    row.hoc.add(hocPredictions(st.result(), base.hocAbstracts));
                    row.hocEpochs.add(st.selectedEpoch());
                    row.seconds += st.seconds();
                    progress.done(name + " HoC seed " + ftSeed, st);
                }
            }
        }

        Map<String, Object> result = new LinkedHashMap<>(data.json());
        result.put("baselines", base.json);
        Stats st = new Stats(base, plan.bootstrapResamples(), seed);
        List<Object> rowJson = new ArrayList<>();
        for (Row r : rows.values()) rowJson.add(st.rowJson(r));
        result.put("rows", rowJson);
        result.put("comparisons", st.comparisons(new ArrayList<>(rows.values())));
        return result;
    }

    private interface StageBody {
        Map<String, Object> run() throws IOException;
    }

    /** A fine-tuning stage's result, and whether it came from an earlier run. */
    private record Stage(Map<String, Object> result, boolean reused) {
        double selectedEpoch() {
            return ((Number) result.get("selected_epoch")).doubleValue();
        }

        double seconds() {
            return ((Number) result.get("seconds")).doubleValue();
        }
    }

    /**
     * Runs one fine-tuning run of `task` from a pre-trained model, or reuses it: its directory is
     * finetune/PRETRAIN/TASK-(soft|nosoft)-seedK[-foldF], its key everything its predictions depend on.
     */
    private static Stage stage(Path out, PretrainRun run, String task, int seedIndex, int fold, FineTuneSettings s,
                               String inputsKey, StageBody body) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("stage", "finetune-v2");
        m.put("task", task);
        m.put("pretrain", run.stageKey);
        m.put("inputs", inputsKey);
        m.put("soft_prompt", (long) s.softPrompt());
        m.put("seed", s.seed());
        m.put("fold", (long) fold);
        m.put("epochs", (long) s.epochs());
        m.put("lr", s.lr());
        m.put("batch", (long) s.batch());
        m.put("max_len", (long) s.maxLen());
        String key = StageCache.key(m);
        Path dir = out.resolve("finetune").resolve(run.dirName())
                .resolve(task + (s.softPrompt() > 0 ? "-soft" : "-nosoft") + "-seed" + seedIndex + (fold >= 0 ? "-fold" + fold : ""));
        Map<String, Object> r = StageCache.finished(dir, key);
        if (r != null) return new Stage(r, true);
        r = body.run();
        StageCache.finish(dir, key, r);
        return new Stage(r, false);
    }

    private static FineTuneSettings settings(ReproductionPlan plan, int softPrompt, int epochs, long seed) {
        return FineTuneSettings.defaults(softPrompt, false).withEpochs(epochs).withLr(plan.fineTuneLr())
                .withMaxLen(plan.fineTuneSeqLen()).withSeed(seed);
    }

    /** One progress line per finished (or reused) stage, with an ETA from the stages so far. */
    private static final class Progress {
        private final int total;
        private final Reproduction.Log log;
        private final long t0 = System.nanoTime();
        private int done;

        Progress(int total, Reproduction.Log log) {
            this.total = total;
            this.log = log;
        }

        void done(String what, Stage st) {
            done++;
            double secs = (System.nanoTime() - t0) / 1e9;
            double eta = secs / done * (total - done);
            log.line(String.format("[downstream %d/%d] %s: epoch %s selected on dev (%.0f s%s)  ETA %.0fs", done, total, what,
                    st.result().get("selected_epoch"), st.seconds(), st.reused() ? ", reused" : "", eta));
        }
    }

    @SuppressWarnings("unchecked")
    private static int[] pubmedqaPredictions(Map<String, Object> r, List<PubmedqaRecord> test) {
        Map<String, Object> p = (Map<String, Object>) r.get("predictions");
        int[] out = new int[test.size()];
        for (int i = 0; i < out.length; i++) out[i] = PubmedqaLabel.parse((String) p.get(test.get(i).pmid()), "stage predictions").ordinal();
        return out;
    }

    @SuppressWarnings("unchecked")
    private static int[] hocPredictions(Map<String, Object> r, List<String> abstracts) {
        Map<String, Object> p = (Map<String, Object>) r.get("predictions");
        int[] out = new int[abstracts.size()];
        for (int i = 0; i < out.length; i++) out[i] = ((Number) p.get(abstracts.get(i))).intValue();
        return out;
    }

    /** Row statistics and paired comparisons on the shared bootstrap resamples. */
    private record Stats(Baselines base, int resamples, long seed) {
        private interface Metric {
            double of(int[] predictions, int[] idx);
        }

        /** The metric by its results.json name, over the evaluated items of its task. */
        private Metric metric(String name) {
            return switch (name) {
                case "pubmedqa_accuracy" -> (p, idx) -> ResampledMetrics.pubmedqaAccuracy(base.pubmedqaGold, p, idx);
                case "pubmedqa_macro_f1" -> (p, idx) -> ResampledMetrics.pubmedqaMacroF1(base.pubmedqaGold, p, idx);
                default -> (p, idx) -> ResampledMetrics.hocMicroF1(base.hocGold, p, idx);
            };
        }

        private int items(String metric) {
            return metric.startsWith("hoc") ? base.hocGold.length : base.pubmedqaGold.length;
        }

        Map<String, Object> rowJson(Row r) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", r.name);
            m.put("pretraining", r.first.label());
            m.put("sparsity", r.first.sparsity);
            m.put("fine_tuning", r.soft ? "dense + soft prompt" : "dense");
            m.put("runs", (long) r.pubmedqa.size());
            m.put("hoc_runs", (long) r.hoc.size());
            for (String metric : METRICS) m.put(metric, summary(r.predictions(metric), metric));
            m.put("selected_epochs", Map.of("pubmedqa", r.pubmedqaEpochs, "hoc", r.hocEpochs));
            int[] pq0 = r.pubmedqa.get(0), hoc0 = r.hoc.get(0);
            Map<String, Object> predicted = new LinkedHashMap<>();
            for (PubmedqaLabel l : PubmedqaLabel.values()) predicted.put(l.text, Arrays.stream(pq0).filter(x -> x == l.ordinal()).count());
            m.put("pubmedqa_predicted", predicted);
            m.put("hoc_abstracts_with_prediction", hoc0.length == 0 ? 0.0 : (double) Arrays.stream(hoc0).filter(x -> x != 0).count() / hoc0.length);
            m.put("hoc_labels_predicted", (long) Integer.bitCount(Arrays.stream(hoc0).reduce(0, (a, b) -> a | b)));
            m.put("seconds", r.seconds);
            return m;
        }

        /** mean and std over runs, and the bootstrap interval of the mean over runs. */
        private Map<String, Object> summary(List<int[]> preds, String metric) {
            Metric f = metric(metric);
            int n = items(metric);
            double[] perRun = new double[preds.size()];
            int[] all = Baselines.identity(n);
            for (int i = 0; i < perRun.length; i++) perRun[i] = f.of(preds.get(i), all);
            double[] ms = ResampledMetrics.meanAndStd(perRun);
            Bootstrap.Interval ci = Bootstrap.percentile(n, meanOver(preds, f), resamples, seed, Bootstrap.LEVEL);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("mean", ms[0]);
            m.put("std", ms[1]);
            m.put("low", ci.low());
            m.put("high", ci.high());
            m.put("per_run", Arrays.stream(perRun).boxed().map(x -> (Object) x).toList());
            return m;
        }

        private static ToDoubleFunction<int[]> meanOver(List<int[]> preds, Metric f) {
            return idx -> {
                double s = 0;
                for (int[] p : preds) s += f.of(p, idx);
                return s / preds.size();
            };
        }

        List<Object> comparisons(List<Row> rows) {
            List<Object> out = new ArrayList<>();
            Row pqBase = new Row("always '" + base.majority.text + "'", null, false);
            pqBase.pubmedqa.add(base.pubmedqaBaseline);
            Row hocBase = new Row("all ten labels", null, false);
            hocBase.hoc.add(base.hocBaseline);
            for (Row r : rows) {
                for (String metric : METRICS) out.add(compare(r, metric.startsWith("hoc") ? hocBase : pqBase, metric));
            }
            for (Row r : rows) {
                for (Row d : rows) {
                    boolean sparseVsDense = r.first.sparsity > 0 && d.first.sparsity == 0 && r.soft == d.soft && r.first.seed == d.first.seed;
                    boolean softVsNone = r.soft && !d.soft && r.first == d.first;
                    if (!sparseVsDense && !softVsNone) continue;
                    for (String metric : METRICS) out.add(compare(r, d, metric));
                }
            }
            return out;
        }

        private Map<String, Object> compare(Row a, Row b, String metric) {
            Metric f = metric(metric);
            ToDoubleFunction<int[]> fa = meanOver(a.predictions(metric), f), fb = meanOver(b.predictions(metric), f);
            Bootstrap.Interval d = Bootstrap.percentile(items(metric), idx -> fa.applyAsDouble(idx) - fb.applyAsDouble(idx),
                    resamples, seed, Bootstrap.LEVEL);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("a", a.name);
            m.put("b", b.name);
            m.put("metric", metric);
            m.put("difference", d.toJson());
            m.put("real", d.excludesZero());
            return m;
        }
    }
}
