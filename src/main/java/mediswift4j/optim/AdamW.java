package mediswift4j.optim;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import mediswift4j.tensor.Parallel;
import mediswift4j.tensor.Simd;
import mediswift4j.tensor.Tensor;

/**
 * AdamW (Loshchilov and Hutter), PyTorch's formulation, with static masks (SPEC.md section 8).
 *
 * For step t = 1, 2, ... and every parameter element with gradient g, all arithmetic in float32 except where noted:
 *   m = beta1 * m + (1 - beta1) * g
 *   v = beta2 * v + (1 - beta2) * g * g
 *   p = p * (1 - lr * wd)                          (decoupled weight decay; wd = 0 for non-matrix parameters)
 *   p = p - stepSize * m / (sqrt(v) / bc2sqrt + eps)
 * with stepSize = (float)(lr / (1 - beta1^t)) and bc2sqrt = (float) sqrt(1 - beta2^t) computed in float64.
 * Weight decay applies to rank-2 parameters (weight matrices and embeddings), never to biases or LayerNorm.
 * Masked entries are skipped entirely: their weight stays 0 and their m and v stay 0. The plain loop updates a
 * masked parameter through the list of its kept positions (built once per mask array, O(size)), not by testing
 * every mask byte: at 75% sparsity that touches a quarter of the entries and has no unpredictable branch. The
 * Vector API twin (AdamWSimd) computes whole vectors and blends the masked lanes back to their old values. Each
 * kept entry sees the same float operations in the same order either way.
 */
public final class AdamW {
    /** Hyper-parameters; the paper's pre-training values are {@link #DEFAULTS}. */
    public record Settings(float beta1, float beta2, float eps, float weightDecay) {}

    public static final Settings DEFAULTS = new Settings(0.9f, 0.95f, 1e-8f, 0.1f);

    private final List<Tensor> params;
    private final Settings settings;
    private final Map<Tensor, byte[]> masks;
    private final float[][] m, v;
    /** kept[i]: kept positions of parameter i in increasing order, built from keptFrom[i] (its mask array). */
    private final int[][] kept;
    private final byte[][] keptFrom;
    /** keepLanes[i]: the mask of parameter i as 1f / 0f, built from keepLanesFrom[i] (Vector API update). */
    private final float[][] keepLanes;
    private final byte[][] keepLanesFrom;
    private long step;

    /** masks maps a parameter (by identity) to its keep mask; parameters absent from the map are dense. */
    public AdamW(List<Tensor> params, Map<Tensor, byte[]> masks, Settings settings) {
        this.params = List.copyOf(params);
        this.settings = settings;
        this.masks = new IdentityHashMap<>(masks);
        m = new float[params.size()][];
        v = new float[params.size()][];
        kept = new int[params.size()][];
        keptFrom = new byte[params.size()][];
        keepLanes = new float[params.size()][];
        keepLanesFrom = new byte[params.size()][];
        for (int i = 0; i < params.size(); i++) {
            m[i] = new float[params.get(i).size()];
            v[i] = new float[params.get(i).size()];
        }
    }

    public Settings settings() {
        return settings;
    }

    public List<Tensor> parameters() {
        return params;
    }

    /** Steps taken so far (t of the last update). */
    public long stepCount() {
        return step;
    }

    public float[] firstMoment(int i) {
        return m[i];
    }

    public float[] secondMoment(int i) {
        return v[i];
    }

    /** Restores state from a checkpoint: moments are copied in, the step count set. */
    public void restore(long stepCount, float[][] firstMoments, float[][] secondMoments) {
        if (firstMoments.length != params.size() || secondMoments.length != params.size()) {
            throw new IllegalArgumentException("optimizer state has " + firstMoments.length + " tensors, expected " + params.size());
        }
        for (int i = 0; i < params.size(); i++) {
            System.arraycopy(firstMoments[i], 0, m[i], 0, m[i].length);
            System.arraycopy(secondMoments[i], 0, v[i], 0, v[i].length);
        }
        this.step = stepCount;
    }

    /** Whether the update runs on the Vector API twin (AdamWSimd; same bits). Package-private for tests. */
    static boolean SIMD = Simd.ENABLED;

    /** Elements per block of work handed to a thread (each element's update is independent of every other). */
    static final int BLOCK = 1 << 14;

