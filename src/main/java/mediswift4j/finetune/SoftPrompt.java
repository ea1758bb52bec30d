package mediswift4j.finetune;

import java.util.ArrayList;
import java.util.List;

import mediswift4j.autograd.EmbeddingOps;
import mediswift4j.autograd.ShapeOps;
import mediswift4j.nn.Gpt;
import mediswift4j.tensor.Tensor;
import mediswift4j.tokenizer.BpeTokenizer;
import mediswift4j.util.InputException;
import mediswift4j.util.Rng;

/**
 * Soft prompt (prompt tuning): P learned "virtual token" vectors (P, C) placed between the prompt and the
 * target, as BioGPT does (P = 9 for PubMedQA, 1 for HoC). A sequence is
 *
 *   x = [ wte[prompt tokens] (m rows) | soft[0..P) | wte[target tokens] ]          (T, C), then + wpe as usual
 *
 * so the soft vectors take the positions m .. m+P-1 and receive position embeddings like any token. Nothing is
 * predicted at those positions (their targets are the ignore index) except that the last of them predicts the
 * first target token, exactly where the last prompt token would without a soft prompt.
 *
 * Building x for a batch (B, T) uses existing differentiable ops only: the token embeddings of the ids (with any
 * id at soft positions) and the soft vectors are stacked into one table (B*T + P, C) with concat, and the rows of
 * x are gathered from it by index (EmbeddingOps.embedding): row (b, t) is b*T + t, or B*T + j at soft position
 * j. The gather's backward scatter-adds, so each soft vector receives the sum of its gradients over the batch
 * and the token embeddings get nothing at soft positions.
 *
 * Initialization (--prompt-init): "normal" N(0, 0.02) (Gpt.INIT_STD) drawn from Rng.derive(seed, "soft_prompt", 0)
 * in row-major order; "vocab" copies rows wte[i] for P token ids drawn uniformly (nextInt(V)) from the same stream;
 * "text:TEXT" copies the embeddings of TEXT's tokens, cycling through them when TEXT has fewer than P tokens and
 * keeping the first P when it has more.
 */
public final class SoftPrompt {
    /** Name of the tensor in the fine-tuned model file. */
    public static final String NAME = "soft_prompt";
    /** The one supported position, recorded in the fine-tuned model file. */
    public static final String POSITION = "between_prompt_and_target";

    public final Tensor vectors; // (P, C)

    public SoftPrompt(Tensor vectors) {
        if (vectors.rank() != 2) throw new IllegalArgumentException("soft prompt must be (P, C), got " + vectors.shapeString());
        this.vectors = vectors;
    }

    /** P zero vectors of width C, a trainable parameter named "soft_prompt". */
    public static SoftPrompt zeros(int p, int c) {
        return new SoftPrompt(Tensor.parameter(NAME, p, c));
    }

    /** No soft prompt (P = 0). */
    public static SoftPrompt none(int c) {
        return zeros(0, c);
    }

    public int length() {
        return vectors.dim(0);
    }

    /**
     * A new soft prompt of length p initialized by `init` ("normal", "vocab" or "text:TEXT"; see the class comment).
     * tok is needed only for "text:".
     */
    public static SoftPrompt initialize(Gpt model, int p, String init, BpeTokenizer tok, long seed) {
        int c = model.config().dModel(), v = model.config().vocabSize();
        SoftPrompt sp = zeros(p, c);
        if (p == 0) return sp;
        Rng rng = Rng.derive(seed, "soft_prompt", 0);
        float[] w = model.wte.data, d = sp.vectors.data;
        if (init.equals("normal")) {
            sp.vectors.fillNormal(rng, 0f, Gpt.INIT_STD);
        } else if (init.equals("vocab")) {
            for (int j = 0; j < p; j++) System.arraycopy(w, rng.nextInt(v) * c, d, j * c, c);
        } else if (init.startsWith("text:")) {
            String text = init.substring("text:".length());
            int[] ids = tok == null ? new int[0] : tok.encode(text);
            if (ids.length == 0) throw new InputException("--prompt-init text: the text \"" + text + "\" has no tokens");
            for (int j = 0; j < p; j++) {
                int id = ids[j % ids.length];
                if (id >= v) throw new InputException("--prompt-init text: token " + id + " is outside the model's vocabulary " + v);
                System.arraycopy(w, id * c, d, j * c, c);
            }
        } else {
            throw new IllegalArgumentException("unknown prompt initialization '" + init + "' (expected normal, vocab or text:TEXT)");
        }
        return sp;
    }

    /**
     * Input embeddings x (B, T, C) for ids (B*T), with this prompt's P vectors at positions softStart[b] ..
     * softStart[b] + P - 1 of row b (the ids there are ignored). With P = 0 this is model.tokenEmbeddings.
     */
    public Tensor embed(Gpt model, int[] ids, int[] softStart, int b, int t) {
        Tensor tokens = model.tokenEmbeddings(ids, b, t); // (B, T, C)
        int p = length();
        if (p == 0) return tokens;
        int c = model.config().dModel();
        int[] rows = new int[b * t];
        for (int r = 0; r < b; r++) {
            for (int i = 0; i < t; i++) {
                int j = i - softStart[r];
                rows[r * t + i] = j >= 0 && j < p ? b * t + j : r * t + i;
            }
        }
        List<Tensor> parts = new ArrayList<>(2);
        parts.add(ShapeOps.reshape(tokens, b * t, c));
        parts.add(vectors);
        Tensor table = ShapeOps.concat(parts, 0);           // (B*T + P, C)
        return EmbeddingOps.embedding(table, rows, b, t);    // (B, T, C)
    }
}
