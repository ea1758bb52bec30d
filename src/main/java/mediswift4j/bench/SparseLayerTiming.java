package mediswift4j.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import mediswift4j.nn.Masks;
import mediswift4j.sparse.CompressedKernel;
import mediswift4j.sparse.KernelCalibration;
import mediswift4j.sparse.SparseLinearKernel;
import mediswift4j.tensor.Matmul;
import mediswift4j.tensor.Simd;
import mediswift4j.util.Rng;

/**
 * One linear layer y = x W^T + b over N tokens, forward and backward (dx, dW, db), timed dense and compressed at
 * each sparsity (what `bench sparse` prints):
 *
 *   dense   the three tensor/Matmul calls autograd's MatmulOps.linear makes (y = x W^T, dx += dy W, dW += dy^T x)
 *   sparse  SparseLinearKernel's rows-layout entry points (Vector API kernels when the module is loaded),
 *           including the transposes into and out of the kernels' layout; the weight gradient compressed or
 *           dense-then-masked (dw "auto" follows CompressedKernel.weightGradientPays, as a model does)
 *
 * Figures are per phase (forward; input gradient; weight and bias gradient) and in total, each the median of the
 * timed reps after warm-up. Dense and sparse alternate within each rep so both see the same machine load. Also
 * reported: the largest relative difference between the sparse and the dense forward on the masked weights, and
 * the smallest measured sparsity at which the sparse path wins. PyTorch baseline: tools/bench_torch_linear.py.
 */
public final class SparseLayerTiming {
    private SparseLayerTiming() {}

    /** dwMode: "auto", "sparse" or "dense". */
    public record Options(int out, int in, int tokens, List<Double> sparsities, int reps, long seed, String dwMode) {}

