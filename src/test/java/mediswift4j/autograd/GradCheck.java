package mediswift4j.autograd;

import java.util.List;
import java.util.function.Function;

import mediswift4j.tensor.Tensor;
import mediswift4j.util.Rng;

/**
 * Central finite differences against autograd: {@link #check} on the op's own float32 forward (loose, for random
 * small shapes), {@link #againstFloat64} on a float64 forward written in the test (tight: sees a 0.1% error).
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

    /** Per element: |analytic - numeric| <= ABS * max|numeric| + REL * |numeric| in {@link #againstFloat64}. */
    public static final double ABS = 2e-5, REL = 5e-5;
    /** Step of the float64 central difference: truncation ~ h^2 |f'''| / 6 ~ 2e-11, rounding ~ 1e-16 |L| / h ~ 1e-8. */
    public static final double H64 = 1e-5;

    /**
     * Autograd's float32 gradients against central differences of a float64 forward written independently in the
     * test (ref maps the inputs' values, as doubles, to the outputs' values). L = sum(y * w) as in {@link #check}.
     * The float64 difference has an error near 1e-8, so the bound is set by float32 rounding in the op's own
     * backward, measured at most 1.1e-6 of the largest gradient (PreciseGradientTest): an element fails when
     * |analytic - numeric| > 2e-5 max|numeric| + 5e-5 |numeric|, 18 times that, so a gradient that is off by
     * 0.1% fails at its largest elements (1e-3 > 7e-5, 14 times the bound). The forward is compared too (within 1e-5 of the largest output). At most
     * maxPerInput elements of each input are checked: one drawn from each of that many equal slices, so every
     * block and tail of a long input is visited.
     */
    public static String againstFloat64(Function<List<Tensor>, Tensor> f, Function<double[][], double[]> ref,
                                        List<Tensor> inputs, long seed, int maxPerInput) {
        for (Tensor t : inputs) {
            t.requiresGrad = true;
            t.grad = null;
        }
        Tensor y = f.apply(inputs);
        Tensor w = Tensor.normal(new Rng(seed), 0f, 1f, y.shape);
        Autograd.backward(ShapeOps.sum(ElementwiseOps.mul(y, w)));
        double[][] x64 = new double[inputs.size()][];
        for (int k = 0; k < inputs.size(); k++) {
            float[] d = inputs.get(k).data;
            x64[k] = new double[d.length];
            for (int i = 0; i < d.length; i++) x64[k][i] = d[i];
        }
        double[] y64 = ref.apply(x64);
        if (y64.length != y.size()) return "reference has " + y64.length + " outputs, the op " + y.size();
        double yScale = 0, yErr = 0;
        for (int i = 0; i < y64.length; i++) {
            yScale = Math.max(yScale, Math.abs(y64[i]));
            yErr = Math.max(yErr, Math.abs(y64[i] - y.data[i]));
        }
        if (yErr > 1e-5 * yScale) return "forward differs from the float64 reference by " + yErr + " (largest output " + yScale + ")";
        Rng pick = new Rng(seed ^ 0x5eed);
        for (int k = 0; k < inputs.size(); k++) {
            Tensor x = inputs.get(k);
            int n = x.size(), count = Math.min(n, maxPerInput);
            int[] idx = new int[count];
            double[] numeric = new double[count];
            double scale = 0;
            for (int j = 0; j < count; j++) {
                int lo = (int) ((long) j * n / count), hi = (int) ((long) (j + 1) * n / count);
                idx[j] = lo + pick.nextInt(hi - lo);
                double orig = x64[k][idx[j]];
                x64[k][idx[j]] = orig + H64;
                double plus = dot(ref.apply(x64), w.data);
                x64[k][idx[j]] = orig - H64;
                double minus = dot(ref.apply(x64), w.data);
                x64[k][idx[j]] = orig;
                numeric[j] = (plus - minus) / (2 * H64);
                scale = Math.max(scale, Math.abs(numeric[j]));
            }
            double worst = 0;
            for (int j = 0; j < count; j++) {
                double a = x.grad == null ? 0 : x.grad[idx[j]];
                worst = Math.max(worst, Math.abs(a - numeric[j]) / Math.max(scale, 1e-300));
                if (Math.abs(a - numeric[j]) > ABS * scale + REL * Math.abs(numeric[j])) {
                    return "input " + k + " " + x.shapeString() + " element " + idx[j] + ": analytic " + a + " float64 numeric "
                            + numeric[j] + " (largest numeric " + scale + ")";
                }
            }
            if (REPORT) System.err.println("gradcheck64 input " + k + " " + x.shapeString() + " worst error / largest gradient " + worst);
        }
        return null;
    }

    /** -Dgradcheck.report=true prints each input's worst error (how the tolerance above was measured). */
    private static final boolean REPORT = Boolean.getBoolean("gradcheck.report");

    private static double dot(double[] y, float[] w) {
        double s = 0;
        for (int i = 0; i < y.length; i++) s += y[i] * w[i];
        return s;
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
