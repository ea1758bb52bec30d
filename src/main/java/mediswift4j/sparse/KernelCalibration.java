package mediswift4j.sparse;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import mediswift4j.io.AtomicFiles;
import mediswift4j.nn.Masks;
import mediswift4j.tensor.Matmul;
import mediswift4j.tensor.Parallel;
import mediswift4j.tensor.Simd;
import mediswift4j.util.Rng;

/**
 * The AUTO kernel choice, measured on this machine: for a masked layer of shape OUT x IN at a given sparsity, times
 * one forward + backward (y, dx, dW) of the dense Matmul on W * M against the compressed kernels on 512 synthetic
 * tokens, and keeps the fixed rule (compressed from CompressedKernel.SPARSE_PAYS_FROM) unless the other path is
 * more than {@link #MARGIN} times faster ({@link #decide}). Which path wins depends on the CPU's vector width and cores (AVX-512 and AVX2 put
 * the break-even at different sparsities), so a constant threshold from one CPU would pick the slower path on another.
 *
 * Cost and cache: a layer shape takes about half a second to measure (rounds of both paths, interleaved, until at
 * least 7 rounds and 0.3 s; the minimum CPU time, of this thread and the kernels' workers, after 2 warm-up rounds
 * counts). Results are kept in DIR/kernel-choice.tsv, one line per key (JVM
 * version, CPU architecture, vector width, thread count, shape, sparsity to 3 decimals), so a machine measures a
 * shape once; DIR is the system property mediswift4j.cache.dir, else $XDG_CACHE_HOME/mediswift4j, else
 * ~/.cache/mediswift4j. An unwritable cache only means measuring again.
 *
 * Below {@link #MEASURED_FROM} (0.5) a layer runs dense without measuring: the compressed kernels do an indexed load
 * per multiply-add and have never won there. With -Dmediswift4j.kernel.calibrate=false the choice is the fixed
 * threshold CompressedKernel.SPARSE_PAYS_FROM instead (what the unit tests use, so they never depend on timing).
 *
 * The choice changes float rounding (dense and compressed sum in different orders, SPEC.md section 15), so a
 * sparse run's result depends on it: the run prints it, and `--kernel` in bench (or the property) pins it.
 */
public final class KernelCalibration {
    private KernelCalibration() {}

    /** How much faster the other path must measure to override the fixed rule. */
    public static final double MARGIN = 1.15;
    /** Sparsity below which AUTO runs dense without measuring. */
    public static final double MEASURED_FROM = 0.5;
    /** Tokens of the measured forward and backward. */
    static final int TOKENS = 512;
    private static final String FILE = "kernel-choice.tsv";

    /** One decision: the measured seconds (NaN when not measured) and whether it came from the cache. */
    public record Choice(int out, int in, double sparsity, boolean compressed, double denseSeconds,
                         double compressedSeconds, String how) {
        /** "768x3072 at 0.750: compressed (dense 4.1 ms, compressed 2.3 ms, measured)". */
        public String describe() {
            String times = Double.isNaN(denseSeconds) ? "" : String.format(Locale.ROOT, "dense %.2f ms, compressed %.2f ms, ",
                    denseSeconds * 1e3, compressedSeconds * 1e3);
            return String.format(Locale.ROOT, "%dx%d at %.3f: %s (%s%s)", out, in, sparsity,
                    compressed ? "compressed" : "dense", times, how);
        }
    }

    private static final Map<String, Choice> MADE = new LinkedHashMap<>();

    /** True when AUTO measures (the default); false with -Dmediswift4j.kernel.calibrate=false. */
    public static boolean enabled() {
        return !"false".equals(System.getProperty("mediswift4j.kernel.calibrate"));
    }

