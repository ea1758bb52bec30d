package mediswift4j.autograd;

import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import mediswift4j.tensor.Tensor;
import mediswift4j.util.Rng;

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
}
