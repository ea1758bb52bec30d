package mediswift4j.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import mediswift4j.io.Json;
import mediswift4j.nn.Masks;
import mediswift4j.sparse.CompressedKernel;
import mediswift4j.sparse.SparseLinearKernel;
import mediswift4j.tensor.Matmul;
import mediswift4j.tensor.Parallel;
import mediswift4j.tensor.Simd;
import mediswift4j.util.Rng;

/**
 * `bench sparse --shape OUTxIN --tokens N --sparsity 0,0.5,0.75,0.9 [--threads T] [--reps R] [--dw auto|sparse|dense] [--json]`: one linear
 * layer y = x W^T + b over N tokens, forward + backward (dx, dW, db), timed two ways:
 *
 *   dense   the three tensor/Matmul calls autograd's MatmulOps.linear makes (y = x W^T, dx += dy W, dW += dy^T x)
 *   sparse  SparseLinearKernel's rows-layout entry points at each sparsity (Vector API kernels when the module is
 *           loaded), including the transposes into and out of the kernels' layout; the
 *           weight gradient compressed or dense-then-masked (--dw auto: by SPARSE_DW_PAYS_FROM; sparse; dense)
 *
 * Times are given per phase (forward; input gradient; weight and bias gradient) and in total. Each figure is
 * the median of R timed repetitions after warm-up; dense and sparse alternate within each
 * repetition so both see the same machine load, and process CPU time is reported next to wall time (on a shared
 * machine wall time is noisy). Also reports the largest relative difference
 * between the sparse forward and the dense forward on the masked weights, and the smallest measured sparsity at
 * which the sparse path wins. The PyTorch/OpenBLAS baseline for the same shapes is tools/bench_torch_linear.py.
 */
final class BenchSparse {
    private BenchSparse() {}

