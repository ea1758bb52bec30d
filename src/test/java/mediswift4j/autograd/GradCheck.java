package mediswift4j.autograd;

import java.util.List;
import java.util.function.Function;

import mediswift4j.tensor.Tensor;
import mediswift4j.util.Rng;

/**
 * Central finite differences against autograd.
 *
 * The function's output y is reduced to a scalar L = sum(y * w) with fixed random weights w (so every output
 * element matters, with different signs). For every input element x_i: numeric = (L(x_i + h) - L(x_i - h)) / 2h,
 * with h = 1e-2 and the forward in float32. Tolerance (documented in SPEC.md, "Tests"):
 * |analytic - numeric| <= 2e-3 + 2e-2 * |numeric|. The truncation error of the central difference is O(h^2) and
 * float32 rounding contributes about 1e-7 * |L| / h, both far below that for inputs of order 1.
 */
public final class GradCheck {
    private GradCheck() {}

    public static final float H = 1e-2f;

    /** Returns null when all gradients agree, else a message naming the input, element and both values. */
    public static String check(Function<List<Tensor>, Tensor> f, List<Tensor> inputs, long seed) {
        for (Tensor t : inputs) {
            t.requiresGrad = true;
            t.grad = null;
        }
        Tensor y = f.apply(inputs);
        Tensor w = Tensor.normal(new Rng(seed), 0f, 1f, y.shape);
        Tensor loss = ShapeOps.sum(ElementwiseOps.mul(y, w));
        Autograd.backward(loss);
        for (int k = 0; k < inputs.size(); k++) {
            Tensor x = inputs.get(k);
            float[] analytic = x.grad == null ? new float[x.size()] : x.grad.clone();
            for (int i = 0; i < x.size(); i++) {
                float orig = x.data[i];
                x.data[i] = orig + H;
                double plus = weighted(f, inputs, w);
                x.data[i] = orig - H;
                double minus = weighted(f, inputs, w);
                x.data[i] = orig;
                double numeric = (plus - minus) / (2 * H);
                if (Math.abs(analytic[i] - numeric) > 2e-3 + 2e-2 * Math.abs(numeric)) {
                    return "input " + k + " " + x.shapeString() + " element " + i + ": analytic " + analytic[i] + " numeric " + numeric;
                }
            }
        }
        return null;
    }

    private static double weighted(Function<List<Tensor>, Tensor> f, List<Tensor> inputs, Tensor w) {
        try (var g = Autograd.noGrad()) {
            Tensor y = f.apply(inputs);
            double s = 0;
            for (int i = 0; i < y.size(); i++) s += (double) y.data[i] * w.data[i];
            return s;
        }
    }
}
