package mediswift4j.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import mediswift4j.finetune.FineTuneCheckpoint;
import mediswift4j.finetune.FineTunedModel;
import mediswift4j.finetune.HocPredictor;
import mediswift4j.finetune.PubmedqaPredictor;
import mediswift4j.hoc.HocData;
import mediswift4j.hoc.HocEvaluation;
import mediswift4j.hoc.HocLabels;
import mediswift4j.hoc.HocMetrics;
import mediswift4j.hoc.HocSentence;
import mediswift4j.io.Json;
import mediswift4j.pubmedqa.PubmedqaData;
import mediswift4j.pubmedqa.PubmedqaEvaluation;
import mediswift4j.pubmedqa.PubmedqaLabel;
import mediswift4j.pubmedqa.PubmedqaMetrics;
import mediswift4j.tensor.Parallel;
import mediswift4j.tokenizer.BpeTokenizer;
import mediswift4j.util.InputException;

/**
 * `eval pubmedqa|hoc`: score predictions (files anyone can produce) with the community's metrics; the scoring
 * itself lives in mediswift4j.pubmedqa and mediswift4j.hoc. Results as JSON with --json (fractions), else a table
 * (percentages).
 */
final class EvalCommand implements Command {
    @Override
    public String name() {
        return "eval";
    }

    @Override
    public String summary() {
        return "score PubMedQA or HoC predictions, or a checkpoint";
    }

    @Override
    public String help() {
        return String.join("\n",
                "usage: eval pubmedqa --data ori_pqal.json [--ground-truth test_ground_truth.json] --predictions FILE [--json]",
                "       eval hoc --data test.tsv --predictions FILE [--json]",
                "       eval pubmedqa|hoc ... --checkpoint PATH [--tokenizer DIR] [--threads T]   (instead of --predictions)",
                "",
                "pubmedqa: FILE is a JSON object PMID -> \"yes\"|\"no\"|\"maybe\" (the official evaluation's input); it must",
                "  predict all and only the test PMIDs (test_ground_truth.json, or the official split computed from",
                "  --data when --ground-truth is omitted). Prints accuracy, macro-F1, per-label scores, confusion matrix.",
                "hoc: FILE has lines index<TAB>labels (optional header 'index<TAB>labels'), index = <PMID>_s<i> of every",
                "  sentence of --data, labels = ten k_v flags or label names joined by '|' ('none' or empty = no label).",
                "  BLURB's metric: labels are OR-ed per abstract, micro-F1 over (abstract, label) pairs.",
                "--checkpoint: a fine-tuned model directory (finetune output; a pre-training checkpoint answers zero-shot)",
                "  makes the predictions: pubmedqa by the likelihood of the yes/no/maybe candidates, hoc by generated",
                "  label text; --tokenizer defaults to the one recorded in the checkpoint.",
                "--json prints the scores as JSON (fractions in [0, 1]); the table shows percentages.");
    }

    @Override
    public int run(Args args) throws Exception {
        String task = args.positional(0, "task (pubmedqa or hoc)");
        if (args.positional().size() > 1) throw new UsageException("unexpected argument '" + args.positional().get(1) + "'");
        switch (task) {
            case "pubmedqa": return pubmedqa(args);
            case "hoc": return hoc(args);
            default: throw new UsageException("unknown eval task '" + task + "' (expected pubmedqa or hoc)");
        }
    }

    /** Where the predictions come from: a predictions file, or a checkpoint whose model makes them now. */
    private record Source(Path predictions, Path checkpoint, String tokenizer) {
        String name() {
            return predictions != null ? predictions.toString() : "predictions of " + checkpoint;
        }

        /** The fine-tuned model (FineTuneCheckpoint: checkpoint.bin + finetune.bin) and its tokenizer. */
        FineTunedModel model(String task, BpeTokenizer[] tokOut) {
            FineTuneCheckpoint.Loaded loaded = FineTuneCheckpoint.load(checkpoint);
            String tokDir = tokenizer != null ? tokenizer : loaded.tokenizer();
            if (tokDir == null) throw new UsageException("the checkpoint records no tokenizer: give --tokenizer DIR");
            tokOut[0] = BpeTokenizer.load(Path.of(tokDir));
            return loaded.model(task, tokOut[0]);
        }
    }

