package mediswift4j.sparse;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.WeakHashMap;

import mediswift4j.autograd.Autograd;
import mediswift4j.nn.Masks;
import mediswift4j.nn.MaskedLinear;
import mediswift4j.tensor.Matmul;
import mediswift4j.tensor.Tensor;

/**
 * The masked sparse layer as one op: y = x (W * M)^T + b, forward and backward side by side, choosing per layer
 * between the dense Matmul and the compressed kernels. Read in this order:
 *
 *   1. {@link SparseLinearReference}  the four sums (y, dx, dW, db) as naive loops: what everything below computes
 *   2. this file                       which path a layer takes, and forward + backward of the compressed path
 *   3. {@link SparseLayout}            the compressed format built from the mask (CSR, CSC, tile-ordered index)
 *   4. {@link SparseLinearKernel}      the kernels over it, whose innermost loops are in {@link SparseLoops}
 *                                      (plain Java) and {@link SparseSimd} (Vector API twins, same bits)
 *
 * As the {@link MaskedLinear.Kernel} of a model (Gpt.setKernel, one instance per model):
 *
 *   layer without a mask (dense model, or fine-tuning after ModelMasks.clear)  -> MaskedLinear.DENSE
 *   mode SPARSE: every masked layer                                            -> compressed
 *   mode AUTO:   masked layers where the compressed path measured faster       -> compressed, others dense
 *                (KernelCalibration, per layer shape and sparsity, cached per machine)
 *   mode DENSE:  always MaskedLinear.DENSE (the reference)
 *
 * The compressed structure of a layer is built once from its mask, the first time the layer runs, and cached
 * against the mask array itself: installing a different mask (setKeep with a new array, a checkpoint load)
 * rebuilds it, and removing the mask (setKeep(null)) switches the layer back to dense. The values are re-read
 * from the dense weight on every forward (O(nnz)), so they are always those the optimizer left after its last
 * step and the masks were re-applied. The cache holds one entry per layer, weakly.
 *
 * The two paths round differently, so AUTO's choice is part of a run's result. A checkpoint records where the
 * measurement overrode the fixed rule ({@link #overrides}), and a loaded model is pinned to those choices and the
 * fixed rule everywhere else ({@link #pin}): a resumed run never measures again and continues bit for bit, on any
 * machine and thread count.
 */
public final class CompressedKernel implements MaskedLinear.Kernel {
    /** Which layers take the compressed path. */
    public enum Mode {
        DENSE, SPARSE, AUTO;

        /** "dense", "sparse" or "auto"; null for anything else. */
        public static Mode parse(String s) {
            for (Mode m : values()) if (m.name().equalsIgnoreCase(s)) return m;
            return null;
        }
    }

    /**
     * Sparsity from which the compressed forward and input gradient beat the dense Matmul on W * M, measured on an
     * AVX-512 machine (bench sparse --threads 1, whole layer forward + backward, docs/MEASUREMENTS.md): 0.6 is about
     * break-even and 0.7 wins on every shape measured there. AUTO measures on the running machine instead
     * (KernelCalibration); this constant is its fixed rule under -Dmediswift4j.kernel.calibrate=false.
     */
    public static final double SPARSE_PAYS_FROM = 0.7;

    /**
     * Sparsity from which the compressed weight gradient beats the dense dW = dy^T x followed by zeroing the
     * masked entries (bench sparse --dw sparse|dense, docs/MEASUREMENTS.md). Set equal to SPARSE_PAYS_FROM so
     * that a compressed layer is compressed in all three products; were it higher, a layer between the two would
     * take the dense-then-masked dW of {@link Compressed#backward}.
     */
    public static final double SPARSE_DW_PAYS_FROM = 0.7;

    /** Slack in the comparisons, so that a mask drawn at exactly a threshold (round(s n) zeros) counts as reaching it. */
    private static final double SLACK = 1e-9;

    /** True when the compressed forward and input gradient are expected to beat dense matmuls at this sparsity. */
    public static boolean pays(double sparsity) {
        return sparsity >= SPARSE_PAYS_FROM - SLACK;
    }

    /** True when the compressed weight gradient is expected to beat the dense one (then masked) at this sparsity. */
    public static boolean weightGradientPays(double sparsity) {
        return sparsity >= SPARSE_DW_PAYS_FROM - SLACK;
    }

    /** A layer's compressed structure and the mask array it was built from (null c: stays dense). */
    private record Entry(byte[] keep, Compressed c) {}

