package mediswift4j.autograd;

import mediswift4j.tensor.Matmul;
import mediswift4j.tensor.Parallel;
import mediswift4j.tensor.Tensor;

/**
 * Matrix products with their backward passes.
 *
 * For C = op(A) op(B): dop(A) = dC op(B)^T and dop(B) = op(A)^T dC. When an operand is stored transposed its
 * gradient is the transpose of that, which is again one call of the same kernel with other transpose flags.
 */
public final class MatmulOps {
    private MatmulOps() {}

    /** 2-D (m,k)x(k,n) or batched (Bt,m,k)x(Bt,k,n); transA/transB say an operand is stored transposed. */
    public static Tensor matmul(Tensor a, Tensor b, boolean transA, boolean transB) {
        if (a.rank() != b.rank()) throw Shapes.mismatch("matmul", a, b, "ranks differ");
        if (a.rank() != 2 && a.rank() != 3) throw Shapes.mismatch("matmul", a, b, "operands must have rank 2 or 3");
        int batch = a.rank() == 3 ? a.dim(0) : 1;
        if (a.rank() == 3 && b.dim(0) != batch) throw Shapes.mismatch("matmul", a, b, "batch sizes differ");
        int m = transA ? a.dim(-1) : a.dim(-2);
        int k = transA ? a.dim(-2) : a.dim(-1);
        int kb = transB ? b.dim(-1) : b.dim(-2);
        int n = transB ? b.dim(-2) : b.dim(-1);
        if (k != kb) throw Shapes.mismatch("matmul", a, b, "inner dimensions differ (" + k + " vs " + kb + ")");
        Tensor c = a.rank() == 3 ? Tensor.zeros(batch, m, n) : Tensor.zeros(m, n);
        int sa = m * k, sb = k * n, sc = m * n;
        for (int t = 0; t < batch; t++) {
            Matmul.matmul(a.data, t * sa, transA, b.data, t * sb, transB, c.data, t * sc, m, k, n, false);
        }
        return Autograd.record(c, () -> {
            if (c.grad == null) return;
            for (int t = 0; t < batch; t++) {
                if (a.requiresGrad) {
                    if (!transA) Matmul.matmul(c.grad, t * sc, false, b.data, t * sb, !transB, a.grad(), t * sa, m, n, k, true);
                    else Matmul.matmul(b.data, t * sb, transB, c.grad, t * sc, true, a.grad(), t * sa, k, n, m, true);
                }
                if (b.requiresGrad) {
                    if (!transB) Matmul.matmul(a.data, t * sa, !transA, c.grad, t * sc, false, b.grad(), t * sb, k, m, n, true);
                    else Matmul.matmul(c.grad, t * sc, true, a.data, t * sa, transA, b.grad(), t * sb, n, m, k, true);
                }
            }
        }, a, b);
    }

    /**
     * A linear layer, y = x W^T + b, with x (..., IN), W (OUT, IN) as PyTorch's nn.Linear stores it, b (OUT) or null.
     * Backward: dx = dy W, dW = dy^T x, db = sum of dy over rows.
     */
    public static Tensor linear(Tensor x, Tensor w, Tensor bias) {
        if (w.rank() != 2) throw Shapes.mismatch("linear", x, w, "the weight must be (OUT, IN)");
        int in = w.dim(1), out = w.dim(0);
        if (x.rank() < 1 || x.dim(-1) != in) throw Shapes.mismatch("linear", x, w, "input features differ");
        if (bias != null && (bias.rank() != 1 || bias.dim(0) != out)) {
            throw Shapes.mismatch("linear", w, bias, "the bias must be (OUT)");
        }
        int rows = Shapes.rows(x);
        int[] shape = x.shape.clone();
        shape[shape.length - 1] = out;
        Tensor y = Tensor.zeros(shape);
        Matmul.matmul(x.data, 0, false, w.data, 0, true, y.data, 0, rows, in, out, false);
        if (bias != null) { // rows over threads (independent)
            Parallel.forRange(rows, Math.max(1, ElementwiseOps.MIN_PER_THREAD / Math.max(1, out)), (r0, r1) -> {
                for (int r = r0; r < r1; r++) PointwiseKernels.addInto(bias.data, 0, y.data, r * out, out);
            });
        }
        return Autograd.record(y, () -> {
            if (y.grad == null) return;
            if (x.requiresGrad) Matmul.matmul(y.grad, 0, false, w.data, 0, false, x.grad(), 0, rows, out, in, true);
            if (w.requiresGrad) Matmul.matmul(y.grad, 0, true, x.data, 0, false, w.grad(), 0, out, rows, in, true);
            if (bias != null && bias.requiresGrad) {
                // column blocks over threads; each db[j] still adds the rows in order
                float[] db = bias.grad();
                Parallel.forRange(out, Math.max(16, ElementwiseOps.MIN_PER_THREAD / Math.max(1, rows)), (j0, j1) -> {
                    for (int r = 0; r < rows; r++) PointwiseKernels.addInto(y.grad, r * out + j0, db, j0, j1 - j0);
                });
            }
        }, x, w, bias);
    }
}
