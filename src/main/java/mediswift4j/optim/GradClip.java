package mediswift4j.optim;

import java.util.ArrayList;
import java.util.List;

import mediswift4j.tensor.Parallel;
import mediswift4j.tensor.Tensor;

/**
 * Gradient clipping by global norm (SPEC.md section 8): norm = sqrt(sum over every parameter element of g^2),
 * accumulated in float64; if norm > maxNorm every gradient is multiplied by (float)(maxNorm / (norm + 1e-6)).
 *
 * Summation order (fixed, so the norm is the same for any thread count): every parameter's gradient is cut into
 * blocks of {@link #BLOCK} elements; a block's sum of g^2 is four interleaved partial sums (element i of the block
 * goes to sum i mod 4, the last (block length mod 4) elements after (s0 + s1) + (s2 + s3), in order); block sums
 * are added in parameter order, then block order. Blocks are independent, so they are spread over threads.
 */
public final class GradClip {
    private GradClip() {}

    /** Elements per block of the sum of squares. */
    static final int BLOCK = 1 << 16;

    /** Returns the norm before clipping. */
    public static double clip(List<Tensor> params, double maxNorm) {
        List<float[]> grads = new ArrayList<>();
        List<int[]> blocks = new ArrayList<>(); // {gradient index, from, to}
        for (Tensor p : params) {
            if (p.grad == null) continue;
            grads.add(p.grad);
            for (int from = 0; from < p.grad.length; from += BLOCK) {
                blocks.add(new int[] {grads.size() - 1, from, Math.min(p.grad.length, from + BLOCK)});
            }
        }
        double[] blockSums = new double[blocks.size()];
        Parallel.forRange(blocks.size(), 2, (b0, b1) -> {
            for (int b = b0; b < b1; b++) {
                int[] blk = blocks.get(b);
                blockSums[b] = sumOfSquares(grads.get(blk[0]), blk[1], blk[2]);
            }
        });
        double sq = 0;
        for (double s : blockSums) sq += s;
        double norm = Math.sqrt(sq);
        if (maxNorm > 0 && norm > maxNorm) {
            float scale = (float) (maxNorm / (norm + 1e-6));
            Parallel.forRange(blocks.size(), 2, (b0, b1) -> {
                for (int b = b0; b < b1; b++) {
                    int[] blk = blocks.get(b);
                    float[] g = grads.get(blk[0]);
                    for (int i = blk[1]; i < blk[2]; i++) g[i] *= scale;
                }
            });
        }
        return norm;
    }

    /** sum of (double) g[i]^2 over [from, to), four interleaved partial sums (see the class comment). */
    static double sumOfSquares(float[] g, int from, int to) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = from;
        for (; i + 4 <= to; i += 4) {
            double a = g[i], b = g[i + 1], c = g[i + 2], d = g[i + 3];
            s0 += a * a;
            s1 += b * b;
            s2 += c * c;
            s3 += d * d;
        }
        double s = (s0 + s1) + (s2 + s3);
        for (; i < to; i++) s += (double) g[i] * g[i];
        return s;
    }
}
