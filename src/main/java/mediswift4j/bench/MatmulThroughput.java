package mediswift4j.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import mediswift4j.tensor.Matmul;
import mediswift4j.tensor.Simd;
import mediswift4j.util.Rng;

/**
 * GFLOP/s of the dense kernel C = op(A) op(B), op(A) M x K and op(B) K x N in float32 (what `bench matmul` prints;
 * square by default, or any shape, e.g. a layer's in training): 2 M K N / median seconds of individually timed
 * calls, after warm-up calls that give C2 time to compile the kernel (by default at least 5 calls and 2 s). Each
 * rep times one call, as tools/bench_numpy_matmul.py does, so both sides of a comparison see the same noise on a
 * shared machine. The numpy/OpenBLAS baseline is tools/bench_numpy_matmul.py (`--shapes` for other shapes);
 * tools/bench_matmul_compare.py runs both interleaved.
 */
public final class MatmulThroughput {
    private MatmulThroughput() {}

    /** One measurement of C (m x n) = op(A) (m x k) op(B) (k x n); warmupCalls < 0 means "until >= 5 calls and >= 2 s". */
    public record Options(int m, int k, int n, boolean transA, boolean transB, int reps, int warmupCalls) {
        /** The square case, N x N times N x N. */
        public Options(int size, boolean transA, boolean transB, int reps, int warmupCalls) {
            this(size, size, size, transA, transB, reps, warmupCalls);
        }

        boolean square() {
            return m == k && k == n;
        }
    }

    public record Result(Options options, int threads, int warmupCallsMade, double medianSeconds, double minSeconds,
                         double cpuSeconds) {
        public double gflops() {
            return flops() / medianSeconds / 1e9;
        }

        /** GFLOP/s per core actually used: not inflated by waiting for a core on a busy machine. */
        public double cpuGflopsPerCore() {
            return flops() * options.reps() / cpuSeconds / 1e9;
        }

        double flops() {
            return 2.0 * options.m() * options.k() * options.n();
        }

        /** The JSON object `bench matmul --json` prints. */
        public Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("bench", "matmul");
            if (options.square()) {
                m.put("size", options.m());
            } else {
                m.put("shape", options.m() + "x" + options.k() + "x" + options.n());
            }
            m.put("threads", threads);
            m.put("trans", (options.transA() ? "T" : "N") + (options.transB() ? "T" : "N"));
            m.put("gflops", Clock.round2(gflops()));
            m.put("seconds", medianSeconds);
            m.put("min_seconds", minSeconds);
            m.put("cpu_gflops_per_core", Clock.round2(cpuGflopsPerCore()));
            m.put("reps", options.reps());
            m.put("kernel", Simd.kernelName());
            m.put("float_lanes", (long) Simd.floatLanes());
            m.put("java", System.getProperty("java.vm.version"));
            return m;
        }
    }

    /** Runs the measurement on the current thread count (tensor/Parallel); notes about warm-up go to progress. */
    public static Result measure(Options o, int threads, Consumer<String> progress) {
        int m = o.m(), k = o.k(), n = o.n();
        float[] a = uniform(m * k, 1), b = uniform(k * n, 2), c = new float[m * n];
        int calls = 0;
        long warmStart = System.nanoTime();
        while (o.warmupCalls() >= 0 ? calls < o.warmupCalls() : (calls < 5 || System.nanoTime() - warmStart < 2_000_000_000L)) {
            Matmul.matmul(a, 0, o.transA(), b, 0, o.transB(), c, 0, m, k, n, false);
            calls++;
        }
        progress.accept(String.format("bench matmul: %dx%dx%d, threads %d: %d warm-up calls in %.2f s, timing %d reps",
                m, k, n, threads, calls, Clock.secondsSince(warmStart), o.reps()));
        List<Double> seconds = new ArrayList<>();
        long cpu0 = Clock.kernelCpuNanos();
        for (int r = 0; r < o.reps(); r++) {
            long t0 = System.nanoTime();
            Matmul.matmul(a, 0, o.transA(), b, 0, o.transB(), c, 0, m, k, n, false);
            seconds.add(Clock.secondsSince(t0));
        }
        double cpuSeconds = (Clock.kernelCpuNanos() - cpu0) / 1e9;
        return new Result(o, threads, calls, Clock.median(seconds), Collections.min(seconds), cpuSeconds);
    }

    /** Uniform values in [-1, 1) from the project's generator, reproducible by seed. */
    static float[] uniform(int count, long seed) {
        return uniform(new Rng(seed), count);
    }

    static float[] uniform(Rng rng, int count) {
        float[] x = new float[count];
        for (int i = 0; i < count; i++) x[i] = (float) (2 * rng.nextDouble() - 1);
        return x;
    }
}
