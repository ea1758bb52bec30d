package mediswift4j.nn;

import mediswift4j.tensor.Simd;
import mediswift4j.util.Rng;

/**
 * Static unstructured sparsity masks, drawn once before pre-training and never changed.
 *
 * A mask is a byte per weight: 1 keeps the weight, 0 masks it (the weight is held at exactly zero). For a tensor of
 * n weights and sparsity s, exactly k = floor(s * n + 0.5) weights are masked (s * n computed in float64), chosen
 * uniformly at random without replacement by a partial Fisher-Yates shuffle driven by the stream
 * Rng.derive(seed, label, 0):
 *
 *   perm = [0, 1, ..., n-1]
 *   for i in 0 .. k-1:  j = i + nextLong(n - i);  swap perm[i], perm[j]
 *   masked positions = perm[0 .. k-1]   (flat row-major indices into the tensor)
 *
 * SPEC.md section 7 says this and gives test vectors.
 */
public final class Masks {
    private Masks() {}

    /** Number of masked weights: floor(s * n + 0.5). */
    public static long maskedCount(long n, double sparsity) {
        if (!(sparsity >= 0 && sparsity < 1)) throw new IllegalArgumentException("sparsity must be in [0, 1), got " + sparsity);
        return (long) Math.floor(sparsity * n + 0.5);
    }

    /** A mask of n entries (1 keep, 0 masked) with exactly maskedCount(n, s) zeros, from the stream (seed, label). */
    public static byte[] random(long seed, String label, int n, double sparsity) {
        int k = (int) maskedCount(n, sparsity);
        byte[] keep = new byte[n];
        java.util.Arrays.fill(keep, (byte) 1);
        if (k == 0) return keep;
        Rng rng = Rng.derive(seed, label, 0);
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) perm[i] = i;
        for (int i = 0; i < k; i++) {
            int j = i + (int) rng.nextLong(n - i);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
            keep[perm[i]] = 0;
        }
        return keep;
    }

    /** The first `count` masked positions in draw order (for SPEC test vectors). */
    public static int[] firstMaskedPositions(long seed, String label, int n, double sparsity, int count) {
        int k = (int) Math.min(count, maskedCount(n, sparsity));
        Rng rng = Rng.derive(seed, label, 0);
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) perm[i] = i;
        int[] out = new int[k];
        for (int i = 0; i < k; i++) {
            int j = i + (int) rng.nextLong(n - i);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
            out[i] = perm[i];
        }
        return out;
    }

    /** weights[i] = 0 wherever keep[i] == 0 (vectorized by MaskSimd when the Vector API is loaded). */
    public static void apply(float[] weights, byte[] keep) {
        if (keep.length < weights.length) {
            throw new IllegalArgumentException("mask has " + keep.length + " entries, weights " + weights.length);
        }
        if (SIMD) {
            MaskSimd.apply(weights, keep);
        } else {
            applyPlain(weights, keep);
        }
    }

    private static final boolean SIMD = Simd.ENABLED && MaskSimd.USABLE;

    /** The plain twin of MaskSimd.apply. */
    static void applyPlain(float[] weights, byte[] keep) {
        for (int i = 0; i < weights.length; i++) if (keep[i] == 0) weights[i] = 0f;
    }

    public static long zeros(byte[] keep) {
        long z = 0;
        for (byte b : keep) if (b == 0) z++;
        return z;
    }
}
