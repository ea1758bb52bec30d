package mediswift4j.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import mediswift4j.io.Json;
import mediswift4j.tasks.HocData;
import mediswift4j.tasks.HocEvaluation;
import mediswift4j.tasks.HocLabels;
import mediswift4j.tasks.HocMetrics;
import mediswift4j.tasks.HocSentence;
import mediswift4j.tasks.PubmedqaData;
import mediswift4j.tasks.PubmedqaEvaluation;
import mediswift4j.tasks.PubmedqaLabel;
import mediswift4j.tasks.PubmedqaMetrics;

/**
 * `eval pubmedqa|hoc`: score predictions (files anyone can produce) with the community's metrics; the scoring
 * itself lives in mediswift4j.tasks. Results as JSON with --json (fractions), else a table (percentages).
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
                "       eval pubmedqa|hoc ... --checkpoint PATH        (not implemented yet)",
                "",
                "pubmedqa: FILE is a JSON object PMID -> \"yes\"|\"no\"|\"maybe\" (the official evaluation's input); it must",
                "  predict all and only the test PMIDs (test_ground_truth.json, or the official split computed from",
                "  --data when --ground-truth is omitted). Prints accuracy, macro-F1, per-label scores, confusion matrix.",
                "hoc: FILE has lines index<TAB>labels (optional header 'index<TAB>labels'), index = <PMID>_s<i> of every",
                "  sentence of --data, labels = ten k_v flags or label names joined by '|' ('none' or empty = no label).",
                "  BLURB's metric: labels are OR-ed per abstract, micro-F1 over (abstract, label) pairs.",
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

    /** --checkpoint or --predictions: exactly one. Returns the predictions path. */
    private static Path source(Args args) {
        String checkpoint = args.string("checkpoint", null);
        String predictions = args.string("predictions", null);
        if (checkpoint != null && predictions != null) {
            throw new UsageException("give either --predictions or --checkpoint, not both");
        }
        if (checkpoint != null) {
            // ---- PLACE FOR --checkpoint PATH: load the fine-tuned model, build prompts with PubmedqaPrompt /
            // ---- HocPrompt, score the candidates (or generate), then fall through to the same metrics below.
            throw new UsageException("--checkpoint: not implemented yet (use --predictions FILE)");
        }
        if (predictions == null) throw new UsageException("missing required option --predictions (or --checkpoint)");
        return Path.of(predictions);
    }

    private static int pubmedqa(Args args) {
        Path data = Path.of(args.require("data"));
        String gt = args.string("ground-truth", null);
        Path predictions = source(args);
        boolean json = args.flag("json");
        args.finish();

        PubmedqaData d = PubmedqaData.read(data);
        Map<String, PubmedqaLabel> gold = PubmedqaEvaluation.gold(d, gt == null ? null : Path.of(gt));
        PubmedqaMetrics m = PubmedqaEvaluation.score(d, gold, PubmedqaEvaluation.readPredictions(predictions),
                predictions.toString());

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
        Path predictions = source(args);
        boolean json = args.flag("json");
        args.finish();

        List<HocSentence> sentences = HocData.read(data);
        HocMetrics m = HocEvaluation.score(sentences, data.toString(), predictions);

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
