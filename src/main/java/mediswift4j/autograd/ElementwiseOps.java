package mediswift4j.autograd;

import mediswift4j.tensor.Parallel;
import mediswift4j.tensor.Tensor;
import mediswift4j.util.Rng;

/** Elementwise ops: add (with bias-style broadcasting), multiply, scale, GELU, dropout. */
public final class ElementwiseOps {
    private ElementwiseOps() {}

    /**
     * a + b, where b has a's shape or a suffix of it (a bias (C) added to every row of (B,T,C), a position table
     * (T,C) added to every sequence of (B,T,C)). Backward: da = dy; db = dy summed over the broadcast dimensions.
     */
    public static Tensor add(Tensor a, Tensor b) {
        if (b.rank() > a.rank()) throw Shapes.mismatch("add", a, b, "the second operand has more dimensions");
        for (int i = 1; i <= b.rank(); i++) {
            if (a.dim(-i) != b.dim(-i)) throw Shapes.mismatch("add", a, b, "trailing dimensions differ");
        }
        int inner = b.size(), outer = a.size() / Math.max(1, inner);
        Tensor y = Tensor.zeros(a.shape);
        // rows of the broadcast are independent: split over threads when big (same values either way)
        Parallel.forRange(outer, Math.max(1, MIN_PER_THREAD / Math.max(1, inner)), (from, to) -> {
            float[] ad = a.data, bd = b.data, yd = y.data;
            for (int o = from; o < to; o++) {
                int base = o * inner;
                for (int j = 0; j < inner; j++) yd[base + j] = ad[base + j] + bd[j];
            }
        });
        return Autograd.record(y, () -> {
            if (y.grad == null) return;
            if (a.requiresGrad) {
                float[] ga = a.grad();
                Parallel.forRange(ga.length, MIN_PER_THREAD, (from, to) -> PointwiseKernels.addInto(y.grad, from, ga, from, to - from));
            }
            if (b.requiresGrad) {
                // column blocks over threads; each element still sums the rows o = 0, 1, ... in order
                float[] gb = b.grad();
                Parallel.forRange(inner, Math.max(16, MIN_PER_THREAD / Math.max(1, outer)), (j0, j1) -> {
                    for (int o = 0; o < outer; o++) PointwiseKernels.addInto(y.grad, o * inner + j0, gb, j0, j1 - j0);
                });
            }
        }, a, b);
    }

    /** a * b elementwise (same shapes). Backward: da = dy * b, db = dy * a. */
    public static Tensor mul(Tensor a, Tensor b) {
        Shapes.requireSame("mul", a, b);
        Tensor y = Tensor.zeros(a.shape);
        for (int i = 0; i < y.data.length; i++) y.data[i] = a.data[i] * b.data[i];
        return Autograd.record(y, () -> {
            if (y.grad == null) return;
            if (a.requiresGrad) {
                float[] g = a.grad();
                for (int i = 0; i < g.length; i++) g[i] += y.grad[i] * b.data[i];
            }
            if (b.requiresGrad) {
                float[] g = b.grad();
                for (int i = 0; i < g.length; i++) g[i] += y.grad[i] * a.data[i];
            }
        }, a, b);
    }

    /** s * a. Backward: da = s * dy. */
    public static Tensor scale(Tensor a, float s) {
        Tensor y = Tensor.zeros(a.shape);
        for (int i = 0; i < y.data.length; i++) y.data[i] = s * a.data[i];
        return Autograd.record(y, () -> {
            if (y.grad == null) return;
            float[] g = a.grad();
            for (int i = 0; i < g.length; i++) g[i] += s * y.grad[i];
        }, a);
    }

    /** Elementwise loops shorter than this stay on the calling thread (a fork costs more than it saves). */
    static final int MIN_PER_THREAD = 1 << 15;

    /**
     * GELU, tanh approximation as in GPT-2: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), computed as
     * x / (1 + exp(-2 sqrt(2/pi) (x + 0.044715 x^3))) with our float32 exp (same function, see PointwiseKernels).
     * Backward: s + x s (1 - s) 2 sqrt(2/pi) (1 + 3 * 0.044715 x^2), s = the sigmoid above (recomputed).
     */
    public static Tensor gelu(Tensor x) {
        Tensor y = Tensor.zeros(x.shape);
        Parallel.forRange(x.size(), MIN_PER_THREAD, (from, to) -> PointwiseKernels.geluForward(x.data, y.data, from, to));
        return Autograd.record(y, () -> {
            if (y.grad == null) return;
            float[] g = x.grad();
            Parallel.forRange(g.length, MIN_PER_THREAD, (from, to) -> PointwiseKernels.geluBackward(x.data, y.grad, g, from, to));
        }, x);
    }

    /**
     * Inverted dropout: each element is zeroed when rng.nextFloat() < p (drawn in row-major order), the rest are
     * scaled by 1/(1-p). With p = 0 it returns x itself and draws nothing.
     */
    public static Tensor dropout(Tensor x, float p, Rng rng) {
        if (!(p >= 0f && p < 1f)) throw new IllegalArgumentException("dropout: p must be in [0, 1), got " + p);
        if (p == 0f) return x;
        float keepScale = 1f / (1f - p);
        float[] factor = new float[x.size()];
        for (int i = 0; i < factor.length; i++) factor[i] = rng.nextFloat() < p ? 0f : keepScale;
        Tensor y = Tensor.zeros(x.shape);
        for (int i = 0; i < factor.length; i++) y.data[i] = x.data[i] * factor[i];
        return Autograd.record(y, () -> {
            if (y.grad == null) return;
            float[] g = x.grad();
            for (int i = 0; i < g.length; i++) g[i] += y.grad[i] * factor[i];
        }, x);
    }
}