    private final Mode mode;
    private final Map<MaskedLinear, Entry> cache = Collections.synchronizedMap(new WeakHashMap<>());
    /** Choices made so far, by {@link #shapeKey}: true = compressed. */
    private final Map<String, Boolean> made = Collections.synchronizedMap(new TreeMap<>());
    /** When non-null (after {@link #pin}): AUTO takes these choices and the fixed rule elsewhere, never measuring. */
    private volatile Map<String, Boolean> pinned;

    public CompressedKernel(Mode mode) {
        if (mode == null) throw new IllegalArgumentException("mode is null");
        this.mode = mode;
    }

    public Mode mode() {
        return mode;
    }

    /** The dispatch: dense for layers without a compressed form, else {@link #linear} on it. */
    @Override
    public Tensor forward(Tensor x, MaskedLinear layer) {
        Compressed c = compressed(layer);
        return c == null ? MaskedLinear.DENSE.forward(x, layer) : linear(x, layer.weight, layer.bias, c);
    }

    /** The compressed form this kernel uses for the layer, or null when the layer runs dense. */
    public Compressed compressed(MaskedLinear layer) {
        byte[] keep = layer.keep();
        if (keep == null || mode == Mode.DENSE) return null;
        Entry e = cache.get(layer);
        if (e == null || e.keep() != keep) {
            double s = sparsity(keep);
            String key = shapeKey(layer.out(), layer.in(), s);
            Map<String, Boolean> pins = pinned;
            boolean compressed = mode == Mode.SPARSE
                    || (pins != null ? pins.getOrDefault(key, pays(s)) : KernelCalibration.choose(layer.out(), layer.in(), s).compressed());
            made.put(key, compressed);
            e = new Entry(keep, compressed ? new Compressed(keep, layer.out(), layer.in()) : null);
            cache.put(layer, e);
        }
        return e.c();
    }

    /** "OUTxIN@S" with the layer's measured sparsity to six decimals: the key of a choice. */
    public static String shapeKey(int out, int in, double sparsity) {
        return String.format(Locale.ROOT, "%dx%d@%.6f", out, in, sparsity);
    }

    /** AUTO's choices that differ from the fixed rule ({@link #pays}), by shape key: true = compressed. */
    public Map<String, Boolean> overrides() {
        Map<String, Boolean> o = new TreeMap<>();
        synchronized (made) {
            for (var e : made.entrySet()) {
                double s = Double.parseDouble(e.getKey().substring(e.getKey().indexOf('@') + 1));
                if (mode == Mode.AUTO && e.getValue() != pays(s)) o.put(e.getKey(), e.getValue());
            }
        }
        return o;
    }

    /** From now on, AUTO takes `overrides` where given and the fixed rule elsewhere, without measuring. */
    public void pin(Map<String, Boolean> overrides) {
        pinned = Map.copyOf(overrides);
        cache.clear();
    }

    private static double sparsity(byte[] keep) {
        long z = 0;
        for (byte b : keep) if (b == 0) z++;
        return keep.length == 0 ? 0 : (double) z / keep.length;
    }

    /**
     * The compressed path as an autograd op, the twin of MatmulOps.linear: x (..., IN), w (OUT, IN), bias (OUT) or
     * null, y (..., OUT). Re-reads the kept weights from w, runs {@link Compressed#forward}, and records
     * {@link Compressed#backward}, which accumulates x.grad, w.grad (kept positions only; masked entries stay as
     * they were, zero) and b.grad, as MatmulOps.linear does.
     */
    public static Tensor linear(Tensor x, Tensor w, Tensor bias, Compressed c) {
        int out = c.kernel.out, in = c.kernel.in;
        if (w.rank() != 2 || w.dim(0) != out || w.dim(1) != in) {
            throw new IllegalArgumentException("sparse linear: weight " + Tensor.shapeString(w.shape) + " does not match the mask's " + out + " x " + in);
        }
        if (x.rank() < 1 || x.dim(x.rank() - 1) != in) {
            throw new IllegalArgumentException("sparse linear: input " + Tensor.shapeString(x.shape) + " does not end in " + in + " features");
        }
        if (bias != null && (bias.rank() != 1 || bias.dim(0) != out)) {
            throw new IllegalArgumentException("sparse linear: bias " + Tensor.shapeString(bias.shape) + " is not (" + out + ")");
        }
        int rows = x.data.length / in;
        int[] shape = x.shape.clone();
        shape[shape.length - 1] = out;
        Tensor y = Tensor.zeros(shape);
        c.refresh(w.data);
        Compressed.Saved saved = c.forward(x.data, rows, bias == null ? null : bias.data, y.data);
        return Autograd.record(y, () -> {
            if (y.grad == null) return;
            c.backward(saved, x.data, y.grad,
                    x.requiresGrad ? x.grad() : null,
                    w.requiresGrad ? w.grad() : null,
                    bias != null && bias.requiresGrad ? bias.grad() : null);
        }, x, w, bias);
    }

