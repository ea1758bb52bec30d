package mediswift4j.finetune;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import mediswift4j.hoc.HocEvaluation;
import mediswift4j.hoc.HocLabels;
import mediswift4j.hoc.HocMetrics;
import mediswift4j.hoc.HocSentence;
import mediswift4j.io.AtomicFiles;
import mediswift4j.io.Json;
import mediswift4j.nn.Gpt;
import mediswift4j.nn.ModelConfig;
import mediswift4j.pubmedqa.PubmedqaLabel;
import mediswift4j.pubmedqa.PubmedqaMetrics;
import mediswift4j.pubmedqa.PubmedqaRecord;
import mediswift4j.tokenizer.BpeTokenizer;
import mediswift4j.train.Checkpoint;
import mediswift4j.train.MetricsLog;
import mediswift4j.util.BadRequest;
import mediswift4j.util.InputException;

/**
 * One fine-tuning run into an output directory (the `finetune` command as a library): load the checkpoint and its
 * tokenizer, choose the task's training and evaluation splits (FineTuneData), fine-tune (FineTuner), save
 * (FineTuneCheckpoint), then predict and score each evaluation split. Writes OUT/checkpoint.bin, OUT/finetune.bin,
 * OUT/metrics.jsonl (one line per step, one per evaluation) and OUT/predictions-SPLIT.json (PubMedQA) or .tsv (HoC).
 *
 * Errors: BadRequest for a request that cannot be run as given, InputException for unusable files.
 */
public final class FineTuneRun {
    private FineTuneRun() {}

    public enum Task { PUBMEDQA, HOC }

    /**
     * What to run, paths as given (they are recorded and quoted in messages). data: for PubMedQA ori_pqal.json [test_ground_truth.json], for HoC a directory or its TSV files;
     * fold/foldGiven and trainAll apply to PubMedQA; tokenizer null means the one the checkpoint records;
     * evalSplit is dev, test, all or none (test falls back to dev when the data has no test split).
     */
    public record Request(Task task, String checkpoint, List<String> data, Path out, FineTuneSettings settings, int fold,
                          boolean foldGiven, boolean trainAll, String tokenizer, String evalSplit) {}

    /** Callbacks for the console, in this order: started, step (many), saved, evaluated (per split). */
    public interface Listener extends FineTuner.Progress {
        default void started(ModelConfig model, int trainExamples, long steps) {}

        @Override
        default void step(FineTuner.StepReport r) {}

        default void saved(Path checkpoint) {}

        default void evaluated(String split, Map<String, Object> metrics, double seconds) {}
    }

    /** What the run did; loss is the last step's (NaN when no step ran); eval maps each split to its metrics JSON. */
    public record Result(long steps, int trainExamples, float loss, Map<String, Object> eval) {}

    /** The task's data, loaded: exactly one of the two is set. */
    private record Data(FineTuneData.Pubmedqa pubmedqa, FineTuneData.Hoc hoc) {
        int trainCount() {
            return pubmedqa != null ? pubmedqa.train().size() : hoc.train().size();
        }

        Map<String, ?> eval() {
            return pubmedqa != null ? pubmedqa.eval() : hoc.eval();
        }
    }

    public static Result run(Request r, Listener listener) throws IOException {
        FineTuneSettings s = r.settings();
        for (String d : r.data()) if (!Files.exists(Path.of(d))) throw new InputException(d + ": no such file or directory");
        FineTuneCheckpoint.Loaded loaded = FineTuneCheckpoint.load(Path.of(r.checkpoint()));
        Gpt model = loaded.checkpoint().model();
        String tokDir = r.tokenizer() != null ? r.tokenizer() : loaded.tokenizer();
        if (tokDir == null) throw new BadRequest("the checkpoint records no tokenizer: give --tokenizer DIR");
        BpeTokenizer tok = BpeTokenizer.load(Path.of(tokDir));
        if (tok.vocabSize() > model.config().vocabSize()) {
            throw new InputException(tokDir + ": the tokenizer has " + tok.vocabSize() + " tokens, the model " + r.checkpoint()
                    + " only " + model.config().vocabSize());
        }
        int room = Math.min(s.maxLen(), model.config().contextLength());
        if (s.softPrompt() > 0 && s.maxLen() > 0 && s.softPrompt() >= room) {
            throw new BadRequest("--soft-prompt " + s.softPrompt() + " leaves no room in sequences of " + room);
        }
        Files.createDirectories(r.out());
        Data data = load(r);
        long steps = (long) s.epochs() * ((data.trainCount() + s.batch() - 1) / s.batch());
        listener.started(model.config(), data.trainCount(), steps);
        try (Writer mw = Files.newBufferedWriter(r.out().resolve("metrics.jsonl"), StandardCharsets.UTF_8)) {
            long[] tokens = {0};
            float[] lastLoss = {Float.NaN};
            FineTuner.Progress progress = report -> {
                tokens[0] = report.tokensSeen();
                lastLoss[0] = report.loss();
                MetricsLog.writeLine(mw, stepLine(report));
                listener.step(report);
            };
            FineTunedModel ft = data.pubmedqa() != null ? FineTuner.pubmedqa(model, tok, data.pubmedqa().train(), s, progress)
                    : FineTuner.hoc(model, tok, data.hoc().train(), s, progress);
            FineTuneCheckpoint.save(r.out(), ft, s, tokDir, r.data(), steps, tokens[0]);
            listener.saved(Checkpoint.file(r.out()));
            Map<String, Object> evals = new LinkedHashMap<>();
            for (String name : splits(data.eval().keySet(), r.evalSplit())) {
                long t0 = System.nanoTime();
                Map<String, Object> result = evaluate(ft, tok, data, name, r.out());
                evals.put(name, result);
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("step", steps);
                line.put("eval", name);
                line.put("metrics", result);
                MetricsLog.writeLine(mw, line);
                listener.evaluated(name, result, (System.nanoTime() - t0) / 1e9);
            }
            return new Result(steps, data.trainCount(), lastLoss[0], evals);
        }
    }

