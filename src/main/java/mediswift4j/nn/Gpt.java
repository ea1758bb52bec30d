package mediswift4j.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import mediswift4j.autograd.AttentionOp;
import mediswift4j.autograd.ElementwiseOps;
import mediswift4j.autograd.EmbeddingOps;
import mediswift4j.autograd.LossOps;
import mediswift4j.autograd.MatmulOps;
import mediswift4j.autograd.NormOps;
import mediswift4j.autograd.ShapeOps;
import mediswift4j.tensor.Tensor;
import mediswift4j.util.Rng;

/**
 * A GPT-2/GPT-3-shaped decoder-only transformer (SPEC.md section 6):
 *
 *   x = wte[ids] + wpe[0..T)                                   (B, T, C)
 *   for each of the L blocks (pre-LayerNorm):
 *       x = x + attn.c_proj( causalSelfAttention( attn.c_attn( ln_1(x) ) ) )    c_attn: C -> 3C packed [q|k|v]
 *       x = x + mlp.c_proj( gelu( mlp.c_fc( ln_2(x) ) ) )                        c_fc: C -> 4C, c_proj: 4C -> C
 *   logits = ln_f(x) wte^T                                     (B, T, V), LM head tied to the token embedding
 *
 * Every linear layer has a bias. The six weight matrices per block (q, k, v, attention output, MLP in, MLP out)
 * are {@link MaskedLinear}s and may carry static sparsity masks ({@link ModelMasks}); q, k and v share the packed
 * c_attn tensor but are masked as three separate tensors. Parameter names follow GPT-2 / Hugging Face, with W
 * stored (OUT, IN) like nn.Linear (GPT-2's Conv1D stores the transpose).
 *
 * For fine-tuning with soft prompts: {@link #tokenEmbeddings} and {@link #forwardEmbeddings} split the forward
 * pass so that learned vectors can be concatenated with the token embeddings before position embeddings are added.
 */
public final class Gpt {
    /** Standard deviation of the normal initialisation of every weight matrix and embedding. */
    public static final float INIT_STD = 0.02f;

    /** One transformer block's parameters. */
    public static final class Block {
        public final Tensor ln1Weight, ln1Bias, ln2Weight, ln2Bias;
        public final MaskedLinear attnQkv, attnProj, mlpFc, mlpProj;

        Block(int i, int c) {
            String p = "h." + i + ".";
            ln1Weight = Tensor.parameter(p + "ln_1.weight", c);
            ln1Bias = Tensor.parameter(p + "ln_1.bias", c);
            attnQkv = new MaskedLinear(p + "attn.c_attn", c, 3 * c);
            attnProj = new MaskedLinear(p + "attn.c_proj", c, c);
            ln2Weight = Tensor.parameter(p + "ln_2.weight", c);
            ln2Bias = Tensor.parameter(p + "ln_2.bias", c);
            mlpFc = new MaskedLinear(p + "mlp.c_fc", c, 4 * c);
            mlpProj = new MaskedLinear(p + "mlp.c_proj", 4 * c, c);
        }

        List<Tensor> parameters() {
            return List.of(ln1Weight, ln1Bias, attnQkv.weight, attnQkv.bias, attnProj.weight, attnProj.bias,
                    ln2Weight, ln2Bias, mlpFc.weight, mlpFc.bias, mlpProj.weight, mlpProj.bias);
        }
    }

    private final ModelConfig config;
    public final Tensor wte; // (V, C), also the LM head
    public final Tensor wpe; // (contextLength, C)
    public final List<Block> blocks;
    public final Tensor lnfWeight, lnfBias;
    private final List<Tensor> parameters;
    private final Map<String, Tensor> byName = new LinkedHashMap<>();

    private float dropout = 0f;
    private Rng dropoutRng;
    private boolean training = false;

    /** Allocates the parameters, all zero; call {@link #initialize} or load them. */
    public Gpt(ModelConfig config) {
        this.config = config;
        int c = config.dModel();
        wte = Tensor.parameter("wte.weight", config.vocabSize(), c);
        wpe = Tensor.parameter("wpe.weight", config.contextLength(), c);
        List<Block> bs = new ArrayList<>();
        for (int i = 0; i < config.layers(); i++) bs.add(new Block(i, c));
        blocks = Collections.unmodifiableList(bs);
        lnfWeight = Tensor.parameter("ln_f.weight", c);
        lnfBias = Tensor.parameter("ln_f.bias", c);
        List<Tensor> ps = new ArrayList<>();
        ps.add(wte);
        ps.add(wpe);
        for (Block b : blocks) ps.addAll(b.parameters());
        ps.add(lnfWeight);
        ps.add(lnfBias);
        parameters = Collections.unmodifiableList(ps);
        for (Tensor t : ps) byName.put(t.name, t);
    }

    public ModelConfig config() {
        return config;
    }

    /** Every parameter in the canonical order: wte, wpe, block 0 .. L-1 (ln_1, c_attn, c_proj, ln_2, c_fc, c_proj), ln_f. */
    public List<Tensor> parameters() {
        return parameters;
    }

    /** The parameter with this GPT-2 name, or null. */
    public Tensor parameter(String name) {
        return byName.get(name);
    }

    /** The four maskable linear layers of every block, in order (c_attn, attn.c_proj, c_fc, mlp.c_proj). */
    public List<MaskedLinear> maskedLayers() {
        List<MaskedLinear> out = new ArrayList<>();
        for (Block b : blocks) out.addAll(List.of(b.attnQkv, b.attnProj, b.mlpFc, b.mlpProj));
        return out;
    }

