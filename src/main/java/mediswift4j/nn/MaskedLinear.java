package mediswift4j.nn;

import mediswift4j.autograd.MatmulOps;
import mediswift4j.tensor.Tensor;

/**
 * A linear layer y = x W^T + b whose weight W (OUT, IN) may carry a static sparsity mask.
 *
 * W is kept dense; masked entries are held at exactly zero. The invariant is maintained in three places:
 * {@link #applyMask()} after initialisation and after every optimizer step (re-zeroes W), {@link #maskGradient()}
 * after backward (zeroes dW at masked positions, so clipping and the optimizer see 0), and the optimizer, which
 * skips masked entries entirely (see optim.AdamW). With the masked weights at zero the dense product is exactly
 * the sparse product, so forward needs no mask multiply.
 *
 * The {@link Kernel} is the seam for a compressed sparse kernel: it receives the input and this layer (weight,
 * bias, mask) and must return the same values as the dense kernel and record its own backward on the tape.
 */
public final class MaskedLinear {
    /** How the product is computed. Must be equivalent to {@link #DENSE} on the layer's (masked) weights. */
    public interface Kernel {
        Tensor forward(Tensor x, MaskedLinear layer);
    }

    /** The reference kernel: dense y = x W^T + b through autograd. */
    public static final Kernel DENSE = (x, layer) -> MatmulOps.linear(x, layer.weight, layer.bias);

    public final Tensor weight; // (OUT, IN)
    public final Tensor bias;   // (OUT)
    /** 1 keep, 0 masked, one byte per weight in row-major order; null when the layer is dense. */
    private byte[] keep;
    private Kernel kernel = DENSE;

    public MaskedLinear(String prefix, int in, int out) {
        this.weight = Tensor.parameter(prefix + ".weight", out, in);
        this.bias = Tensor.parameter(prefix + ".bias", out);
    }

    public int in() {
        return weight.dim(1);
    }

    public int out() {
        return weight.dim(0);
    }

    /** x (..., IN) -> (..., OUT). */
    public Tensor forward(Tensor x) {
        return kernel.forward(x, this);
    }

    public void setKernel(Kernel k) {
        this.kernel = k == null ? DENSE : k;
    }

    public Kernel kernel() {
        return kernel;
    }

    /** The mask (shared, not copied), or null when dense. */
    public byte[] keep() {
        return keep;
    }

    /** Installs a mask (or null for dense) and zeroes the masked weights. */
    public void setKeep(byte[] mask) {
        if (mask != null && mask.length != weight.size()) {
            throw new IllegalArgumentException(weight.name + ": mask has " + mask.length + " entries, weight has " + weight.size());
        }
        this.keep = mask;
        applyMask();
    }

    /** W[i] = 0 wherever the mask says 0. */
    public void applyMask() {
        if (keep == null) return;
        Masks.apply(weight.data, keep);
    }

    /** dW[i] = 0 wherever the mask says 0 (call after backward, before clipping). */
    public void maskGradient() {
        if (keep == null || weight.grad == null) return;
        Masks.apply(weight.grad, keep);
    }

    /** Number of masked weights (0 when dense). */
    public long maskedCount() {
        if (keep == null) return 0;
        long z = 0;
        for (byte b : keep) if (b == 0) z++;
        return z;
    }
}
