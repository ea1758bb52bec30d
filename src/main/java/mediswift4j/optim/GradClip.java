package mediswift4j.optim;

import java.util.List;

import mediswift4j.tensor.Tensor;

/**
 * Gradient clipping by global norm (SPEC.md section 8): norm = sqrt(sum over every parameter element of g^2),
 * accumulated in float64; if norm > maxNorm every gradient is multiplied by (float)(maxNorm / (norm + 1e-6)).
 */
public final class GradClip {
    private GradClip() {}

    /** Returns the norm before clipping. */
    public static double clip(List<Tensor> params, double maxNorm) {
        double sq = 0;
        for (Tensor p : params) {
            if (p.grad == null) continue;
            for (float g : p.grad) sq += (double) g * g;
        }
        double norm = Math.sqrt(sq);
        if (maxNorm > 0 && norm > maxNorm) {
            float scale = (float) (maxNorm / (norm + 1e-6));
            for (Tensor p : params) {
                if (p.grad == null) continue;
                float[] g = p.grad;
                for (int i = 0; i < g.length; i++) g[i] *= scale;
            }
        }
        return norm;
    }
}
