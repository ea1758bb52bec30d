package mediswift4j.data;

import mediswift4j.util.Rng;

/**
 * Training and validation sequences from a token array (SPEC.md section 8).
 *
 * Training: each of the B rows of a micro-batch is a contiguous window of T + 1 tokens starting at
 * off = rng.nextLong(S - T) over the training part [0, S) -- drawn row after row from the run's one data stream
 * Rng.derive(seed, "data", 0), whose state is saved in checkpoints. inputs = tokens[off, off + T),
 * targets = tokens[off + 1, off + T + 1).
 *
 * Validation: no randomness. Window k starts at S + k T (k = 0, 1, ...) while it fits in [S, N) with its T + 1
 * tokens, up to a maximum count; the validation loss is the mean of the windows' mean cross-entropies.
 */
public final class Batches {
    private Batches() {}

    /** Fills inputs and targets (B*T each) with B random windows from tokens[0, trainEnd). */
    public static void sample(int[] tokens, int trainEnd, int b, int t, Rng rng, int[] inputs, int[] targets) {
        if (trainEnd < t + 1) {
            throw new IllegalArgumentException("the training split has " + trainEnd + " tokens, fewer than one sequence of " + (t + 1));
        }
        for (int r = 0; r < b; r++) {
            int off = (int) rng.nextLong(trainEnd - t);
            System.arraycopy(tokens, off, inputs, r * t, t);
            System.arraycopy(tokens, off + 1, targets, r * t, t);
        }
    }

    /** Start offsets of the validation windows: S + k T for k = 0 .. while S + k T + T + 1 <= N, at most max. */
    public static int[] validationWindows(int validationStart, int n, int t, int max) {
        int count = 0;
        while (count < max && (long) validationStart + (long) count * t + t + 1 <= n) count++;
        int[] out = new int[count];
        for (int k = 0; k < count; k++) out[k] = validationStart + k * t;
        return out;
    }

    /** Fills inputs/targets for windows[from, from + rows). */
    public static void windows(int[] tokens, int[] starts, int from, int rows, int t, int[] inputs, int[] targets) {
        for (int r = 0; r < rows; r++) {
            int off = starts[from + r];
            System.arraycopy(tokens, off, inputs, r * t, t);
            System.arraycopy(tokens, off + 1, targets, r * t, t);
        }
    }
}