    /**
     * One update with learning rate lr. Parameters without a gradient buffer are left alone. The elements are cut
     * into blocks of {@link #BLOCK} (of a dense parameter's entries, or of a masked one's kept-position list) and
     * the blocks spread over threads; every element gets the same operations whoever updates it.
     */
    public void step(float lr) {
        step++;
        float b1 = settings.beta1(), b2 = settings.beta2(), eps = settings.eps();
        float stepSize = (float) (lr / (1.0 - StrictMath.pow(b1, step)));
        float bc2sqrt = (float) Math.sqrt(1.0 - StrictMath.pow(b2, step));
        List<int[]> blocks = new ArrayList<>(); // {parameter index, from, to}: entries, or indices into the kept list
        int[][] positions = new int[params.size()][];
        float[][] lanes = new float[params.size()][];
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            if (p.grad == null) continue;
            byte[] keep = masks.get(p);
            if (keep != null && SIMD) lanes[i] = keepLanes(i, keep, p.data.length);
            else if (keep != null) positions[i] = keptPositions(i, keep, p.data.length);
            int n = positions[i] == null ? p.data.length : positions[i].length;
            for (int from = 0; from < n; from += BLOCK) blocks.add(new int[] {i, from, Math.min(n, from + BLOCK)});
        }
        Parallel.forRange(blocks.size(), 1, (from, to) -> {
            for (int b = from; b < to; b++) {
                int[] blk = blocks.get(b);
                int i = blk[0];
                Tensor p = params.get(i);
                float decay = p.rank() == 2 ? 1f - lr * settings.weightDecay() : 1f;
                float[] w = p.data, g = p.grad, mi = m[i], vi = v[i];
                int[] list = positions[i];
                if (SIMD && lanes[i] == null) {
                    AdamWSimd.dense(w, g, mi, vi, blk[1], blk[2], b1, b2, decay, stepSize, bc2sqrt, eps);
                } else if (SIMD) {
                    AdamWSimd.masked(lanes[i], w, g, mi, vi, blk[1], blk[2], b1, b2, decay, stepSize, bc2sqrt, eps);
                } else if (list == null) {
                    for (int j = blk[1]; j < blk[2]; j++) update(j, w, g, mi, vi, b1, b2, decay, stepSize, bc2sqrt, eps);
                } else {
                    for (int q = blk[1]; q < blk[2]; q++) update(list[q], w, g, mi, vi, b1, b2, decay, stepSize, bc2sqrt, eps);
                }
            }
        });
    }

    /** The rule of the class comment for entry j of one parameter (w weights, g gradient, m and v moments). */
    static void update(int j, float[] w, float[] g, float[] m, float[] v, float b1, float b2, float decay,
                               float stepSize, float bc2sqrt, float eps) {
        float gj = g[j];
        m[j] = b1 * m[j] + (1f - b1) * gj;
        v[j] = b2 * v[j] + (1f - b2) * gj * gj;
        w[j] = w[j] * decay;
        w[j] = w[j] - stepSize * m[j] / ((float) Math.sqrt(v[j]) / bc2sqrt + eps);
    }

    /**
     * The mask of parameter i as floats (1 kept, 0 masked) for the Vector API update, cached per mask array: a
     * masked parameter is updated a whole vector at a time and the masked lanes are blended back to their old
     * values (so they are still untouched). Gathering the kept positions instead ran through the Vector API's
     * Java fallback on JDK 17 and was slower than the scalar loop.
     */
    private float[] keepLanes(int i, byte[] keep, int n) {
        if (keepLanesFrom[i] != keep) {
            float[] f = new float[n];
            for (int j = 0; j < n; j++) f[j] = keep[j] != 0 ? 1f : 0f;
            keepLanes[i] = f;
            keepLanesFrom[i] = keep;
        }
        return keepLanes[i];
    }

    /** Kept positions (keep[j] != 0, j < n) of parameter i, cached per mask array. */
    private int[] keptPositions(int i, byte[] keep, int n) {
        if (keptFrom[i] != keep) {
            int count = 0;
            for (int j = 0; j < n; j++) if (keep[j] != 0) count++;
            int[] list = new int[count];
            for (int j = 0, k = 0; j < n; j++) if (keep[j] != 0) list[k++] = j;
            kept[i] = list;
            keptFrom[i] = keep;
        }
        return kept[i];
    }
}