    /**
     * The compressed path of one masked layer on rows-layout arrays, as tensors hold them: x (N, IN), W and mask
     * (OUT, IN), b (OUT), y (N, OUT). Used directly:
     *
     *   Compressed c = new Compressed(mask, OUT, IN);                 // once, when the mask is drawn
     *   c.refresh(w.data);                                            // after every change of W (O(nnz))
     *   Compressed.Saved s = c.forward(x.data, N, b.data, y.data);    // y = x W^T + b
     *   c.backward(s, x.data, y.grad, x.grad, w.grad, b.grad);        // each grad nullable, accumulated
     */
    public static final class Compressed {
        public final SparseLinearKernel kernel;
        private final byte[] mask;
        private final double sparsity;
        /**
         * The layer's input packed by its last forward (Vector API kernels), reused by the weight gradient instead
         * of packing x again. Memory: one packed copy of the input per compressed layer (N x IN floats, rounded up
         * to whole 128-token chunks), kept between steps.
         */
        private float[] packedInput;
        private long generation;

        /**
         * What forward keeps for backward: the input in token blocks (plain kernels), or for the Vector API
         * kernels the layer's packed copy of x and which forward filled it (the copy is reused only if no later
         * forward of this layer has overwritten it).
         */
        public static final class Saved {
            final TokenBlocks x;
            final int tokens;
            final float[] packed;
            final long generation;

            Saved(TokenBlocks x, int tokens, float[] packed, long generation) {
                this.x = x;
                this.tokens = tokens;
                this.packed = packed;
                this.generation = generation;
            }
        }

        public Compressed(byte[] mask, int out, int in) {
            this.kernel = SparseLinearKernel.build(mask, out, in);
            this.mask = mask.clone();
            this.sparsity = kernel.sparsity();
        }

        public double sparsity() {
            return sparsity;
        }

        /** Re-reads the kept weights from the dense W (OUT, IN); call after every change of W. */
        public void refresh(float[] w) {
            kernel.refreshValues(w);
        }

        /** y (N, OUT) = x (N, IN) (W * M)^T + bias, overwriting y; bias may be null. */
        public Saved forward(float[] x, int n, float[] bias, float[] y) {
            checkLength("x", x, (long) n * kernel.in);
            checkLength("y", y, (long) n * kernel.out);
            if (SparseLinearKernel.SIMD) { // packs x straight from the rows layout, into the layer's own buffer
                packedInput = kernel.packInput(x, n, packedInput);
                kernel.forwardPacked(packedInput, n, bias, y);
                return new Saved(null, n, packedInput, ++generation);
            }
            TokenBlocks xt = TokenBlocks.fromRows(x, 0, n, kernel.in);
            kernel.forward(xt, bias, y, 0);
            return new Saved(xt, n, null, 0);
        }

        /**
         * Accumulates dx (N, IN), dW (OUT, IN) and db (OUT) from dy (N, OUT); pass null for gradients not wanted.
         * dW is compressed when {@link #weightGradientPays}, otherwise dense dy^T x with the masked entries then set
         * to zero (so dW is zero at masked positions either way, provided it was before).
         */
        public void backward(Saved saved, float[] x, float[] dy, float[] dx, float[] dW, float[] db) {
            int n = saved.tokens, out = kernel.out, in = kernel.in;
            checkLength("dy", dy, (long) n * out);
            boolean sparseDw = dW != null && weightGradientPays(sparsity);
            float[] dwVal = sparseDw ? new float[kernel.nnz] : null;
            if (saved.x == null) { // Vector API kernels, on the packed input if it is still this forward's
                float[] px = saved.packed != null && saved.packed == packedInput && saved.generation == generation ? saved.packed : null;
                kernel.backwardRows(x, px, dy, n, dx, dwVal, db);
            } else { // plain kernels, on the token blocks the forward made
                kernel.backwardPlain(saved.x, dy, n, dx, dwVal, db);
            }
            if (sparseDw) {
                kernel.scatterAdd(dwVal, dW);
            } else if (dW != null) {
                checkLength("x", x, (long) n * in);
                Matmul.matmul(dy, 0, true, x, 0, false, dW, 0, out, n, in, true);
                Masks.apply(dW, mask);
            }
        }

        private static void checkLength(String what, float[] a, long need) {
            if (a.length != need) throw new IllegalArgumentException(what + " has " + a.length + " values, needs " + need);
        }
    }
}