    /** The choice for a layer, measured or cached (at most once per key in this JVM). */
    public static synchronized Choice choose(int out, int in, double sparsity) {
        String key = key(out, in, sparsity);
        Choice c = MADE.get(key);
        if (c != null) return c;
        if (!enabled()) {
            c = new Choice(out, in, sparsity, CompressedKernel.pays(sparsity), Double.NaN, Double.NaN,
                    "fixed threshold " + CompressedKernel.SPARSE_PAYS_FROM);
        } else if (sparsity < MEASURED_FROM) {
            c = new Choice(out, in, sparsity, false, Double.NaN, Double.NaN, "below " + MEASURED_FROM + ", not measured");
        } else {
            c = cached(cacheDir(), key, out, in, sparsity);
            if (c == null) {
                c = measure(out, in, sparsity);
                store(cacheDir(), key, c);
            }
        }
        MADE.put(key, c);
        return c;
    }

    /** Every choice made in this JVM, in order (for the command line to print). */
    public static synchronized List<Choice> made() {
        return new ArrayList<>(MADE.values());
    }

    static String key(int out, int in, double sparsity) {
        return String.join("|", System.getProperty("java.vm.version", "?"), System.getProperty("os.arch", "?"),
                Simd.describe(), "threads " + Parallel.threads(), out + "x" + in,
                String.format(Locale.ROOT, "%.3f", sparsity), "tokens " + TOKENS);
    }

    /** Times both paths on synthetic data; the minimum of the timed rounds counts. */
    static Choice measure(int out, int in, double sparsity) {
        Workload work = workload(out, in, sparsity);
        Runnable dense = work.dense(), compressed = work.compressed();
        // At least 7 rounds and 0.3 s (at most 60 rounds): small shapes get enough rounds for the JIT to compile
        // both paths before the minimum is taken. CPU time of this thread and the kernels' workers, not wall time:
        // on a loaded machine wall time swung 2-3x between runs (docs/MEASUREMENTS.md), CPU time much less.
        dense.run(); // starts the worker threads, so that they can be found
        long[] workers = workerIds();
        double bestDense = Double.MAX_VALUE, bestCompressed = Double.MAX_VALUE, spent = 0;
        for (int round = 0; round < 60 && (round < 7 || spent < 0.3); round++) {
            long w0 = System.nanoTime();
            double d = cpuSeconds(dense, workers), s = cpuSeconds(compressed, workers);
            spent += (System.nanoTime() - w0) / 1e9;
            if (round >= 2) {
                bestDense = Math.min(bestDense, d);
                bestCompressed = Math.min(bestCompressed, s);
            }
        }
        return new Choice(out, in, sparsity, decide(sparsity, bestDense, bestCompressed), bestDense, bestCompressed, "measured");
    }

    /**
     * What is timed for one layer shape: the same masked layer (TOKENS tokens of synthetic data), forward and
     * backward, once by dense products on the masked weights (no bias) and once by the compressed kernels (with
     * the bias), each writing its own outputs: y, dx and dW (dense dW masked afterwards, as MaskedLinear does).
     * Both paths accumulate dx and dW, so the outputs are those of the runs so far; after one run of each they
     * agree up to rounding (KernelCalibrationTest), which is what makes the timing a fair comparison.
     */
    record Workload(Runnable dense, Runnable compressed, float[] bias, float[][] denseOutputs, float[][] compressedOutputs) {}

    static Workload workload(int out, int in, double sparsity) {
        Rng rng = new Rng(out * 31L + in);
        float[] x = random(rng, TOKENS * in), w = random(rng, out * in), b = random(rng, out), dy = random(rng, TOKENS * out);
        byte[] keep = Masks.random(7, "calibration", out * in, sparsity);
        float[] wm = w.clone();
        Masks.apply(wm, keep);
        CompressedKernel.Compressed c = new CompressedKernel.Compressed(keep, out, in);
        c.refresh(w);
        float[] y = new float[TOKENS * out], dx = new float[TOKENS * in], dW = new float[out * in];
        float[] yc = new float[TOKENS * out], dxc = new float[TOKENS * in], dWc = new float[out * in], db = new float[out];
        Runnable dense = () -> {
            Matmul.matmul(x, 0, false, wm, 0, true, y, 0, TOKENS, in, out, false);
            Matmul.matmul(dy, 0, false, wm, 0, false, dx, 0, TOKENS, out, in, true);
            Matmul.matmul(dy, 0, true, x, 0, false, dW, 0, out, TOKENS, in, true);
            Masks.apply(dW, keep);
        };
        Runnable compressed = () -> c.backward(c.forward(x, TOKENS, b, yc), x, dy, dxc, dWc, db);
        return new Workload(dense, compressed, b, new float[][] {y, dx, dW}, new float[][] {yc, dxc, dWc});
    }

