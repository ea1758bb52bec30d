package mediswift4j.nn;

import java.util.Arrays;

import mediswift4j.autograd.Autograd;
import mediswift4j.tensor.Tensor;
import mediswift4j.util.Rng;

/**
 * Autoregressive sampling (SPEC.md section 6). No KV cache: each new token re-runs the model on the last
 * min(length, context) tokens, which is simple and fast enough for the small models.
 *
 * Per new token, from the last position's logits z (V): temperature 0 picks argmax (lowest id on ties).
 * Otherwise z / temperature; with top-k > 0 only the k largest logits stay (ties broken by lower id);
 * p = softmax in float64 over the kept ids in increasing id order; u = rng.nextDouble(); the token is the first
 * kept id whose cumulative p exceeds u (the last kept id if rounding leaves none).
 */
public final class Generator {
    private Generator() {}

    /** Returns prompt followed by up to maxTokens sampled ids; stops after stopId (if >= 0) is produced. */
    public static int[] generate(Gpt model, int[] prompt, int maxTokens, double temperature, int topK, Rng rng, int stopId) {
        if (prompt.length == 0) throw new IllegalArgumentException("the prompt has no tokens");
        int ctx = model.config().contextLength();
        int[] seq = Arrays.copyOf(prompt, prompt.length + maxTokens);
        int len = prompt.length;
        try (var g = Autograd.noGrad()) {
            for (int n = 0; n < maxTokens; n++) {
                int start = Math.max(0, len - ctx), t = len - start;
                Tensor logits = model.logits(Arrays.copyOfRange(seq, start, len), 1, t);
                int v = logits.dim(-1);
                float[] z = Arrays.copyOfRange(logits.data, (t - 1) * v, t * v);
                int next = sample(z, temperature, topK, rng);
                seq[len++] = next;
                if (next == stopId) break;
            }
        }
        return Arrays.copyOf(seq, len);
    }

    public static int sample(float[] z, double temperature, int topK, Rng rng) {
        int v = z.length;
        if (temperature <= 0) {
            int best = 0;
            for (int j = 1; j < v; j++) if (z[j] > z[best]) best = j;
            return best;
        }
        boolean[] kept = new boolean[v];
        if (topK > 0 && topK < v) {
            Integer[] order = new Integer[v];
            for (int j = 0; j < v; j++) order[j] = j;
            Arrays.sort(order, (a, b) -> z[a] != z[b] ? Float.compare(z[b], z[a]) : Integer.compare(a, b));
            for (int j = 0; j < topK; j++) kept[order[j]] = true;
        } else {
            Arrays.fill(kept, true);
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < v; j++) if (kept[j]) max = Math.max(max, z[j] / temperature);
        double[] p = new double[v];
        double sum = 0;
        for (int j = 0; j < v; j++) if (kept[j]) sum += p[j] = Math.exp(z[j] / temperature - max);
        double u = rng.nextDouble(), acc = 0;
        int last = -1;
        for (int j = 0; j < v; j++) {
            if (!kept[j]) continue;
            acc += p[j] / sum;
            last = j;
            if (acc > u) return j;
        }
        return last;
    }
}
