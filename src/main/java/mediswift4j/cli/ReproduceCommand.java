package mediswift4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import mediswift4j.pipeline.Reproduction;
import mediswift4j.pipeline.ReproductionPlan;
import mediswift4j.tensor.Parallel;
import mediswift4j.util.InputException;

/** `reproduce`: the whole MediSwift pipeline at tiny scale, with a report. README's first command. */
final class ReproduceCommand implements Command {
    // The help's defaults are read from the plans themselves, so they cannot drift from what runs (HelpFiguresTest).
    private static final ReproductionPlan FULL = ReproductionPlan.full(), QUICK = ReproductionPlan.quick();

    private static String num(double x) {
        return Double.toString(x);
    }

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
                "usage: reproduce [--out DIR] [--quick] [--corpus PATH...] [--pubmedqa DIR] [--hoc DIR] [--seed N]",
                "                 [--seeds N] [--pretrain-seeds N] [--folds K] [--config NAME] [--lr LR] [--steps N | --tokens N]",
                "                 [--batch B] [--seq-len T] [--finetune-lr LR] [--allow-test-overlap] [--threads T]",
                "",
                "Trains a BPE tokenizer on the corpus (test documents left out); pre-trains a model dense, 50% and 75% sparse",
                "on the same tokens; fine-tunes each densely with and without a soft prompt on PubMedQA (official folds, epoch",
                "chosen on dev) and HoC (train / dev / test); scores the test sets with 95% bootstrap intervals; and writes",
                "DIR/report.md (tables, SVG charts, a narrative computed from the numbers) and DIR/results.json (every number).",
                "Running again with the same --out continues a killed run: finished stages whose inputs and settings are",
                "unchanged are reused, a killed pre-training resumes from its checkpoint.",
                "",
                "  --out DIR            output directory (default reproduce-out)",
                "  --quick              smaller pre-training and a stratified sample of HoC (SPEC.md section 16)",
                "  --corpus PATH...     pre-training text: .txt, .jsonl, PubMed .xml/.xml.gz, PubMedQA .json, or directories",
                "                       (default corpus-samples/pubmed-sample.txt)",
                "  --pubmedqa DIR       ori_pqal.json + test_ground_truth.json (default corpus-samples/pubmedqa)",
                "  --hoc DIR            BLURB HoC train.tsv, dev.tsv, test.tsv (default corpus-samples/hoc)",
                "  --seed N             the run's seed (default 1234); fine-tuning seed k is N + k, pre-training seed j is N + j",
                "  --seeds N            fine-tuning seeds per row, reported as mean +- std (default 1, 1..20)",
                "  --pretrain-seeds N   pre-training seeds per sparsity (default 1, 1..10)",
                "  --folds K            PubMedQA folds 0..K-1 averaged (default 1: fold 0, 1..10)",
                "  --config NAME        model preset (default " + FULL.config() + "; see `model info`)",
                "  --lr LR              peak pre-training learning rate (default " + num(FULL.lr()) + ")",
                "  --steps N            pre-training steps (default " + FULL.steps() + "; --quick " + QUICK.steps() + "), or --tokens N to set them from a token count",
                "  --batch B            sequences per pre-training step (default " + FULL.batch() + "; --quick " + QUICK.batch() + ")",
                "  --seq-len T          pre-training sequence length (default " + FULL.seqLen() + "; fine-tuning uses 2T, capped by the context)",
                "  --finetune-lr LR     peak fine-tuning learning rate (default " + num(FULL.fineTuneLr()) + ")",
                "  --allow-test-overlap keep corpus documents whose PMID is in an evaluated test set",
                "  --threads T          worker threads (default: all cores)");
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
        boolean overlap = args.flag("allow-test-overlap");
        ReproductionPlan.Overrides o = new ReproductionPlan.Overrides(
                args.has("config") ? args.string("config", null) : null,
                args.has("lr") ? args.number("lr", 0) : null,
                args.has("steps") ? range(args.integer("steps", 0), "--steps", 1, 10_000_000) : null,
                args.has("tokens") ? args.longValue("tokens", 0) : null,
                args.has("batch") ? range(args.integer("batch", 0), "--batch", 1, 4096) : null,
                args.has("seq-len") ? range(args.integer("seq-len", 0), "--seq-len", 1, 1 << 16) : null,
                args.has("finetune-lr") ? args.number("finetune-lr", 0) : null,
                args.has("seeds") ? range(args.integer("seeds", 0), "--seeds", 1, 20) : null,
                args.has("pretrain-seeds") ? range(args.integer("pretrain-seeds", 0), "--pretrain-seeds", 1, 10) : null,
                args.has("folds") ? range(args.integer("folds", 0), "--folds", 1, 10) : null);
        int threads = range(args.integer("threads", Runtime.getRuntime().availableProcessors()), "--threads", 1,
                4 * Runtime.getRuntime().availableProcessors());
        args.finish();
        for (Path p : corpus) {
            if (!Files.exists(p)) throw new InputException(p + ": corpus not found (run from the repository root, or pass --corpus)");
        }
        for (Path p : List.of(pubmedqa, hoc)) {
            if (!Files.isDirectory(p)) throw new InputException(p + ": no such directory (run from the repository root, or pass --pubmedqa/--hoc)");
        }
        Reproduction.Options options;
        try {
            options = new Reproduction.Options(out, quick, corpus, pubmedqa, hoc, seed, overlap, o);
            options.plan();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        Parallel.setThreads(threads);
        Map<String, Object> results = new Reproduction(options, System.err::println).run();
        System.out.println("report: " + out.resolve("report.md") + "   (all numbers: " + out.resolve("results.json") + ")");
        System.err.printf("total wall time %.0f s%n", ((Number) results.get("wall_seconds")).doubleValue());
        return 0;
    }

    private static int range(int v, String name, int lo, int hi) {
        if (v < lo || v > hi) throw new UsageException(name + " must be in [" + lo + ", " + hi + "], got " + v);
        return v;
    }
}