    static int run(Args args) throws Exception {
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
        String[] parts = shape.toLowerCase().split("x");
        int out, in;
        try {
            if (parts.length != 2) throw new NumberFormatException();
            out = Integer.parseInt(parts[0]);
            in = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new UsageException("--shape expects OUTxIN, e.g. 768x3072, got '" + shape + "'");
        }
        if (out < 1 || in < 1 || (long) out * in > 1L << 28) throw new UsageException("--shape sizes must be in 1 .. 2^28 weights, got " + shape);
        if (n < 1) throw new UsageException("--tokens must be at least 1, got " + n);
        if (threads < 1) throw new UsageException("--threads must be at least 1, got " + threads);
        if (reps < 1) throw new UsageException("--reps must be at least 1, got " + reps);
        for (double s : sparsities) if (!(s >= 0 && s < 1)) throw new UsageException("--sparsity values must be in [0, 1), got " + s);
        Parallel.setThreads(threads);

        Rng rng = new Rng(seed);
        float[] x = uniform(rng, n * in), w = uniform(rng, out * in), bias = uniform(rng, out), dy = uniform(rng, n * out);
        float[] y = new float[n * out], dx = new float[n * in], dW = new float[out * in], db = new float[out];

        // Dense: exactly the calls of MatmulOps.linear, forward and backward.
        Runnable[] densePhases = {
            () -> {
                Matmul.matmul(x, 0, false, w, 0, true, y, 0, n, in, out, false);
                for (int t = 0; t < n; t++) for (int i = 0; i < out; i++) y[t * out + i] += bias[i];
            },
            () -> Matmul.matmul(dy, 0, false, w, 0, false, dx, 0, n, out, in, true),
            () -> {
                Matmul.matmul(dy, 0, true, x, 0, false, dW, 0, out, n, in, true);
                for (int t = 0; t < n; t++) for (int i = 0; i < out; i++) db[i] += dy[t * out + i];
            },
        };
        System.err.printf("bench sparse: %dx%d over %d tokens, threads %d, reps %d, kernels %s%n", out, in, n, threads, reps,
                Simd.kernelName());
        double denseFlops = 3 * 2.0 * n * out * in;
        Timing denseAll = new Timing();
        List<Object> rows = new ArrayList<>();
        Double firstWin = null;
        for (double s : sparsities) {
            byte[] mask = Masks.random(seed, "bench.sparse", out * in, s);
            SparseLinearKernel k = SparseLinearKernel.build(mask, out, in, w);
            boolean sparseDw = dwMode.equals("sparse") || (dwMode.equals("auto") && CompressedKernel.weightGradientPays(s));
            float[] dwVal = new float[k.nnz];
            // The rows-layout entry points the model's layers use (Vector API kernels on packed activations when
            // the module is loaded, else the plain kernels on token blocks): every transpose into and out of the
            // kernels' layout is charged to the phase that needs it; the dW phase re-packs dy (a model layer does
            // its backward in one call and packs dy once) but not x.
            // With the Vector API kernels the forward packs x into a buffer the layer keeps, and the weight gradient
            // reuses it, as CompressedKernel does in a model.
            float[][] packedX = {null};
            Runnable[] sparsePhases = {
                () -> {
                    if (SparseLinearKernel.SIMD) {
                        packedX[0] = k.packInput(x, n, packedX[0]);
                        k.forwardPacked(packedX[0], n, bias, y);
                    } else {
                        k.forwardRows(x, n, bias, y);
                    }
                },
                () -> k.backwardRows(x, dy, n, dx, null, null),
                () -> {
                    if (sparseDw) {
                        k.backwardRows(x, SparseLinearKernel.SIMD ? packedX[0] : null, dy, n, null, dwVal, db);
                        k.scatterAdd(dwVal, dW);
                    } else {
                        Matmul.matmul(dy, 0, true, x, 0, false, dW, 0, out, n, in, true);
                        Masks.apply(dW, mask);
                        k.backwardRows(x, dy, n, null, null, db);
                    }
                },
            };
            System.err.printf("bench sparse: sparsity %.3f (nnz %d, dW %s) ...%n", s, k.nnz, sparseDw ? "sparse" : "dense");
            // Dense and sparse alternate rep by rep, so both see the same load on a shared machine.
            Timing[] t = time(new Runnable[][] {densePhases, sparsePhases}, reps);
            Timing dense = t[0], sparse = t[1];
            denseAll.addAll(dense);
            double relDiff = forwardDifference(k, x, w, mask, bias, n, in, out);
            double speedup = median(dense.total) / median(sparse.total);
            if (speedup > 1 && firstWin == null) firstWin = s;
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("sparsity", s);
            row.put("nnz", k.nnz);
            row.put("dw_path", sparseDw ? "sparse" : "dense");
            row.putAll(sparse.summary(""));
            row.putAll(dense.summary("dense_"));
            row.put("speedup", Math.round(speedup * 100) / 100.0);
            double cpuRatio = median(dense.cpu) / median(sparse.cpu);
            row.put("speedup_cpu", Double.isFinite(cpuRatio) && cpuRatio > 0 ? Math.round(cpuRatio * 100) / 100.0 : null);
            row.put("effective_gflops", Math.round(3 * 2.0 * n * k.nnz / median(sparse.total) / 1e7) / 100.0);
            row.put("max_rel_diff_forward", relDiff);
            rows.add(row);
            if (!json) {
                System.out.printf("sparsity %.2f: sparse fwd %.4f dx %.4f dW %.4f total %.4f s | dense fwd %.4f dx %.4f dW %.4f total %.4f s"
                                + " | speedup %.2fx (cpu time %.2fx)  max rel diff %.1e%n",
                        s, median(sparse.phase[0]), median(sparse.phase[1]), median(sparse.phase[2]), median(sparse.total),
                        median(dense.phase[0]), median(dense.phase[1]), median(dense.phase[2]), median(dense.total),
                        speedup, median(dense.cpu) / median(sparse.cpu), relDiff);
            }
        }

        Map<String, Object> res = new LinkedHashMap<>();
        res.put("bench", "sparse");
        res.put("out", out);
        res.put("in", in);
        res.put("tokens", n);
        res.put("threads", threads);
        res.put("reps", reps);
        Map<String, Object> d = denseAll.summary("");
        d.put("gflops", Math.round(denseFlops / median(denseAll.total) / 1e7) / 100.0);
        res.put("dense", d);
        res.put("sparse", rows);
        res.put("first_winning_sparsity", firstWin);
        res.put("threshold_in_code", CompressedKernel.SPARSE_PAYS_FROM);
        res.put("java", System.getProperty("java.vm.version"));
        res.put("kernels", Simd.kernelName());
        if (json) {
            System.out.println(Json.write(res));
        } else {
            System.out.printf("dense %dx%d, %d tokens, threads %d: total %.4f s (%.1f GFLOP/s)%n",
                    out, in, n, threads, median(denseAll.total), denseFlops / median(denseAll.total) / 1e9);
        }
        return 0;
    }