    /**
     * Uses this kernel for every maskable layer; null means MaskedLinear.DENSE, the default. Training and loading
     * build models through train.Models, which installs sparse.CompressedKernel in AUTO mode: compressed where a
     * layer's mask is sparse enough to pay, dense elsewhere (including every layer once masks are cleared for
     * fine-tuning).
     */
    public void setKernel(MaskedLinear.Kernel kernel) {
        for (MaskedLinear l : maskedLayers()) l.setKernel(kernel);
    }

    /**
     * Initialisation (SPEC.md section 6). Each parameter draws from its own stream Rng.derive(seed, "init." + name, 0)
     * in row-major order: embeddings and weight matrices N(0, 0.02), except the residual output projections
     * (attn.c_proj, mlp.c_proj) N(0, 0.02 / sqrt(2 L)); biases 0; LayerNorm weights 1 and biases 0. Masks
     * already installed are re-applied.
     */
    public void initialize(long seed) {
        float residualStd = (float) (INIT_STD / Math.sqrt(2.0 * config.layers()));
        for (Tensor p : parameters) {
            String n = p.name;
            if (n.endsWith(".bias")) {
                java.util.Arrays.fill(p.data, 0f);
            } else if (n.contains("ln_")) {
                java.util.Arrays.fill(p.data, 1f);
            } else {
                float std = n.endsWith("c_proj.weight") ? residualStd : INIT_STD;
                p.fillNormal(Rng.derive(seed, "init." + n, 0), 0f, std);
            }
        }
        for (MaskedLinear l : maskedLayers()) l.applyMask();
    }

    /** Dropout probability applied to the embedding sum and both residual branches while training (default 0). */
    public void setDropout(float p, Rng rng) {
        if (p < 0f || p >= 1f) throw new IllegalArgumentException("dropout must be in [0, 1), got " + p);
        this.dropout = p;
        this.dropoutRng = rng;
    }

    /** Training mode enables dropout; evaluation mode (the default) disables it. */
    public void setTraining(boolean on) {
        this.training = on;
    }

    public boolean isTraining() {
        return training;
    }

    private Tensor drop(Tensor x) {
        if (!training || dropout == 0f) return x;
        return ElementwiseOps.dropout(x, dropout, dropoutRng);
    }

    // ---------------------------------------------------------------- forward

    /** wte[ids] as (B, T, C); ids has B*T entries. */
    public Tensor tokenEmbeddings(int[] ids, int b, int t) {
        return EmbeddingOps.embedding(wte, ids, b, t);
    }

    /** Input embeddings x (B, T, C) (token embeddings, possibly with soft-prompt vectors) -> logits (B, T, V). */
    public Tensor forwardEmbeddings(Tensor x) {
        return lmHead(hidden(x));
    }

    /** Input embeddings x (B, T, C) -> final hidden states ln_f(...) (B, T, C). Adds wpe[0..T). */
    public Tensor hidden(Tensor x) {
        if (x.rank() != 3 || x.dim(2) != config.dModel()) {
            throw new IllegalArgumentException("hidden: input embeddings must be (B, T, " + config.dModel() + "), got " + x.shapeString());
        }
        int t = x.dim(1);
        if (t > config.contextLength()) {
            throw new IllegalArgumentException("sequence length " + t + " exceeds the context length " + config.contextLength());
        }
        Tensor pos = ShapeOps.slice(wpe, 0, 0, t);                // (T, C)
        Tensor h = drop(ElementwiseOps.add(x, pos));               // (B, T, C)
        for (Block blk : blocks) {
            Tensor a = NormOps.layerNorm(h, blk.ln1Weight, blk.ln1Bias);
            Tensor qkv = blk.attnQkv.forward(a);                   // (B, T, 3C)
            Tensor att = AttentionOp.causalSelfAttention(qkv, config.heads()); // (B, T, C)
            h = ElementwiseOps.add(h, drop(blk.attnProj.forward(att)));
            Tensor m = NormOps.layerNorm(h, blk.ln2Weight, blk.ln2Bias);
            Tensor f = ElementwiseOps.gelu(blk.mlpFc.forward(m));  // (B, T, 4C)
            h = ElementwiseOps.add(h, drop(blk.mlpProj.forward(f)));
        }
        return NormOps.layerNorm(h, lnfWeight, lnfBias);
    }

    /** Tied LM head: hidden (B, T, C) -> logits (B, T, V) = hidden wte^T (no bias). */
    public Tensor lmHead(Tensor hidden) {
        return MatmulOps.linear(hidden, wte, null);
    }

    /** ids (B*T) -> logits (B, T, V). */
    public Tensor logits(int[] ids, int b, int t) {
        return forwardEmbeddings(tokenEmbeddings(ids, b, t));
    }

    /** Mean next-token cross-entropy of ids (B*T) against targets (B*T); targets equal to -1 are ignored. */
    public Tensor loss(int[] ids, int[] targets, int b, int t) {
        Tensor logits = logits(ids, b, t);
        return LossOps.crossEntropy(logits, targets, -1); // (B, T, V) read as B*T rows: no reshape (and no grad copy)
    }

    /** log p(targets[i] | position i) for every position, shape (N), differentiable (see {@link LogProbs}). */
    public static Tensor tokenLogProbs(Tensor logits, int[] targets) {
        return LogProbs.gather(logits, targets);
    }
}
