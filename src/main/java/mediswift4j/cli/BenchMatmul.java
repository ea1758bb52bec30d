package mediswift4j.cli;

import mediswift4j.bench.MatmulThroughput;
import mediswift4j.io.Json;
import mediswift4j.tensor.Parallel;
import mediswift4j.tensor.Simd;

/**
 * `bench matmul (--size N | --shape MxKxN) [--threads T] [--reps R] [--warmup W] [--trans NN|NT|TN|TT] [--json]`: parses, runs
 * bench/MatmulThroughput (which says what is timed and how), prints one line or one JSON object.
 */
final class BenchMatmul {
    private BenchMatmul() {}

    static int run(Args args) {
        int size = args.integer("size", 1024);
        String shape = args.string("shape", null);
        int threads = args.threads(Parallel.threads());
        int reps = args.integer("reps", 7);
        int warmup = args.integer("warmup", -1, 0, 1 << 20);
        String trans = args.string("trans", "NN").toUpperCase();
        boolean json = args.flag("json");
        args.finish();
        if (size < 1) throw new UsageException("--size must be at least 1, got " + size);
        int[] mkn = shape == null ? new int[] {size, size, size} : parseShape(shape);
        if (threads < 1) throw new UsageException("--threads must be at least 1, got " + threads);
        if (reps < 1) throw new UsageException("--reps must be at least 1, got " + reps);
        if (!trans.matches("[NT][NT]")) throw new UsageException("--trans must be NN, NT, TN or TT, got " + trans);
        Parallel.setThreads(threads);

        var options = new MatmulThroughput.Options(mkn[0], mkn[1], mkn[2], trans.charAt(0) == 'T', trans.charAt(1) == 'T', reps, warmup);
        MatmulThroughput.Result r = MatmulThroughput.measure(options, threads, System.err::println);
        if (json) {
            System.out.println(Json.write(r.json()));
        } else {
            System.out.printf("matmul %dx%dx%d %s threads=%d: %.2f GFLOP/s (median %.6f s over %d reps), %s%n",
                    mkn[0], mkn[1], mkn[2], trans, threads, r.gflops(), r.medianSeconds(), reps, Simd.describe());
        }
        return 0;
    }

    /** "MxKxN": C is M x N, the product's depth K; each at least 1 and the matrices within an int array. */
    private static int[] parseShape(String shape) {
        int[] v = Args.dimensions("shape", shape, 3, "MxKxN", "1024x256x768");
        if (v[0] < 1 || v[1] < 1 || v[2] < 1) throw new UsageException("--shape dimensions must be at least 1, got " + shape);
        if ((long) v[0] * v[1] > Integer.MAX_VALUE - 8 || (long) v[1] * v[2] > Integer.MAX_VALUE - 8
                || (long) v[0] * v[2] > Integer.MAX_VALUE - 8) {
            throw new UsageException("--shape " + shape + " needs a matrix of more than 2^31 floats");
        }
        return v;
    }
}
