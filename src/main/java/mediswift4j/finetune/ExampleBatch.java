package mediswift4j.finetune;

import java.util.List;

import mediswift4j.autograd.EmbeddingOps;
import mediswift4j.autograd.ShapeOps;
import mediswift4j.nn.Gpt;
import mediswift4j.tensor.Tensor;

/**
 * A batch of examples packed for one forward pass, right-padded (SPEC.md section 12).
 *
 * Example i with m prompt tokens, P soft-prompt positions and k target tokens becomes an input of
 * L = m + P + k - 1 positions (the last target token is only predicted, never fed):
 *
 *   ids      p_1 .. p_m | 0 x P | t_1 .. t_{k-1} | 0 (padding up to T = the longest L in the batch)
 *   targets  -1 at every position except position m + P - 1 + j, whose target is t_{j+1} (j = 0 .. k-1)
 *
 * so the loss sees only target tokens; prompt, soft-prompt and padding positions have the ignore index -1.
 * Right padding never changes a real position's output (attention is causal). The LM head is applied only to
 * the hidden states of target positions (gathered by row), which saves most of the V-wide work.
 */
final class ExampleBatch {
    final int b, t, p;
    final int[] ids;       // (B*T)
    final int[] targets;   // (B*T), -1 = ignored
    final int[] softStart; // (B) position of the first soft vector of each row (= its prompt length)
    final int[] rows;      // (N) flat positions b*T + t whose target is not -1, in row-major order
    final int[] rowTargets;// (N) their targets
    final int[] rowExample;// (N) which example of the batch each belongs to
    final long realTokens; // positions that are not padding

    private ExampleBatch(List<TaskExample> examples, int p) {
        this.p = p;
        this.b = examples.size();
        int longest = 1, n = 0;
        long real = 0;
        for (TaskExample e : examples) {
            if (e.target().length == 0) throw new IllegalArgumentException("example " + e.id() + " has no target tokens");
            if (e.prompt().length + p == 0) throw new IllegalArgumentException("example " + e.id() + ": nothing precedes the target");
            int len = e.prompt().length + p + e.target().length - 1;
            longest = Math.max(longest, len);
            n += e.target().length;
            real += len;
        }
        this.t = longest;
        this.realTokens = real;
        ids = new int[b * t];
        targets = new int[b * t];
        java.util.Arrays.fill(targets, -1);
        softStart = new int[b];
        rows = new int[n];
        rowTargets = new int[n];
        rowExample = new int[n];
        int k = 0;
        for (int i = 0; i < b; i++) {
            TaskExample e = examples.get(i);
            int m = e.prompt().length, o = i * t;
            System.arraycopy(e.prompt(), 0, ids, o, m);
            softStart[i] = m;
            int first = m + p; // position of t_1 in the input
            for (int j = 0; j < e.target().length; j++) {
                if (j < e.target().length - 1) ids[o + first + j] = e.target()[j];
                int pos = first - 1 + j;
                targets[o + pos] = e.target()[j];
                rows[k] = o + pos;
                rowTargets[k] = e.target()[j];
                rowExample[k] = i;
                k++;
            }
        }
    }

    static ExampleBatch of(List<TaskExample> examples, int softPromptLength) {
        if (examples.isEmpty()) throw new IllegalArgumentException("empty batch");
        return new ExampleBatch(examples, softPromptLength);
    }

    /** Logits (N, V) at the target positions, in row-major order (differentiable). */
    Tensor targetLogits(Gpt model, SoftPrompt sp) {
        int c = model.config().dModel();
        Tensor x = sp.embed(model, ids, softStart, b, t);                        // (B, T, C)
        Tensor h = model.hidden(x);                                              // (B, T, C)
        Tensor picked = EmbeddingOps.embedding(ShapeOps.reshape(h, b * t, c), rows, rows.length); // (N, C)
        return model.lmHead(picked);                                             // (N, V)
    }
}
