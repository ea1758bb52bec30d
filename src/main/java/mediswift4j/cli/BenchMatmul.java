package mediswift4j.cli;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import mediswift4j.io.Json;
import mediswift4j.tensor.Matmul;
import mediswift4j.tensor.Parallel;
import mediswift4j.tensor.Simd;
import mediswift4j.util.Rng;

/**
 * `bench matmul --size N [--threads T] [--reps R] [--warmup W] [--trans NN|NT|TN|TT] [--json]`: times the dense
 * kernel C = op(A) op(B) on N x N float32 matrices and reports GFLOP/s = 2 N^3 / median seconds of R
 * individually timed calls (and cpu_gflops_per_core from the CPU time of the computing threads), after W untimed
 * warm-up calls (default: >= 5 calls and >= 2 s, so C2 has compiled the kernel). Warm-up notes go to stderr;
 * the result is one JSON object on stdout (with --json), otherwise one human-readable line. The numpy/OpenBLAS
 * baseline is tools/bench_numpy_matmul.py; tools/bench_matmul_compare.py runs both interleaved and prints the
 * comparison table.
 */
final class BenchMatmul {
    private BenchMatmul() {}

    static int run(Args args) throws Exception {
        int size = args.integer("size", 1024);
        int threads = args.threads(Parallel.threads());
        int reps = args.integer("reps", 7);
        int warmup = args.integer("warmup", -1, 0, 1 << 20);
        String trans = args.string("trans", "NN").toUpperCase();
        boolean json = args.flag("json");
        args.finish();
        if (size < 1) throw new UsageException("--size must be at least 1, got " + size);
        if (threads < 1) throw new UsageException("--threads must be at least 1, got " + threads);
        if (reps < 1) throw new UsageException("--reps must be at least 1, got " + reps);
        if (!trans.matches("[NT][NT]")) throw new UsageException("--trans must be NN, NT, TN or TT, got " + trans);
        boolean transA = trans.charAt(0) == 'T', transB = trans.charAt(1) == 'T';
        Parallel.setThreads(threads);

        int n = size;
        float[] a = randomMatrix(n * n, 1), b = randomMatrix(n * n, 2), c = new float[n * n];
        double flops = 2.0 * n * n * n;
        // Warm-up: until ~2 s of kernel time (at least 5 calls), so that tiny sizes also reach C2's compiled code.
        int calls = 0;
        long warmStart = System.nanoTime();
        while (warmup >= 0 ? calls < warmup : (calls < 5 || System.nanoTime() - warmStart < 2_000_000_000L)) {
            Matmul.matmul(a, 0, transA, b, 0, transB, c, 0, n, n, n, false);
            calls++;
        }
        System.err.printf("bench matmul: size %d, threads %d, %s: %d warm-up calls in %.2f s, timing %d reps%n",
                n, threads, trans, calls, (System.nanoTime() - warmStart) / 1e9, reps);

        // Each rep times one call, as tools/bench_numpy_matmul.py does, so both sides see the same noise on a
        // shared machine (a long timed window is more likely to include a preemption than a short one).
        List<Double> seconds = new ArrayList<>();
        long cpu0 = kernelCpuNanos();
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            Matmul.matmul(a, 0, transA, b, 0, transB, c, 0, n, n, n, false);
            seconds.add((System.nanoTime() - t0) / 1e9);
        }
        double cpuSeconds = (kernelCpuNanos() - cpu0) / 1e9;
        List<Double> sorted = new ArrayList<>(seconds);
        Collections.sort(sorted);
        double median = sorted.get(sorted.size() / 2);

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("bench", "matmul");
        out.put("size", n);
        out.put("threads", threads);
        out.put("trans", trans);
        out.put("gflops", Math.round(flops / median / 1e9 * 100) / 100.0);
        out.put("seconds", median);
        out.put("min_seconds", sorted.get(0));
        // CPU time is not inflated by waiting for a core on a busy machine: GFLOP/s per core actually used
        out.put("cpu_gflops_per_core", Math.round(flops * reps / cpuSeconds / 1e9 * 100) / 100.0);
        out.put("reps", reps);
        out.put("kernel", Simd.kernelName());
        out.put("java", System.getProperty("java.vm.version"));
        if (json) {
            System.out.println(Json.write(out));
        } else {
            System.out.printf("matmul %dx%dx%d %s threads=%d: %.2f GFLOP/s (median %.6f s over %d reps)%n",
                    n, n, n, trans, threads, flops / median / 1e9, median, reps);
        }
        return 0;
    }

    /** CPU time of this thread plus the kernel's worker threads (nanosecond resolution, unlike process time). */
    private static long kernelCpuNanos() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long sum = mx.getCurrentThreadCpuTime();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("mediswift4j-worker")) sum += Math.max(0, mx.getThreadCpuTime(t.getId()));
        }
        return sum;
    }

    /** Uniform values in [-1, 1) from the project's generator (SplitMix64), reproducible by seed. */
    private static float[] randomMatrix(int count, long seed) {
        Rng rng = new Rng(seed);
        float[] x = new float[count];
        for (int i = 0; i < count; i++) x[i] = (float) (2 * rng.nextDouble() - 1);
        return x;
    }
}
