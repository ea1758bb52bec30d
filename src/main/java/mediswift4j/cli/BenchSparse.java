package mediswift4j.cli;

import java.util.List;

import mediswift4j.bench.SparseLayerTiming;
import mediswift4j.io.Json;
import mediswift4j.sparse.KernelCalibration;
import mediswift4j.tensor.Parallel;
import mediswift4j.tensor.Simd;

/**
 * `bench sparse --shape OUTxIN --tokens N --sparsity 0,0.5,0.75,0.9 [--threads T] [--reps R] [--dw auto|sparse|dense]
 * [--json]`: parses, runs bench/SparseLayerTiming (which says what is timed and how), prints a line per sparsity
 * and the dense figure, or one JSON object.
 */
final class BenchSparse {
    private BenchSparse() {}

    static int run(Args args) {
        String shape = args.string("shape", "768x3072");
        int n = args.integer("tokens", 1024);
        List<Double> sparsities = args.has("sparsity") ? args.numbers("sparsity") : List.of(0.0, 0.5, 0.75, 0.9);
        int threads = args.threads(Parallel.threads());
        int reps = args.integer("reps", 5);
        long seed = args.longValue("seed", 1234);
        String dwMode = args.string("dw", "auto");
        boolean json = args.flag("json");
        args.finish();
        if (!dwMode.matches("auto|sparse|dense")) throw new UsageException("--dw must be auto, sparse or dense, got '" + dwMode + "'");
        int[] outIn = parseShape(shape);
        if (n < 1) throw new UsageException("--tokens must be at least 1, got " + n);
        if (threads < 1) throw new UsageException("--threads must be at least 1, got " + threads);
        if (reps < 1) throw new UsageException("--reps must be at least 1, got " + reps);
        for (double s : sparsities) if (!(s >= 0 && s < 1)) throw new UsageException("--sparsity values must be in [0, 1), got " + s);
        Parallel.setThreads(threads);

        System.err.printf("bench sparse: %dx%d over %d tokens, threads %d, reps %d, kernels %s%n", outIn[0], outIn[1], n,
                threads, reps, Simd.describe());
        var options = new SparseLayerTiming.Options(outIn[0], outIn[1], n, sparsities, reps, seed, dwMode);
        SparseLayerTiming.Result r = SparseLayerTiming.measure(options, threads, System.err::println);
        if (json) {
            System.out.println(Json.write(r.json()));
            return 0;
        }
        for (SparseLayerTiming.Row row : r.rows()) {
            var sp = row.sparse();
            var de = row.dense();
            System.out.printf("sparsity %.2f: sparse fwd %.4f dx %.4f dW %.4f total %.4f s | dense fwd %.4f dx %.4f dW %.4f total %.4f s"
                            + " | speedup %.2fx (cpu time %.2fx)  max rel diff %.1e%n",
                    row.sparsity(), sp.forward(), sp.backwardInput(), sp.backwardWeight(), sp.total(),
                    de.forward(), de.backwardInput(), de.backwardWeight(), de.total(),
                    row.speedup(), row.speedupCpu(), row.maxRelDiffForward());
        }
        System.out.printf("dense %dx%d, %d tokens, threads %d: total %.4f s (%.1f GFLOP/s)%n",
                outIn[0], outIn[1], n, threads, r.denseAll().total(), r.denseGflops());
        for (KernelCalibration.Choice c : r.autoChoices()) System.out.println("auto on this machine, " + Simd.describe() + ": " + c.describe());
        return 0;
    }

    /** "OUTxIN" -> {out, in}, each at least 1 and at most 2^28 weights in all. */
    private static int[] parseShape(String shape) {
        int[] outIn = Args.dimensions("shape", shape, 2, "OUTxIN", "768x3072");
        int out = outIn[0], in = outIn[1];
        if (out < 1 || in < 1 || (long) out * in > 1L << 28) throw new UsageException("--shape sizes must be in 1 .. 2^28 weights, got " + shape);
        return outIn;
    }
}
