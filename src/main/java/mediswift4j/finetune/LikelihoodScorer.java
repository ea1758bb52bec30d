package mediswift4j.finetune;

import java.util.ArrayList;
import java.util.List;

import mediswift4j.autograd.Autograd;
import mediswift4j.autograd.EmbeddingOps;
import mediswift4j.autograd.ShapeOps;
import mediswift4j.nn.Gpt;
import mediswift4j.nn.LogProbs;
import mediswift4j.tensor.Tensor;

/**
 * Scores continuations and generates text with a (fine-tuned) model, batched, without gradients.
 *
 * score: for each example (prompt, target) the sum over the target tokens of log p(t_j | everything before it,
 * soft prompt included), natural log, per-token values from LogProbs (float64 log-sum-exp) summed in float64.
 * No length normalization: a candidate's score is its summed log-probability.
 *
 * generate: greedy decoding (argmax, lowest id on ties) of up to maxNew tokens after prompt + soft prompt,
 * stopping at `stopId` (not included) or when the sequence reaches seqLen. Every step re-runs the whole sequence
 * (no key/value cache); rows of a batch that have stopped are dropped from later steps.
 */
public final class LikelihoodScorer {
    private LikelihoodScorer() {}

    /** Sequences per forward pass when scoring or generating. */
    public static final int BATCH = 24;

    /** Summed target log-probability of every example, in order. */
    public static double[] score(Gpt model, SoftPrompt sp, List<TaskExample> examples) {
        double[] out = new double[examples.size()];
        try (var g = Autograd.noGrad()) {
            for (int from = 0; from < examples.size(); from += BATCH) {
                List<TaskExample> chunk = examples.subList(from, Math.min(examples.size(), from + BATCH));
                ExampleBatch b = ExampleBatch.of(chunk, sp.length());
                Tensor lp = LogProbs.gather(b.targetLogits(model, sp), b.rowTargets); // (N)
                for (int k = 0; k < b.rows.length; k++) out[from + b.rowExample[k]] += lp.data[k];
            }
        }
        return out;
    }

    /** Greedy continuations (token ids, without the stop token) of every prompt, in order. */
    public static List<int[]> generate(Gpt model, SoftPrompt sp, List<int[]> prompts, int maxNew, int stopId, int seqLen) {
        List<int[]> out = new ArrayList<>();
        int p = sp.length(), c = model.config().dModel(), v = model.config().vocabSize();
        try (var g = Autograd.noGrad()) {
            for (int from = 0; from < prompts.size(); from += BATCH) {
                int n = Math.min(BATCH, prompts.size() - from);
                List<List<Integer>> gen = new ArrayList<>();
                boolean[] done = new boolean[n];
                for (int i = 0; i < n; i++) gen.add(new ArrayList<>());
                for (int step = 0; step < maxNew; step++) {
                    List<Integer> active = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        if (!done[i] && prompts.get(from + i).length + p + gen.get(i).size() < seqLen + 1) active.add(i);
                        else done[i] = true;
                    }
                    if (active.isEmpty()) break;
                    int b = active.size(), t = 0;
                    for (int i : active) t = Math.max(t, prompts.get(from + i).length + p + gen.get(i).size());
                    if (t > seqLen) break;
                    int[] ids = new int[b * t], soft = new int[b], last = new int[b];
                    for (int r = 0; r < b; r++) {
                        int i = active.get(r);
                        int[] pr = prompts.get(from + i);
                        System.arraycopy(pr, 0, ids, r * t, pr.length);
                        soft[r] = pr.length;
                        List<Integer> gi = gen.get(i);
                        for (int j = 0; j < gi.size(); j++) ids[r * t + pr.length + p + j] = gi.get(j);
                        last[r] = r * t + pr.length + p + gi.size() - 1;
                    }
                    Tensor h = model.hidden(sp.embed(model, ids, soft, b, t));
                    Tensor logits = model.lmHead(EmbeddingOps.embedding(ShapeOps.reshape(h, b * t, c), last, b)); // (b, V)
                    for (int r = 0; r < b; r++) {
                        int best = 0;
                        for (int j = 1; j < v; j++) if (logits.data[r * v + j] > logits.data[r * v + best]) best = j;
                        int i = active.get(r);
                        if (best == stopId) done[i] = true;
                        else gen.get(i).add(best);
                    }
                }
                for (int i = 0; i < n; i++) out.add(gen.get(i).stream().mapToInt(Integer::intValue).toArray());
            }
        }
        return out;
    }
}
