package mediswift4j.optim;

import java.util.ArrayList;
import java.util.List;

import mediswift4j.autograd.PointwiseKernels;
import mediswift4j.tensor.Parallel;
import mediswift4j.tensor.Tensor;

/**
 * Gradient clipping by global norm (SPEC.md section 8): norm = sqrt(sum over every parameter element of g^2),
 * accumulated in float64; if norm > maxNorm every gradient is multiplied by (float)(maxNorm / (norm + 1e-6)).
 *
 * Summation order (fixed, so the norm is the same for any thread count): every parameter's gradient is cut into
 * blocks of {@link #BLOCK} elements; a block's sum of g^2 is sixteen interleaved partial sums (element i of the
 * block goes to sum i mod 16; the partials combined as a balanced tree, then the last (block length mod 16)
 * elements in order: autograd.PointwiseKernels.sum's order); block sums are added in parameter order, then block
 * order. Blocks are independent, so they are spread over threads (and vectorized when tensor.Simd.ENABLED).
 */
public final class GradClip {
    private GradClip() {}

    /** Elements per block of the sum of squares. */
    static final int BLOCK = 1 << 16;

    /** Returns the norm before clipping. */
    public static double clip(List<Tensor> params, double maxNorm) {
        double norm = norm(params);
        scale(params, norm, maxNorm);
        return norm;
    }

    /**
     * The global norm of the gradients, in the order of the class comment. It is finite exactly when every
     * gradient element is: the squares of float values and their sums cannot overflow a float64.
     */
    public static double norm(List<Tensor> params) {
        List<float[]> grads = gradients(params);
        List<int[]> blocks = blocks(grads);
        double[] blockSums = new double[blocks.size()];
        Parallel.forRange(blocks.size(), 2, (b0, b1) -> {
            for (int b = b0; b < b1; b++) {
                int[] blk = blocks.get(b);
                blockSums[b] = sumOfSquares(grads.get(blk[0]), blk[1], blk[2]);
            }
        });
        double sq = 0;
        for (double s : blockSums) sq += s;
        return Math.sqrt(sq);
    }

    /** Multiplies every gradient by (float)(maxNorm / (norm + 1e-6)) when maxNorm > 0 and norm > maxNorm. */
    public static void scale(List<Tensor> params, double norm, double maxNorm) {
        if (!(maxNorm > 0 && norm > maxNorm)) return;
        List<float[]> grads = gradients(params);
        List<int[]> blocks = blocks(grads);
        float scale = (float) (maxNorm / (norm + 1e-6));
        Parallel.forRange(blocks.size(), 2, (b0, b1) -> {
            for (int b = b0; b < b1; b++) {
                int[] blk = blocks.get(b);
                float[] g = grads.get(blk[0]);
                for (int i = blk[1]; i < blk[2]; i++) g[i] *= scale;
            }
        });
    }

    private static List<float[]> gradients(List<Tensor> params) {
        List<float[]> grads = new ArrayList<>();
        for (Tensor p : params) if (p.grad != null) grads.add(p.grad);
        return grads;
    }

    /** {gradient index, from, to} for every BLOCK of every gradient, in order. */
    private static List<int[]> blocks(List<float[]> grads) {
        List<int[]> blocks = new ArrayList<>();
        for (int i = 0; i < grads.size(); i++) {
            for (int from = 0; from < grads.get(i).length; from += BLOCK) {
                blocks.add(new int[] {i, from, Math.min(grads.get(i).length, from + BLOCK)});
            }
        }
        return blocks;
    }

    /** sum of (double) g[i]^2 over [from, to), in PointwiseKernels.sumOfSquares' order (see the class comment). */
    static double sumOfSquares(float[] g, int from, int to) {
        return PointwiseKernels.sumOfSquares(g, from, to - from);
    }
}