    private static Data load(Request r) {
        List<String> d = r.data();
        if (r.task() == Task.PUBMEDQA) {
            if (r.trainAll() && d.size() != 1) throw new BadRequest("--train-all takes one ori_pqal-format file");
            if (d.size() > 2) throw new BadRequest("pubmedqa --data takes ori_pqal.json and optionally test_ground_truth.json");
            if (d.size() == 2 && r.foldGiven()) throw new BadRequest("--fold applies to the official split (give ori_pqal.json alone)");
            return new Data(FineTuneData.pubmedqa(Path.of(d.get(0)), d.size() == 2 ? Path.of(d.get(1)) : null, r.fold(), r.trainAll()), null);
        }
        List<Path> ps = new ArrayList<>();
        for (String p : d) ps.add(Path.of(p));
        return new Data(null, FineTuneData.hoc(ps));
    }

    private static Map<String, Object> stepLine(FineTuner.StepReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("step", r.step());
        m.put("epoch", (long) r.epoch());
        m.put("loss", (double) r.loss());
        m.put("lr", (double) r.lr());
        m.put("grad_norm", r.gradNorm());
        m.put("tokens", r.tokensSeen());
        m.put("elapsed_s", r.elapsedSeconds());
        return m;
    }

    /** The evaluation splits to run, in the data's order: the one asked for, every one for "all", dev if test is absent. */
    static List<String> splits(Iterable<String> available, String evalSplit) {
        List<String> wanted = new ArrayList<>();
        boolean hasDev = false;
        for (String name : available) {
            hasDev |= name.equals("dev");
            if (evalSplit.equals("all") || evalSplit.equals(name)) wanted.add(name);
        }
        if (wanted.isEmpty() && evalSplit.equals("test") && hasDev) wanted.add("dev");
        return wanted;
    }

    /** Predicts one split, writes OUT/predictions-SPLIT.json|tsv and returns the metrics as JSON. */
    private static Map<String, Object> evaluate(FineTunedModel ft, BpeTokenizer tok, Data data, String name, Path out) throws IOException {
        if (data.pubmedqa() != null) {
            List<PubmedqaRecord> recs = data.pubmedqa().eval().get(name);
            Map<String, PubmedqaLabel> pred = PubmedqaPredictor.predict(ft, tok, recs);
            List<PubmedqaLabel> gold = new ArrayList<>(), got = new ArrayList<>();
            Map<String, Object> predJson = new LinkedHashMap<>();
            for (PubmedqaRecord r : recs) {
                gold.add(r.label());
                got.add(pred.get(r.pmid()));
                predJson.put(r.pmid(), pred.get(r.pmid()).text);
            }
            AtomicFiles.writeString(out.resolve("predictions-" + name + ".json"), Json.write(predJson, 2, false) + "\n");
            return PubmedqaMetrics.score(gold, got).toJson();
        }
        List<HocSentence> sents = data.hoc().eval().get(name);
        Map<String, Integer> pred = HocPredictor.predict(ft, tok, sents);
        StringBuilder sb = new StringBuilder(HocEvaluation.HEADER).append('\n');
        for (var e : pred.entrySet()) sb.append(e.getKey()).append('\t').append(HocLabels.formatFlags(e.getValue())).append('\n');
        AtomicFiles.writeString(out.resolve("predictions-" + name + ".tsv"), sb.toString());
        return HocMetrics.fromSentences(sents, pred).toJson();
    }
}
