package mediswift4j.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
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

    /** Predictions of every run of one row, as integer arrays over the evaluated items. */
    private record Row(String name, PretrainRun first, boolean soft, List<int[]> pubmedqa, List<int[]> hoc,
                       List<Double> pqEpochs, List<Double> hocEpochs, double[] seconds) {}

    static Map<String, Object> run(Path out, ReproductionPlan plan, long seed, BpeTokenizer tok, String inputsKey,
                                   List<PretrainRun> runs, DownstreamData data, Reproduction.Log log) throws IOException {
        Baselines base = new Baselines(data, plan.bootstrapResamples(), seed);
        log.line(String.format("[downstream] PubMedQA: %d training, %d dev, %d of %d test questions (%s); HoC: %d training, %d dev, "
                        + "%d of %d test abstracts", data.folds.get(0).train().size(), data.folds.get(0).dev().size(), data.pubmedqaTest.size(),
                data.pubmedqaTestFull.size(), data.pubmedqaProtocol, data.hocTrain.stream().map(s -> s.pmid()).distinct().count(),
                data.hocDev.stream().map(s -> s.pmid()).distinct().count(), base.hocAbstracts.size(), base.hocGoldFull.length));

        Map<String, Row> rows = new LinkedHashMap<>();
        int total = runs.size() * 2 * plan.seeds() * (plan.folds() + 1), done = 0;
        long t0 = System.nanoTime();
        for (PretrainRun run : runs) {
            for (boolean soft : new boolean[] {false, true}) {
                String name = run.label() + " / " + (soft ? "dense + soft prompt" : "dense");
                Row row = rows.computeIfAbsent(name, n -> new Row(n, run, soft, new ArrayList<>(), new ArrayList<>(),
                        new ArrayList<>(), new ArrayList<>(), new double[1]));
                for (int k = 0; k < plan.seeds(); k++) {
                    long ftSeed = seed + k;
                    for (DownstreamData.PubmedqaFold fold : data.folds) {
                        FineTuneSettings s = settings(plan, soft ? plan.softPromptPubmedqa() : 0, plan.pubmedqaEpochs(), ftSeed);
                        Map<String, Object> key = key("pubmedqa", run, soft, ftSeed, fold.fold(), s, inputsKey);
                        Path dir = out.resolve("finetune").resolve(run.dirName()).resolve(stageName("pubmedqa", soft, k, fold.fold()));
                        Stage st = stage(dir, key, () -> SelectedFineTune.pubmedqa(run.checkpoint, tok, fold.train(), fold.dev(), data.pubmedqaTest, s));
                        Map<String, Object> r = st.result();
                        row.pubmedqa.add(pubmedqaPredictions(r, data.pubmedqaTest));
                        row.pqEpochs.add(((Number) r.get("selected_epoch")).doubleValue());
                        row.seconds[0] += ((Number) r.get("seconds")).doubleValue();
                        log.line(progress(++done, total, t0, name + " PubMedQA seed " + ftSeed + " fold " + fold.fold(), st));
                    }
                    FineTuneSettings s = settings(plan, soft ? plan.softPromptHoc() : 0, plan.hocEpochs(), ftSeed);
                    Map<String, Object> key = key("hoc", run, soft, ftSeed, -1, s, inputsKey);
                    Path dir = out.resolve("finetune").resolve(run.dirName()).resolve(stageName("hoc", soft, k, -1));
                    Stage st = stage(dir, key, () -> SelectedFineTune.hoc(run.checkpoint, tok, data.hocTrain, data.hocDev, data.hocTest, s));
                    Map<String, Object> r = st.result();
                    row.hoc.add(hocPredictions(r, base.hocAbstracts));
                    row.hocEpochs.add(((Number) r.get("selected_epoch")).doubleValue());
                    row.seconds[0] += ((Number) r.get("seconds")).doubleValue();
                    log.line(progress(++done, total, t0, name + " HoC seed " + ftSeed, st));
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
    private record Stage(Map<String, Object> result, boolean reused) {}

    private static Stage stage(Path dir, Map<String, Object> description, StageBody body) throws IOException {
        String key = StageCache.key(description);
        Map<String, Object> r = StageCache.finished(dir, key);
        if (r != null) return new Stage(r, true);
        r = body.run();
        StageCache.finish(dir, key, r);
        return new Stage(r, false);
    }

    private static String stageName(String task, boolean soft, int seedIndex, int fold) {
        return task + (soft ? "-soft" : "-nosoft") + "-seed" + seedIndex + (fold >= 0 ? "-fold" + fold : "");
    }

    private static FineTuneSettings settings(ReproductionPlan plan, int softPrompt, int epochs, long seed) {
        return FineTuneSettings.defaults(softPrompt, false).withEpochs(epochs).withLr(plan.fineTuneLr())
                .withMaxLen(plan.fineTuneSeqLen()).withSeed(seed);
    }

    private static Map<String, Object> key(String task, PretrainRun run, boolean soft, long seed, int fold, FineTuneSettings s,
                                           String inputsKey) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("stage", "finetune-v2");
        m.put("task", task);
        m.put("pretrain", run.stageKey);
        m.put("inputs", inputsKey);
        m.put("soft_prompt", (long) s.softPrompt());
        m.put("seed", seed);
        m.put("fold", (long) fold);
        m.put("epochs", (long) s.epochs());
        m.put("lr", s.lr());
        m.put("batch", (long) s.batch());
        m.put("max_len", (long) s.maxLen());
        return m;
    }

    private static String progress(int done, int total, long t0, String what, Stage st) {
        double secs = (System.nanoTime() - t0) / 1e9;
        double eta = done == 0 ? 0 : secs / done * (total - done);
        return String.format("[downstream %d/%d] %s: epoch %s selected on dev (%.0f s%s)  ETA %.0fs", done, total, what,
                st.result().get("selected_epoch"), ((Number) st.result().get("seconds")).doubleValue(), st.reused() ? ", reused" : "", eta);
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
        Map<String, Object> rowJson(Row r) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", r.name());
            m.put("pretraining", r.first().label());
            m.put("sparsity", r.first().sparsity);
            m.put("fine_tuning", r.soft() ? "dense + soft prompt" : "dense");
            m.put("runs", (long) r.pubmedqa().size());
            m.put("hoc_runs", (long) r.hoc().size());
            m.put("pubmedqa_accuracy", metric(r.pubmedqa(), base.pubmedqaGold.length, (p, idx) -> ResampledMetrics.pubmedqaAccuracy(base.pubmedqaGold, p, idx)));
            m.put("pubmedqa_macro_f1", metric(r.pubmedqa(), base.pubmedqaGold.length, (p, idx) -> ResampledMetrics.pubmedqaMacroF1(base.pubmedqaGold, p, idx)));
            m.put("hoc_micro_f1", metric(r.hoc(), base.hocGold.length, (p, idx) -> ResampledMetrics.hocMicroF1(base.hocGold, p, idx)));
            m.put("selected_epochs", Map.of("pubmedqa", new ArrayList<Object>(r.pqEpochs()), "hoc", new ArrayList<Object>(r.hocEpochs())));
            Map<String, Object> predicted = new LinkedHashMap<>();
            for (PubmedqaLabel l : PubmedqaLabel.values()) {
                predicted.put(l.text, java.util.Arrays.stream(r.pubmedqa().get(0)).filter(x -> x == l.ordinal()).count());
            }
            m.put("pubmedqa_predicted", predicted);
            int[] hoc0 = r.hoc().get(0);
            m.put("hoc_abstracts_with_prediction", hoc0.length == 0 ? 0.0 : (double) java.util.Arrays.stream(hoc0).filter(x -> x != 0).count() / hoc0.length);
            m.put("hoc_labels_predicted", (long) Integer.bitCount(java.util.Arrays.stream(hoc0).reduce(0, (a, b) -> a | b)));
            m.put("seconds", r.seconds()[0]);
            return m;
        }

        private interface Metric {
            double of(int[] predictions, int[] idx);
        }

        /** mean and std over runs, and the bootstrap interval of the mean over runs. */
        private Map<String, Object> metric(List<int[]> preds, int n, Metric f) {
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
            m.put("per_run", java.util.Arrays.stream(perRun).boxed().map(x -> (Object) x).toList());
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
            Row pqBase = new Row("always '" + base.majority.text + "'", null, false, List.of(base.pubmedqaBaselinePredictions()),
                    List.of(), List.of(), List.of(), new double[1]);
            Row hocBase = new Row("all ten labels", null, false, List.of(), List.of(base.hocBaselinePredictions()), List.of(), List.of(), new double[1]);
            for (Row r : rows) {
                out.add(compare(r, pqBase, "pubmedqa_accuracy"));
                out.add(compare(r, pqBase, "pubmedqa_macro_f1"));
                out.add(compare(r, hocBase, "hoc_micro_f1"));
            }
            for (Row r : rows) {
                for (Row d : rows) {
                    boolean sparseVsDense = r.first().sparsity > 0 && d.first().sparsity == 0 && r.soft() == d.soft()
                            && r.first().seed == d.first().seed;
                    boolean softVsNone = r.soft() && !d.soft() && r.first() == d.first();
                    if (!sparseVsDense && !softVsNone) continue;
                    for (String metric : List.of("pubmedqa_accuracy", "pubmedqa_macro_f1", "hoc_micro_f1")) out.add(compare(r, d, metric));
                }
            }
            return out;
        }

        private Map<String, Object> compare(Row a, Row b, String metric) {
            boolean hoc = metric.startsWith("hoc");
            Metric f = switch (metric) {
                case "pubmedqa_accuracy" -> (p, idx) -> ResampledMetrics.pubmedqaAccuracy(base.pubmedqaGold, p, idx);
                case "pubmedqa_macro_f1" -> (p, idx) -> ResampledMetrics.pubmedqaMacroF1(base.pubmedqaGold, p, idx);
                default -> (p, idx) -> ResampledMetrics.hocMicroF1(base.hocGold, p, idx);
            };
            ToDoubleFunction<int[]> fa = meanOver(hoc ? a.hoc() : a.pubmedqa(), f), fb = meanOver(hoc ? b.hoc() : b.pubmedqa(), f);
            int n = hoc ? base.hocGold.length : base.pubmedqaGold.length;
            Bootstrap.Interval d = Bootstrap.percentile(n, idx -> fa.applyAsDouble(idx) - fb.applyAsDouble(idx), resamples, seed, Bootstrap.LEVEL);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("a", a.name());
            m.put("b", b.name());
            m.put("metric", metric);
            m.put("difference", d.toJson());
            m.put("real", d.excludesZero());
            return m;
        }
    }

}
