package mediswift4j.autograd;

import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import mediswift4j.tensor.Tensor;
import mediswift4j.util.Rng;

/** matmul (2-D and batched, all four transpose combinations) and linear against central finite differences. */
class MatmulOpsGradientTest {
    @Property(tries = 40)
    void matmulGradientsMatchFiniteDifferences(@ForAll @IntRange(min = 1, max = 5) int m,
                                               @ForAll @IntRange(min = 1, max = 5) int k,
                                               @ForAll @IntRange(min = 1, max = 5) int n,
                                               @ForAll boolean transA, @ForAll boolean transB,
                                               @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor a = Tensor.normal(rng, 0, 1, transA ? new int[] {k, m} : new int[] {m, k});
        Tensor b = Tensor.normal(rng, 0, 1, transB ? new int[] {n, k} : new int[] {k, n});
        assertNull(GradCheck.check(in -> MatmulOps.matmul(in.get(0), in.get(1), transA, transB), List.of(a, b), seed));
    }

    @Property(tries = 40)
    void batchedMatmulGradientsMatchFiniteDifferences(@ForAll @IntRange(min = 1, max = 3) int batch,
                                                      @ForAll @IntRange(min = 1, max = 4) int m,
                                                      @ForAll @IntRange(min = 1, max = 4) int k,
                                                      @ForAll @IntRange(min = 1, max = 4) int n,
                                                      @ForAll boolean transA, @ForAll boolean transB,
                                                      @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor a = Tensor.normal(rng, 0, 1, transA ? new int[] {batch, k, m} : new int[] {batch, m, k});
        Tensor b = Tensor.normal(rng, 0, 1, transB ? new int[] {batch, n, k} : new int[] {batch, k, n});
        assertNull(GradCheck.check(in -> MatmulOps.matmul(in.get(0), in.get(1), transA, transB), List.of(a, b), seed));
    }

    @Property(tries = 30)
    void linearGradientsMatchFiniteDifferences(@ForAll @IntRange(min = 1, max = 6) int rows,
                                               @ForAll @IntRange(min = 1, max = 5) int in,
                                               @ForAll @IntRange(min = 1, max = 5) int out,
                                               @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor x = Tensor.normal(rng, 0, 1, rows, in);
        Tensor w = Tensor.normal(rng, 0, 1, out, in);
        Tensor b = Tensor.normal(rng, 0, 1, out);
        assertNull(GradCheck.check(t -> MatmulOps.linear(t.get(0), t.get(1), t.get(2)), List.of(x, w, b), seed));
    }

    /** Without bias, and with a (B, T, IN) input as the model uses it. */
    @Property(tries = 30)
    void linearWithoutBiasOnRank3Input(@ForAll @IntRange(min = 1, max = 3) int b,
                                       @ForAll @IntRange(min = 1, max = 4) int t,
                                       @ForAll @IntRange(min = 1, max = 5) int in,
                                       @ForAll @IntRange(min = 1, max = 5) int out,
                                       @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor x = Tensor.normal(rng, 0, 1, b, t, in);
        Tensor w = Tensor.normal(rng, 0, 1, out, in);
        assertNull(GradCheck.check(v -> MatmulOps.linear(v.get(0), v.get(1), null), List.of(x, w), seed));
    }

    /** x x^T and x^T x: one tensor as both operands receives both contributions. */
    @Property(tries = 20)
    void gramMatrixOfOneTensor(@ForAll @IntRange(min = 1, max = 4) int r, @ForAll @IntRange(min = 1, max = 4) int c,
                               @ForAll boolean outer, @ForAll long seed) {
        Tensor x = Tensor.normal(new Rng(seed), 0, 1, r, c);
        assertNull(GradCheck.check(in -> MatmulOps.matmul(in.get(0), in.get(0), !outer, outer), List.of(x), seed));
    }
}
