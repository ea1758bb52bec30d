package mediswift4j.train;

import java.util.List;

import mediswift4j.tensor.Tensor;

/**
 * Stops training at the first non-finite number (SPEC.md section 8): checked after backward, before the
 * optimizer touches anything, so a diverged step never changes the parameters, the Adam moments or a checkpoint.
 *
 *   loss:       the mean micro-batch loss of the step must be finite
 *   gradients:  every element of every parameter gradient must be finite (checked per tensor, so the message
 *               can name the first offending tensor in canonical parameter order)
 *   parameters: checked before each checkpoint is written (an overflowing update could otherwise be saved)
 *
 * The gradient check takes the global gradient norm, which the step computes anyway for clipping (GradClip.norm,
 * accumulated in float64): it is finite exactly when every gradient element is, so only a non-finite norm makes
 * the guard scan the gradients, to name the first bad element.
 */
public final class NumericGuard {
    private NumericGuard() {}

    /** Throws TrainingDivergedException naming `step` (1-based) when the loss or a gradient is NaN or infinite. */
    public static void checkStep(long step, double loss, List<Tensor> params) {
        checkStep(step, loss, params, Double.NaN);
    }

    /**
     * As {@link #checkStep(long, double, List)}, given gradNorm = GradClip.norm(params): a finite norm proves every
     * gradient finite, and the scan runs only otherwise (pass NaN to always scan).
     */
    public static void checkStep(long step, double loss, List<Tensor> params, double gradNorm) {
        if (!Double.isFinite(loss)) {
            throw new TrainingDivergedException(step, "loss", "training diverged at step " + step + ": the loss is " + loss
                    + " (tensor: loss); stopped before the update, the last checkpoint is kept (try a lower --lr)");
        }
        if (Double.isFinite(gradNorm)) return;
        for (Tensor p : params) {
            if (p.grad == null) continue;
            int bad = firstNonFinite(p.grad);
            if (bad >= 0) {
                throw new TrainingDivergedException(step, p.name, "training diverged at step " + step + ": the gradient of "
                        + p.name + " is " + p.grad[bad] + " at element " + bad + " (loss " + loss
                        + "); stopped before the update, the last checkpoint is kept (try a lower --lr)");
            }
        }
    }

    /** Throws when a parameter value is NaN or infinite (called before saving a checkpoint after `step`). */
    public static void checkParameters(long step, List<Tensor> params) {
        for (Tensor p : params) {
            int bad = firstNonFinite(p.data);
            if (bad >= 0) {
                throw new TrainingDivergedException(step, p.name, "training diverged at step " + step + ": parameter "
                        + p.name + " is " + p.data[bad] + " at element " + bad
                        + " after the update; not checkpointed, the last checkpoint is kept (try a lower --lr)");
            }
        }
    }

    /** Index of the first NaN or infinity in `x`, or -1. */
    static int firstNonFinite(float[] x) {
        for (int i = 0; i < x.length; i++) if (!Float.isFinite(x[i])) return i;
        return -1;
    }
}
