package mediswift4j.nn;

/**
 * Parameter counts from a configuration alone, without allocating the model.
 *
 * Per block: ln_1 and ln_2 (2C each), c_attn 3C*C + 3C, attn.c_proj C*C + C, mlp.c_fc 4C*C + 4C, mlp.c_proj
 * 4C*C + C, so 12 C^2 + 13 C. Embedding parameters are wte (V*C, also the tied LM head) and wpe (context * C).
 * Non-embedding = L (12 C^2 + 13 C) + 2C (ln_f). Sparsifiable = the six weight matrices per block = 12 L C^2,
 * which is how the paper's sizes (302M, 679M, 1.21B) are stated.
 */
public record ParamCount(long total, long embedding, long nonEmbedding, long sparsifiable) {

    public static ParamCount of(ModelConfig cfg) {
        long c = cfg.dModel(), l = cfg.layers();
        long embedding = (long) cfg.vocabSize() * c + (long) cfg.contextLength() * c;
        long perBlock = 12 * c * c + 13 * c;
        long nonEmbedding = l * perBlock + 2 * c;
        long sparsifiable = l * 12 * c * c;
        return new ParamCount(embedding + nonEmbedding, embedding, nonEmbedding, sparsifiable);
    }
}