    /**
     * The fixed rule (CompressedKernel.pays), unless the other path measured more than {@link #MARGIN} times faster.
     * Near break-even the measurement is noise (a shared machine gave 7.0 against 7.3 ms one run and the reverse the
     * next), and a choice that flips with noise would make the same run's bits differ between machines and runs;
     * a clear loss (the plain-Java compressed kernels at half the dense speed, or compressed kernels on a CPU where
     * they lose) is what the measurement is for.
     */
    static boolean decide(double sparsity, double denseSeconds, double compressedSeconds) {
        boolean rule = CompressedKernel.pays(sparsity);
        return rule ? !(denseSeconds * MARGIN < compressedSeconds) : compressedSeconds * MARGIN < denseSeconds;
    }

    /** CPU seconds of r on this thread and the given worker threads. */
    private static double cpuSeconds(Runnable r, long[] workers) {
        long t0 = cpuNanos(workers);
        r.run();
        return (cpuNanos(workers) - t0) / 1e9;
    }

    private static long cpuNanos(long[] workers) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long sum = mx.getCurrentThreadCpuTime();
        for (long id : workers) sum += Math.max(0, mx.getThreadCpuTime(id));
        return sum;
    }

    /** The ids of tensor/Parallel's worker threads (named "mediswift4j-worker"). */
    private static long[] workerIds() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("mediswift4j-worker"))
                .mapToLong(Thread::getId).toArray();
    }

    private static float[] random(Rng rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (2 * rng.nextDouble() - 1);
        return a;
    }

    /** The cache directory (see the class comment); null when no home is known. */
    static Path cacheDir() {
        String dir = System.getProperty("mediswift4j.cache.dir");
        if (dir != null) return Path.of(dir);
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isEmpty()) return Path.of(xdg, "mediswift4j");
        String home = System.getProperty("user.home");
        return home == null ? null : Path.of(home, ".cache", "mediswift4j");
    }

    /** The cached choice for key in dir, or null (no file, no line, or a line that does not parse). */
    static Choice cached(Path dir, String key, int out, int in, double sparsity) {
        if (dir == null) return null;
        try {
            for (String line : Files.readAllLines(dir.resolve(FILE), StandardCharsets.UTF_8)) {
                String[] f = line.split("\t");
                if (f.length == 4 && f[0].equals(key)) {
                    return new Choice(out, in, sparsity, f[1].equals("compressed"), Double.parseDouble(f[2]),
                            Double.parseDouble(f[3]), "cached in " + dir.resolve(FILE));
                }
            }
        } catch (IOException | RuntimeException e) {
            return null; // no cache yet, or unreadable: measure
        }
        return null;
    }

    /** Adds (or replaces) key's line in dir's cache file, atomically; failures are ignored (see the class comment). */
    static void store(Path dir, String key, Choice c) {
        if (dir == null) return;
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve(FILE);
            StringBuilder text = new StringBuilder();
            if (Files.exists(file)) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (!line.startsWith(key + "\t")) text.append(line).append('\n');
                }
            }
            text.append(key).append('\t').append(c.compressed() ? "compressed" : "dense").append('\t')
                    .append(c.denseSeconds()).append('\t').append(c.compressedSeconds()).append('\n');
            AtomicFiles.writeString(file, text.toString());
        } catch (IOException | RuntimeException e) {
            // an unwritable cache costs a measurement next time, nothing else
        }
    }
}
