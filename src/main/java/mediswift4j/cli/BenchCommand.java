package mediswift4j.cli;

/**
 * `bench KIND ...`: whole-program speed measurements printed as JSON. Each kind lives in its own class
 * (BenchMatmul, BenchSparse, BenchTrain, BenchTokenizer). Micro-benchmarks of single kernels are JMH classes under
 * src/test/java; this command measures what a user sees.
 */
final class BenchCommand implements Command {
    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "measure speed: matmul, sparse layers, training, tokenizer";
    }

    @Override
    public String help() {
        return String.join("\n",
                "usage: bench matmul (--size N | --shape MxKxN) [--threads T] [--reps R] [--warmup W] [--trans NN|NT|TN|TT] [--json]",
                "       bench sparse --shape OUTxIN --tokens N --sparsity 0,0.5,0.75,0.9 [--threads T] [--reps R] [--dw auto|sparse|dense] [--json]",
                "       bench train (--config NAME | --layers L --d-model D --heads H --seq-len T --batch B --vocab V)",
                "                   --sparsity S [--threads T] [--steps N] [--kernel dense|sparse|auto] [--json]",
                "       bench tokenizer --tokenizer DIR --input FILE [--threads T] [--json]");
    }

    @Override
    public int run(Args args) throws Exception {
        String kind = args.positional(0, "bench kind (matmul, sparse, train, tokenizer)");
        switch (kind) {
            case "matmul": return BenchMatmul.run(args);
            case "sparse": return BenchSparse.run(args);
            case "train": return BenchTrain.run(args);
            case "tokenizer": return BenchTokenizer.run(args);
            default: throw new UsageException("unknown bench kind '" + kind + "'");
        }
    }
}
