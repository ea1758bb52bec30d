package mediswift4j.flops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import mediswift4j.nn.ModelConfig;

/**
 * The result of {@link FlopCounter#count}: every matmul of one training step of the GPT, per token, split into the
 * three passes (forward, input gradient, weight gradient), dense-equivalent and actual.
 *
 * Everything is "per token" (one position of one sequence); multiply by B*T for a step or by the token budget for a
 * whole pre-training run. Why 50% sparsity gives less than 2x: only the terms of kind SPARSE_WEIGHT shrink with
 * sparsity; the attention score/value matmuls (activation x activation) and the tied LM head stay dense, so the
 * reduction is 1 / (1 - s * f) where f = {@link #sparsifiableFraction()} is the share of dense FLOPs in masked matrices.
 */
public record FlopCount(ModelConfig config, int seqLen, double sparsity, List<Term> terms, List<Elementwise> elementwise) {

    /** What a matmul multiplies: a masked weight, a dense weight, or two activations (no weight at all). */
    public enum Kind { SPARSE_WEIGHT, DENSE_WEIGHT, ACTIVATIONS, LOOKUP }

    /**
     * One matmul per token. The dense* fields are what a dense model would do; density is 1 - s for masked weights
     * and 1 otherwise, and every pass of the term is multiplied by it (static sparsity: the mask is fixed, so the
     * forward, the input gradient and the weight gradient all skip the same zeros).
     */
    public record Term(String layer, String name, Kind kind, double denseForward, double denseInputGrad,
                       double denseWeightGrad, double density) {
        public double forward() {
            return denseForward * density;
        }

        public double inputGrad() {
            return denseInputGrad * density;
        }

        public double weightGrad() {
            return denseWeightGrad * density;
        }

        public double total() {
            return forward() + inputGrad() + weightGrad();
        }

        public double denseTotal() {
            return denseForward + denseInputGrad + denseWeightGrad;
        }
    }

    /** A non-matmul op (norm, softmax, GELU, adds): forward FLOPs per token at a nominal cost, never in the totals. */
    public record Elementwise(String layer, String name, double forward) {}

    /** The per-layer sum of the terms, in model order: embedding, block 0 .. L-1, lm_head. */
    public record LayerTotal(String layer, double forward, double inputGrad, double weightGrad, double denseTotal) {
        public double total() {
            return forward + inputGrad + weightGrad;
        }
    }

    /** Actual training FLOPs per token (forward + both backward passes). */
    public double perToken() {
        return sum(Term::total);
    }

    /** Training FLOPs per token of the same model without masks. */
    public double perTokenDense() {
        return sum(Term::denseTotal);
    }

    public double forwardPerToken() {
        return sum(Term::forward);
    }

    public double inputGradPerToken() {
        return sum(Term::inputGrad);
    }

    public double weightGradPerToken() {
        return sum(Term::weightGrad);
    }

    /** The terms' values added in table order (the order fixes the rounding of every total above). */
    private double sum(ToDoubleFunction<Term> f) {
        double s = 0;
        for (Term t : terms) s += f.applyAsDouble(t);
        return s;
    }

    /** FLOPs of one training step of `batch` sequences of seqLen tokens. */
    public double perStep(int batch) {
        return perToken() * batch * (double) seqLen;
    }

    public double perStepDense(int batch) {
        return perTokenDense() * batch * (double) seqLen;
    }

    /** Training FLOPs for a token budget (e.g. the paper's 104.86e9 tokens). */
    public double training(double tokens) {
        return perToken() * tokens;
    }

    public double trainingDense(double tokens) {
        return perTokenDense() * tokens;
    }

    /** Dense FLOPs / actual FLOPs: the "FLOP reduction" the paper reports. */
    public double reduction() {
        return perTokenDense() / perToken();
    }

    /** Share of the dense FLOPs that sit in masked matrices (the only part sparsity can remove). */
    public double sparsifiableFraction() {
        double sparse = 0;
        for (Term t : terms) if (t.kind() == Kind.SPARSE_WEIGHT) sparse += t.denseTotal();
        return sparse / perTokenDense();
    }

    /** The reduction as sparsity tends to 1: 1 / (1 - f). Attention scores and the LM head set this ceiling. */
    public double reductionLimit() {
        return 1.0 / (1.0 - sparsifiableFraction());
    }

    /** Dense training FLOPs per token of one kind (e.g. ACTIVATIONS = attention scores and values). */
    public double denseOfKind(Kind kind) {
        double s = 0;
        for (Term t : terms) if (t.kind() == kind) s += t.denseTotal();
        return s;
    }

    /** Terms summed per layer, in model order. */
    public List<LayerTotal> layers() {
        Map<String, double[]> sums = new LinkedHashMap<>();
        for (Term t : terms) {
            double[] a = sums.computeIfAbsent(t.layer(), k -> new double[4]);
            a[0] += t.forward();
            a[1] += t.inputGrad();
            a[2] += t.weightGrad();
            a[3] += t.denseTotal();
        }
        List<LayerTotal> out = new ArrayList<>();
        for (var e : sums.entrySet()) {
            double[] a = e.getValue();
            out.add(new LayerTotal(e.getKey(), a[0], a[1], a[2], a[3]));
        }
        return out;
    }

    /** The terms of one layer, in order. */
    public List<Term> termsOf(String layer) {
        List<Term> out = new ArrayList<>();
        for (Term t : terms) if (t.layer().equals(layer)) out.add(t);
        return out;
    }

    /** Sum of the informational elementwise FLOPs per token (forward only). */
    public double elementwisePerToken() {
        double s = 0;
        for (Elementwise e : elementwise) s += e.forward();
        return s;
    }
}
