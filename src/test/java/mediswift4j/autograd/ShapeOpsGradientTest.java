package mediswift4j.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import mediswift4j.tensor.Tensor;
import mediswift4j.util.Rng;

/** reshape, transpose, slice, concat, sum and mean against central finite differences. */
class ShapeOpsGradientTest {
    @Property(tries = 20)
    void reshape(@ForAll @IntRange(min = 1, max = 3) int a, @ForAll @IntRange(min = 1, max = 3) int b,
                 @ForAll @IntRange(min = 1, max = 4) int c, @ForAll long seed) {
        Tensor x = Tensor.normal(new Rng(seed), 0, 1, a, b, c);
        assertNull(GradCheck.check(in -> ShapeOps.reshape(in.get(0), c, -1), List.of(x), seed));
        // a reshaped tensor used next to its source: both gradients reach x
        assertNull(GradCheck.check(in -> ElementwiseOps.mul(ShapeOps.reshape(in.get(0), a * b, c),
                ShapeOps.reshape(in.get(0), a * b, c)), List.of(x), seed));
    }

    @Property(tries = 20)
    void transpose(@ForAll @IntRange(min = 1, max = 2) int batch, @ForAll @IntRange(min = 1, max = 4) int r,
                   @ForAll @IntRange(min = 1, max = 4) int c, @ForAll boolean rank3, @ForAll long seed) {
        Tensor x = Tensor.normal(new Rng(seed), 0, 1, rank3 ? new int[] {batch, r, c} : new int[] {r, c});
        assertNull(GradCheck.check(in -> ShapeOps.transpose(in.get(0)), List.of(x), seed));
        Tensor y = ShapeOps.transpose(x);
        assertEquals(x.data[x.size() - 1], y.data[y.size() - 1]);
        assertEquals(x.data[c - 1], y.data[(c - 1) * r]);
    }

    @Property(tries = 30)
    void slice(@ForAll @IntRange(min = 1, max = 3) int d0, @ForAll @IntRange(min = 1, max = 4) int d1,
               @ForAll @IntRange(min = 1, max = 4) int d2, @ForAll @IntRange(min = -3, max = 2) int dim,
               @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor x = Tensor.normal(rng, 0, 1, d0, d1, d2);
        int full = x.dim(dim);
        int start = rng.nextInt(full), end = start + 1 + rng.nextInt(full - start);
        assertNull(GradCheck.check(in -> ShapeOps.slice(in.get(0), dim, start, end), List.of(x), seed));
    }

    @Property(tries = 30)
    void concat(@ForAll @IntRange(min = 2, max = 3) int parts, @ForAll @IntRange(min = 0, max = 2) int dim,
                @ForAll long seed) {
        Rng rng = new Rng(seed);
        int[] base = {1 + rng.nextInt(3), 1 + rng.nextInt(3), 1 + rng.nextInt(3)};
        List<Tensor> inputs = new ArrayList<>();
        for (int p = 0; p < parts; p++) {
            int[] s = base.clone();
            s[dim] = 1 + rng.nextInt(3);
            inputs.add(Tensor.normal(rng, 0, 1, s));
        }
        assertNull(GradCheck.check(in -> ShapeOps.concat(in, dim), inputs, seed));
        // the same part twice gets both contributions
        assertNull(GradCheck.check(in -> ShapeOps.concat(List.of(in.get(0), in.get(0)), dim - 3), List.of(inputs.get(0)), seed));
    }

    @Property(tries = 20)
    void sumAndMean(@ForAll @IntRange(min = 1, max = 4) int r, @ForAll @IntRange(min = 1, max = 5) int c, @ForAll long seed) {
        Tensor x = Tensor.normal(new Rng(seed), 0, 1, r, c);
        assertNull(GradCheck.check(in -> ShapeOps.sum(in.get(0)), List.of(x), seed));
        assertNull(GradCheck.check(in -> ShapeOps.mean(in.get(0)), List.of(x), seed));
        double s = 0;
        for (float v : x.data) s += v;
        assertEquals((float) (s / x.size()), ShapeOps.mean(x).item());
    }
}