    /** --checkpoint or --predictions: exactly one. */
    private static Source source(Args args) {
        String checkpoint = args.string("checkpoint", null);
        String predictions = args.string("predictions", null);
        String tokenizer = args.string("tokenizer", null);
        Integer threads = args.has("threads") ? args.threads(0) : null;
        if (checkpoint != null && predictions != null) {
            throw new UsageException("give either --predictions or --checkpoint, not both");
        }
        if (checkpoint != null) {
            // The model answers now: PubMedQA by candidate likelihood, HoC by generated label text
            // (mediswift4j.finetune.PubmedqaPredictor / HocPredictor); the same metrics follow.
            if (threads != null) Parallel.setThreads(threads);
            if (!java.nio.file.Files.exists(Path.of(checkpoint))) {
                throw new InputException(checkpoint + ": no such file or directory");
            }
            return new Source(null, Path.of(checkpoint), tokenizer);
        }
        if (tokenizer != null || threads != null) throw new UsageException("--tokenizer and --threads go with --checkpoint");
        if (predictions == null) throw new UsageException("missing required option --predictions (or --checkpoint)");
        return new Source(Path.of(predictions), null, null);
    }

    private static int pubmedqa(Args args) {
        Path data = Path.of(args.require("data"));
        String gt = args.string("ground-truth", null);
        Source src = source(args);
        boolean json = args.flag("json");
        args.finish();

        PubmedqaData d = PubmedqaData.read(data);
        Map<String, PubmedqaLabel> gold = PubmedqaEvaluation.gold(d, gt == null ? null : Path.of(gt));
        Map<String, PubmedqaLabel> predicted;
        if (src.checkpoint() != null) {
            BpeTokenizer[] tok = new BpeTokenizer[1];
            FineTunedModel ft = src.model("pubmedqa", tok);
            predicted = PubmedqaPredictor.predict(ft, tok[0], d.select(new java.util.ArrayList<>(gold.keySet()), data.toString()));
        } else {
            predicted = PubmedqaEvaluation.readPredictions(src.predictions());
        }
        PubmedqaMetrics m = PubmedqaEvaluation.score(d, gold, predicted, src.name());

        PrintStream o = Main.utf8(System.out);
        if (json) {
            o.println(Json.write(m.toJson()));
            return 0;
        }
        o.printf("PubMedQA (%d items, %s)%n", m.n, gt == null ? "official test split" : gt);
        o.printf("  accuracy  %6.2f%n", 100 * m.accuracy);
        o.printf("  macro-F1  %6.2f%n%n", 100 * m.macroF1);
        o.printf("  %-6s %9s %7s %6s %8s%n", "label", "precision", "recall", "F1", "support");
        for (PubmedqaLabel l : PubmedqaLabel.values()) {
            int i = l.ordinal();
            o.printf("  %-6s %9.2f %7.2f %6.2f %8d%n", l.text, 100 * m.precision[i], 100 * m.recall[i], 100 * m.f1[i],
                    m.support[i]);
        }
        o.printf("%n  confusion (rows gold, columns predicted)%n  %-6s %6s %6s %6s%n", "", "yes", "no", "maybe");
        for (PubmedqaLabel g : PubmedqaLabel.values()) {
            long[] row = m.confusion[g.ordinal()];
            o.printf("  %-6s %6d %6d %6d%n", g.text, row[0], row[1], row[2]);
        }
        return 0;
    }

    private static int hoc(Args args) {
        Path data = Path.of(args.require("data"));
        Source src = source(args);
        boolean json = args.flag("json");
        args.finish();

        List<HocSentence> sentences = HocData.read(data);
        HocMetrics m;
        if (src.checkpoint() != null) {
            BpeTokenizer[] tok = new BpeTokenizer[1];
            FineTunedModel ft = src.model("hoc", tok);
            m = HocEvaluation.score(sentences, HocPredictor.predict(ft, tok[0], sentences), src.name());
        } else {
            m = HocEvaluation.score(sentences, data.toString(), src.predictions());
        }

        PrintStream o = Main.utf8(System.out);
        if (json) {
            o.println(Json.write(m.toJson()));
            return 0;
        }
        o.printf("HoC (%d abstracts, %d sentences; labels OR-ed per abstract)%n", m.abstracts, sentences.size());
        o.printf("  micro-F1 %6.2f   precision %6.2f   recall %6.2f   (TP %d, FP %d, FN %d)%n%n",
                100 * m.microF1, 100 * m.microPrecision, 100 * m.microRecall, m.tp, m.fp, m.fn);
        o.printf("  %-36s %9s %7s %6s %8s%n", "label", "precision", "recall", "F1", "support");
        for (int k = 0; k < HocLabels.COUNT; k++) {
            o.printf("  %-36s %9.2f %7.2f %6.2f %8d%n", HocLabels.NAMES.get(k), 100 * m.precision[k],
                    100 * m.recall[k], 100 * m.f1[k], m.labelTp[k] + m.labelFn[k]);
        }
        return 0;
    }
}