    /** Wall seconds per rep of each phase (forward, input gradient, weight + bias gradient) and of all, and CPU seconds. */
    private static final class Timing {
        final List<Double>[] phase = newLists(3);
        final List<Double> total = new ArrayList<>(), cpu = new ArrayList<>();

        @SuppressWarnings("unchecked")
        private static List<Double>[] newLists(int k) {
            List<Double>[] l = new List[k];
            for (int i = 0; i < k; i++) l[i] = new ArrayList<>();
            return l;
        }

        void addAll(Timing o) {
            for (int i = 0; i < phase.length; i++) phase[i].addAll(o.phase[i]);
            total.addAll(o.total);
            cpu.addAll(o.cpu);
        }

        Map<String, Object> summary(String prefix) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put(prefix + "forward_s", median(phase[0]));
            m.put(prefix + "backward_input_s", median(phase[1]));
            m.put(prefix + "backward_weight_s", median(phase[2]));
            m.put(prefix + "total_s", median(total));
            m.put(prefix + "cpu_s", median(cpu));
            return m;
        }
    }

    /** Times each variant's phases in order, alternating variants within every rep, after warm-up. */
    private static Timing[] time(Runnable[][] variants, int reps) {
        long warmStart = System.nanoTime();
        for (int c = 0; c < 2 || (c < 20000 && System.nanoTime() - warmStart < 2_000_000_000L); c++) {
            for (Runnable[] v : variants) for (Runnable phase : v) phase.run();
        }
        Timing[] out = new Timing[variants.length];
        for (int v = 0; v < out.length; v++) out[v] = new Timing();
        for (int r = 0; r < reps; r++) {
            for (int v = 0; v < variants.length; v++) {
                long c0 = processCpuNanos();
                long start = System.nanoTime(), t0 = start;
                for (int ph = 0; ph < variants[v].length; ph++) {
                    variants[v][ph].run();
                    long t1 = System.nanoTime();
                    out[v].phase[ph].add((t1 - t0) / 1e9);
                    t0 = t1;
                }
                long c1 = processCpuNanos();
                out[v].total.add((t0 - start) / 1e9);
                out[v].cpu.add(c0 < 0 ? Double.NaN : (c1 - c0) / 1e9);
            }
        }
        return out;
    }

    /** CPU time of this process (all threads), or -1 when the JVM does not expose it. */
    private static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean) {
            return ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime();
        }
        return -1;
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }

    /** max |y_sparse - y_dense| / max |y_dense|, with y_dense from Matmul on the masked weights. */
    private static double forwardDifference(SparseLinearKernel k, float[] x, float[] w, byte[] mask, float[] bias, int n, int in, int out) {
        float[] wm = w.clone();
        Masks.apply(wm, mask);
        float[] yd = new float[n * out], ys = new float[n * out];
        Matmul.matmul(x, 0, false, wm, 0, true, yd, 0, n, in, out, false);
        for (int t = 0; t < n; t++) for (int i = 0; i < out; i++) yd[t * out + i] += bias[i];
        k.forwardRows(x, n, bias, ys);
        double maxDiff = 0, maxAbs = 0;
        for (int q = 0; q < yd.length; q++) {
            maxDiff = Math.max(maxDiff, Math.abs(ys[q] - yd[q]));
            maxAbs = Math.max(maxAbs, Math.abs(yd[q]));
        }
        return maxAbs == 0 ? maxDiff : maxDiff / maxAbs;
    }

    private static float[] uniform(Rng rng, int count) {
        float[] v = new float[count];
        for (int q = 0; q < count; q++) v[q] = (float) (2 * rng.nextDouble() - 1);
        return v;
    }
}