    /** Median seconds of the three phases, their sum, and process CPU seconds over the same span. */
    public record Phases(double forward, double backwardInput, double backwardWeight, double total, double cpu) {
        Map<String, Object> json(String prefix) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put(prefix + "forward_s", forward);
            m.put(prefix + "backward_input_s", backwardInput);
            m.put(prefix + "backward_weight_s", backwardWeight);
            m.put(prefix + "total_s", total);
            m.put(prefix + "cpu_s", cpu);
            return m;
        }
    }

    public record Row(double sparsity, int nnz, boolean sparseWeightGradient, Phases sparse, Phases dense,
                      double effectiveGflops, double maxRelDiffForward) {
        public double speedup() {
            return dense.total() / sparse.total();
        }

        public double speedupCpu() {
            return dense.cpu() / sparse.cpu();
        }

        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("sparsity", sparsity);
            m.put("nnz", nnz);
            m.put("dw_path", sparseWeightGradient ? "sparse" : "dense");
            m.putAll(sparse.json(""));
            m.putAll(dense.json("dense_"));
            m.put("speedup", Clock.round2(speedup()));
            m.put("speedup_cpu", Double.isFinite(speedupCpu()) && speedupCpu() > 0 ? Clock.round2(speedupCpu()) : null);
            m.put("effective_gflops", Clock.round2(effectiveGflops));
            m.put("max_rel_diff_forward", maxRelDiffForward);
            return m;
        }
    }

    /** denseAll pools the dense reps of every sparsity; firstWinningSparsity is null when sparse never wins. */
    public record Result(Options options, int threads, Phases denseAll, List<Row> rows, Double firstWinningSparsity,
                         List<KernelCalibration.Choice> autoChoices) {
        public double denseGflops() {
            return 3 * 2.0 * options.tokens() * options.out() * options.in() / denseAll.total() / 1e9;
        }

        /** The JSON object `bench sparse --json` prints. */
        public Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("bench", "sparse");
            m.put("out", options.out());
            m.put("in", options.in());
            m.put("tokens", options.tokens());
            m.put("threads", threads);
            m.put("reps", options.reps());
            Map<String, Object> d = denseAll.json("");
            d.put("gflops", Clock.round2(denseGflops()));
            m.put("dense", d);
            List<Object> rowList = new ArrayList<>();
            for (Row r : rows) rowList.add(r.json());
            m.put("sparse", rowList);
            m.put("first_winning_sparsity", firstWinningSparsity);
            m.put("threshold_in_code", CompressedKernel.SPARSE_PAYS_FROM);
            m.put("java", System.getProperty("java.vm.version"));
            m.put("kernels", Simd.kernelName());
            m.put("float_lanes", (long) Simd.floatLanes());
            List<Object> auto = new ArrayList<>();
            for (KernelCalibration.Choice c : autoChoices) auto.add(c.describe());
            m.put("auto_choices", auto);
            return m;
        }
    }

    /** Runs every sparsity of the options on the current thread count; one progress line per sparsity. */
    public static Result measure(Options o, int threads, Consumer<String> progress) {
        int n = o.tokens(), in = o.in(), out = o.out();
        Rng rng = new Rng(o.seed());
        float[] x = MatmulThroughput.uniform(rng, n * in), w = MatmulThroughput.uniform(rng, out * in);
        float[] bias = MatmulThroughput.uniform(rng, out), dy = MatmulThroughput.uniform(rng, n * out);
        float[] y = new float[n * out], dx = new float[n * in], dW = new float[out * in], db = new float[out];
        Runnable[] densePhases = {
            () -> {
                Matmul.matmul(x, 0, false, w, 0, true, y, 0, n, in, out, false);
                addBias(y, bias, n, out);
            },
            () -> Matmul.matmul(dy, 0, false, w, 0, false, dx, 0, n, out, in, true),
            () -> {
                Matmul.matmul(dy, 0, true, x, 0, false, dW, 0, out, n, in, true);
                for (int t = 0; t < n; t++) for (int i = 0; i < out; i++) db[i] += dy[t * out + i];
            },
        };
        PhaseTimer denseAll = new PhaseTimer(3);
        List<Row> rows = new ArrayList<>();
        Double firstWin = null;
        for (double s : o.sparsities()) {
            byte[] mask = Masks.random(o.seed(), "bench.sparse", out * in, s);
            SparseLinearKernel k = SparseLinearKernel.build(mask, out, in, w);
            boolean sparseDw = o.dwMode().equals("sparse") || (o.dwMode().equals("auto") && CompressedKernel.weightGradientPays(s));
            progress.accept(String.format("bench sparse: sparsity %.3f (nnz %d, dW %s) ...", s, k.nnz, sparseDw ? "sparse" : "dense"));
            Runnable[] sparsePhases = sparsePhases(k, mask, sparseDw, x, dy, n, in, out, bias, y, dx, dW, db);
            PhaseTimer[] t = PhaseTimer.alternate(new Runnable[][] {densePhases, sparsePhases}, o.reps());
            denseAll.addAll(t[0]);
            Phases dense = t[0].medians(), sparse = t[1].medians();
            double effective = 3 * 2.0 * n * k.nnz / sparse.total() / 1e9;
            Row row = new Row(s, k.nnz, sparseDw, sparse, dense, effective, forwardDifference(k, x, w, mask, bias, n, in, out));
            if (row.speedup() > 1 && firstWin == null) firstWin = s;
            rows.add(row);
        }
        // what AUTO picks for this shape on this machine (KernelCalibration: measured once, then cached)
        List<KernelCalibration.Choice> auto = new ArrayList<>();
        for (double s : o.sparsities()) auto.add(KernelCalibration.choose(out, in, s));
        return new Result(o, threads, denseAll.medians(), rows, firstWin, auto);
    }

    /**
     * The compressed layer's three phases, as the model's layers call them: every transpose into and out of the
     * kernels' layout is charged to the phase that needs it. With the Vector API kernels the forward packs x into
     * a buffer the layer keeps and the weight gradient reuses it, as CompressedKernel does in a model; the dW
     * phase re-packs dy (a model layer does its backward in one call and packs dy once).
     */
    private static Runnable[] sparsePhases(SparseLinearKernel k, byte[] mask, boolean sparseDw, float[] x, float[] dy,
                                           int n, int in, int out, float[] bias, float[] y, float[] dx, float[] dW, float[] db) {
        float[] dwValues = new float[k.nnz];
        float[][] packedX = {null};
        return new Runnable[] {
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
                    k.backwardRows(x, SparseLinearKernel.SIMD ? packedX[0] : null, dy, n, null, dwValues, db);
                    k.scatterAdd(dwValues, dW);
                } else {
                    Matmul.matmul(dy, 0, true, x, 0, false, dW, 0, out, n, in, true);
                    Masks.apply(dW, mask);
                    k.backwardRows(x, dy, n, null, null, db);
                }
            },
        };
    }

    /** max |y_sparse - y_dense| / max |y_dense|, with y_dense from Matmul on the masked weights. */
    private static double forwardDifference(SparseLinearKernel k, float[] x, float[] w, byte[] mask, float[] bias, int n, int in, int out) {
        float[] wm = w.clone();
        Masks.apply(wm, mask);
        float[] yd = new float[n * out], ys = new float[n * out];
        Matmul.matmul(x, 0, false, wm, 0, true, yd, 0, n, in, out, false);
        addBias(yd, bias, n, out);
        k.forwardRows(x, n, bias, ys);
        double maxDiff = 0, maxAbs = 0;
        for (int q = 0; q < yd.length; q++) {
            maxDiff = Math.max(maxDiff, Math.abs(ys[q] - yd[q]));
            maxAbs = Math.max(maxAbs, Math.abs(yd[q]));
        }
        return maxAbs == 0 ? maxDiff : maxDiff / maxAbs;
    }

    private static void addBias(float[] y, float[] bias, int n, int out) {
        for (int t = 0; t < n; t++) for (int i = 0; i < out; i++) y[t * out + i] += bias[i];
    }
}
