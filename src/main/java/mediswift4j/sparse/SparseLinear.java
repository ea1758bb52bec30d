package mediswift4j.sparse;

import mediswift4j.nn.Masks;
import mediswift4j.tensor.Matmul;

/**
 * The compressed path of one masked linear layer, on rows-layout arrays as tensors hold them, with the measured
 * dispatch rule built in ({@link SparseLinearOp} wraps it as an autograd op). Used directly:
 *
 *   SparseLinear sl = new SparseLinear(mask, OUT, IN);          // once, when the mask is drawn
 *   if (sl.pays()) {                                            // else: dense Matmul on W * M
 *       sl.refresh(w.data);                                     // after every optimizer step (O(nnz))
 *       SparseLinear.Saved s = sl.forward(x.data, N, b.data, y.data);      // y (N, OUT) = x W^T + b
 *       ... backward: sl.backward(s, x.data, y.grad, x.grad, w.grad, b.grad) // each grad nullable, accumulated
 *   }
 *
 * Shapes: x (N, IN), W and mask (OUT, IN), b (OUT), y (N, OUT). The weight gradient is compressed when
 * {@link SparseLinearKernel#weightGradientPays} (sparsity >= 0.7), otherwise dense dy^T x with the masked entries
 * then set to zero (so dW is zero at masked positions either way, provided it was before).
 */
public final class SparseLinear {
    public final SparseLinearKernel kernel;
    private final byte[] mask;
    private final double sparsity;

    /**
     * What forward keeps for backward: the input in token blocks (plain kernels), or for the Vector API kernels
     * the layer's packed copy of x and which forward filled it (the copy is reused only if no later forward of
     * this layer has overwritten it).
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

    /**
     * The layer's input packed by its last forward (Vector API kernels), reused by the weight gradient: packing x
     * again cost about 1-2 ms per backward of a 768x3072 layer over 1024 tokens. Memory: one packed copy of the
     * input per compressed layer (N x IN floats, rounded up to whole 128-token chunks), kept between steps.
     */
    private float[] packedInput;
    private long generation;

    public SparseLinear(byte[] mask, int out, int in) {
        this.kernel = SparseLinearKernel.build(mask, out, in);
        this.mask = mask.clone();
        this.sparsity = kernel.sparsity();
    }

    public double sparsity() {
        return sparsity;
    }

    /** Is the compressed forward and input gradient faster than dense here ({@link SparseLinearKernel#pays})? */
    public boolean pays() {
        return SparseLinearKernel.pays(sparsity);
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

    /** Accumulates dx (N, IN), dW (OUT, IN) and db (OUT) from dy (N, OUT); pass null for gradients not wanted. */
    public void backward(Saved saved, float[] x, float[] dy, float[] dx, float[] dW, float[] db) {
        int n = saved.tokens, out = kernel.out, in = kernel.in;
        checkLength("dy", dy, (long) n * out);
        if (saved.x == null) { // Vector API kernels on rows-layout arrays
            boolean sparseDw = dW != null && SparseLinearKernel.weightGradientPays(sparsity);
            float[] dwVal = sparseDw ? new float[kernel.nnz] : null;
            float[] px = saved.packed != null && saved.packed == packedInput && saved.generation == generation ? saved.packed : null;
            kernel.backwardRows(x, px, dy, n, dx, dwVal, db);
            if (sparseDw) {
                kernel.scatterAdd(dwVal, dW);
            } else if (dW != null) {
                checkLength("x", x, (long) n * in);
                Matmul.matmul(dy, 0, true, x, 0, false, dW, 0, out, n, in, true);
                Masks.apply(dW, mask);
            }
            return;
        }
        TokenBlocks dyt = TokenBlocks.fromRows(dy, 0, n, out);
        if (dx != null) {
            checkLength("dx", dx, (long) n * in);
            kernel.backwardInput(dyt, dx, 0);
        }
        if (dW != null) {
            if (SparseLinearKernel.weightGradientPays(sparsity)) {
                kernel.backwardWeight(dyt, saved.x, dW);
            } else {
                checkLength("x", x, (long) n * in);
                Matmul.matmul(dy, 0, true, x, 0, false, dW, 0, out, n, in, true);
                Masks.apply(dW, mask);
            }
        }
        if (db != null) kernel.backwardBias(dyt, db);
    }

    private static void checkLength(String what, float[] a, long need) {
        if (a.length != need) throw new IllegalArgumentException(what + " has " + a.length + " values, needs " + need);
    }
}
