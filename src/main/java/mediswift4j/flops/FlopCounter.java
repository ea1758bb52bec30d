package mediswift4j.flops;

import java.util.ArrayList;
import java.util.List;

import mediswift4j.nn.ModelConfig;

/**
 * Counts the training FLOPs of the MediSwift GPT (SPEC.md section 10), per layer and per pass.
 *
 * The model: token + learned position embeddings; L pre-LayerNorm blocks, each
 *   x = x + proj(attention(qkv(ln1(x))))       qkv: C -> 3C, proj: C -> C
 *   x = x + fc2(gelu(fc1(ln2(x))))             fc1: C -> 4C, fc2: 4C -> C
 * then a final LayerNorm and the LM head C -> V, tied to the token embedding.
 *
 * The convention (Chinchilla, Hoffmann et al. 2022, appendix F, without its embedding term):
 *   - a (m x k)(k x n) matmul costs 2 m k n FLOPs; per token a linear layer IN -> OUT costs 2 IN OUT;
 *   - attention scores Q K^T and the weighted sum of values cost 2 S C each per token (S = sequence length,
 *     C = NH * HS): every token is counted against the full sequence, no causal halving;
 *   - backward = 2 x forward: a weight matmul's backward is one input-gradient and one weight-gradient matmul of the
 *     forward's size; an activation x activation matmul (attention) has two input gradients and no weight gradient;
 *   - the embedding lookup costs 0; the LM head is a dense matmul;
 *   - a masked matrix of sparsity s costs (1 - s) times its dense FLOPs in every pass;
 *   - norms, softmax, GELU, bias and residual adds are listed at nominal costs but left out of every total.
 * Biases are dense but only appear as elementwise adds, so they cost nothing in the totals.
 */
public final class FlopCounter {
    private FlopCounter() {}

    /** Count for the config's own vocabulary at sequence length seqLen and sparsity s of every masked matrix. */
    public static FlopCount count(ModelConfig config, int seqLen, double sparsity) {
        if (seqLen < 1) throw new IllegalArgumentException("sequence length must be positive, got " + seqLen);
        if (!(sparsity >= 0 && sparsity < 1)) throw new IllegalArgumentException("sparsity must be in [0, 1), got " + sparsity);
        double C = config.dModel();
        double V = config.vocabSize();
        double S = seqLen;
        double NH = config.heads();
        double density = 1.0 - sparsity;

        List<FlopCount.Term> terms = new ArrayList<>();
        List<FlopCount.Elementwise> elementwise = new ArrayList<>();

        // Embedding: a table lookup (token row + position row), no multiplications. Listed so the zero is visible.
        terms.add(new FlopCount.Term("embedding", "wte+wpe lookup", FlopCount.Kind.LOOKUP, 0, 0, 0, 1));
        elementwise.add(new FlopCount.Elementwise("embedding", "token + position add", C));

        for (int l = 0; l < config.layers(); l++) {
            String b = "block." + l;
            // (B*T, C) x (C, 3C): queries, keys, values in one masked matmul (the bias add is elementwise).
            terms.add(linear(b, "attn.qkv", C, 3 * C, density));
            // (T, HS) x (HS, T) per head: each token's query against all S keys -> 2 S HS NH = 2 S C per token.
            terms.add(activations(b, "attn.scores", 2 * S * C));
            // (T, T) x (T, HS) per head: each token's weights over all S values -> 2 S C per token.
            terms.add(activations(b, "attn.values", 2 * S * C));
            // (B*T, C) x (C, C): the output projection, masked.
            terms.add(linear(b, "attn.proj", C, C, density));
            // (B*T, C) x (C, 4C) then (B*T, 4C) x (4C, C): the MLP, both masked.
            terms.add(linear(b, "mlp.fc", C, 4 * C, density));
            terms.add(linear(b, "mlp.proj", 4 * C, C, density));

            // Nominal elementwise costs (forward only, never in totals): see SPEC.md section 10.
            elementwise.add(new FlopCount.Elementwise(b, "ln1 + ln2 (7 per element)", 2 * 7 * C));
            elementwise.add(new FlopCount.Elementwise(b, "bias adds (qkv, proj, fc, fc2)", 3 * C + C + 4 * C + C));
            elementwise.add(new FlopCount.Elementwise(b, "score scaling 1/sqrt(HS)", NH * S));
            elementwise.add(new FlopCount.Elementwise(b, "softmax (3 per score)", 3 * NH * S));
            elementwise.add(new FlopCount.Elementwise(b, "gelu (8 per element)", 8 * 4 * C));
            elementwise.add(new FlopCount.Elementwise(b, "residual adds", 2 * C));
        }

        elementwise.add(new FlopCount.Elementwise("lm_head", "ln_f (7 per element)", 7 * C));
        // (B*T, C) x (C, V): logits against the (tied, dense) token embedding. Its weight gradient is the token
        // embedding's gradient; the lookup's own gradient is a scatter-add, 0 FLOPs.
        terms.add(new FlopCount.Term("lm_head", "logits (tied wte)", FlopCount.Kind.DENSE_WEIGHT,
                2 * C * V, 2 * C * V, 2 * C * V, 1));
        elementwise.add(new FlopCount.Elementwise("lm_head", "softmax cross-entropy (3 per logit)", 3 * V));
        return new FlopCount(config, seqLen, sparsity,
                List.copyOf(terms), List.copyOf(elementwise));
    }

    /** The config's layer shape with a different vocabulary (e.g. --vocab 50257). */
    public static FlopCount count(ModelConfig config, int seqLen, int vocab, double sparsity) {
        return count(config.withVocab(vocab), seqLen, sparsity);
    }

    /**
     * A linear layer IN -> OUT per token: forward 2 IN OUT; input gradient dX = dY W is the same size; weight
     * gradient dW = dY^T X is the same size again. All three shrink by the density of the mask.
     */
    private static FlopCount.Term linear(String layer, String name, double in, double out, double density) {
        double f = 2 * in * out;
        return new FlopCount.Term(layer, name, FlopCount.Kind.SPARSE_WEIGHT, f, f, f, density);
    }

    /**
     * An activation x activation matmul (no weights, never masked): backward is the gradient with respect to both
     * operands, each the size of the forward, both counted as input gradients.
     */
    private static FlopCount.Term activations(String layer, String name, double forward) {
        return new FlopCount.Term(layer, name, FlopCount.Kind.ACTIVATIONS, forward, 2 * forward, 0, 1);
    }

    /** The paper's model-size count: 12 L C^2 weights in the blocks (what "302M" for MediSwift-Med counts). */
    public static double blockWeights(ModelConfig config) {
        double C = config.dModel();
        return 12.0 * config.layers() * C * C;
    }
}
