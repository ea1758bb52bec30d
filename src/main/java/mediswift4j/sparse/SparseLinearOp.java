package mediswift4j.sparse;

import mediswift4j.autograd.Autograd;
import mediswift4j.tensor.Tensor;

/**
 * The masked linear layer as an autograd op on the compressed path: y = x (W * M)^T + b with x (..., IN),
 * W (OUT, IN), b (OUT) or null, y (..., OUT). The drop-in twin of MatmulOps.linear for a layer whose
 * {@link SparseLinear#pays()} is true:
 *
 *   Tensor y = sl.pays() ? SparseLinearOp.linear(x, w, b, sl) : MatmulOps.linear(x, w, b);
 *
 * Every call re-reads the kept weights from w (O(nnz), a few percent of the forward), so the compressed values
 * can never lag behind an optimizer step. Backward accumulates x.grad, w.grad (kept positions only; masked
 * entries stay as they were, zero) and b.grad, as MatmulOps.linear does.
 */
public final class SparseLinearOp {
    private SparseLinearOp() {}

    public static Tensor linear(Tensor x, Tensor w, Tensor bias, SparseLinear sl) {
        int out = sl.kernel.out, in = sl.kernel.in;
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
        sl.refresh(w.data);
        SparseLinear.Saved saved = sl.forward(x.data, rows, bias == null ? null : bias.data, y.data);
        return Autograd.record(y, () -> {
            if (y.grad == null) return;
            sl.backward(saved, x.data, y.grad,
                    x.requiresGrad ? x.grad() : null,
                    w.requiresGrad ? w.grad() : null,
                    bias != null && bias.requiresGrad ? bias.grad() : null);
        }, x, w, bias);
    }
}
