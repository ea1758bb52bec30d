package mediswift4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import mediswift4j.report.Reproduction;
import mediswift4j.tensor.Parallel;
import mediswift4j.util.InputException;

/** `reproduce`: the whole MediSwift pipeline at tiny scale, with a report. README's first command. */
final class ReproduceCommand implements Command {
    @Override
    public String name() {
        return "reproduce";
    }

    @Override
    public String summary() {
        return "run the whole MediSwift pipeline at tiny scale and write a report";
    }

    @Override
    public String help() {
        return String.join("\n",
                "usage: reproduce [--out DIR] [--quick] [--corpus PATH...] [--pubmedqa DIR] [--hoc DIR] [--seed N] [--threads T]",
                "",
                "Trains a BPE tokenizer on the corpus; pre-trains the mediswift-tiny model dense, 50% and 75% sparse on the",
                "same tokens; fine-tunes each densely with and without a soft prompt on PubMedQA and HoC; evaluates; and",
                "writes DIR/report.md (tables and SVG charts) and DIR/results.json (every number).",
                "",
                "  --out DIR        output directory (default reproduce-out)",
                "  --quick          a smaller run of about two minutes (the full run takes about ten on 2 cores)",
                "  --corpus PATH... pre-training text: .txt, .jsonl, PubMed .xml/.xml.gz, PubMedQA .json, or directories",
                "                   (default corpus-samples/pubmed-sample.txt)",
                "  --pubmedqa DIR   ori_pqal.json + test_ground_truth.json (default corpus-samples/pubmedqa)",
                "  --hoc DIR        BLURB HoC train.tsv, dev.tsv, test.tsv (default corpus-samples/hoc)",
                "  --seed N         the run's seed (default 1234)",
                "  --threads T      worker threads (default: all cores)");
    }

    @Override
    public int run(Args args) throws Exception {
        Path out = Path.of(args.string("out", "reproduce-out"));
        boolean quick = args.flag("quick");
        List<Path> corpus = new ArrayList<>();
        for (String p : args.words("corpus")) corpus.add(Path.of(p));
        if (corpus.isEmpty()) corpus.add(Path.of("corpus-samples", "pubmed-sample.txt"));
        Path pubmedqa = Path.of(args.string("pubmedqa", "corpus-samples/pubmedqa"));
        Path hoc = Path.of(args.string("hoc", "corpus-samples/hoc"));
        long seed = args.longValue("seed", 1234);
        int threads = args.integer("threads", Runtime.getRuntime().availableProcessors());
        args.finish();
        if (threads < 1) throw new UsageException("--threads must be at least 1");
        for (Path p : corpus) {
            if (!Files.exists(p)) throw new InputException(p + ": corpus not found (run from the repository root, or pass --corpus)");
        }
        Parallel.setThreads(threads);
        Reproduction.Options options = new Reproduction.Options(out, quick, corpus, pubmedqa, hoc, seed);
        Map<String, Object> results = new Reproduction(options, System.err::println).run();
        System.out.println("report: " + out.resolve("report.md") + "   (all numbers: " + out.resolve("results.json") + ")");
        System.err.printf("total wall time %.0f s%n", ((Number) results.get("wall_seconds")).doubleValue());
        return 0;
    }
}
