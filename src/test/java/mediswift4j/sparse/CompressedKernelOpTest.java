package mediswift4j.sparse;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import mediswift4j.autograd.GradCheck;
import mediswift4j.nn.Masks;
import mediswift4j.tensor.Tensor;
import mediswift4j.util.Rng;

/**
 * The autograd op on the compressed path: finite-difference gradients for x (B, T, IN), W and b. Masked weights
 * do not affect the output, so their numeric gradient is 0, which the op must match by leaving them untouched.
 */
class CompressedKernelOpTest {
    @Property(tries = 25)
    void gradientsMatchFiniteDifferences(@ForAll @IntRange(min = 1, max = 3) int b,
                                         @ForAll @IntRange(min = 1, max = 4) int t,
                                         @ForAll @IntRange(min = 1, max = 6) int in,
                                         @ForAll @IntRange(min = 1, max = 5) int out,
                                         @ForAll @DoubleRange(min = 0, max = 0.9) double sparsity,
                                         @ForAll long seed) {
        Rng rng = new Rng(seed);
        byte[] mask = Masks.random(seed, "op", out * in, sparsity);
        CompressedKernel.Compressed sl = new CompressedKernel.Compressed(mask, out, in);
        Tensor x = Tensor.normal(rng, 0, 1, b, t, in);
        Tensor w = Tensor.normal(rng, 0, 1, out, in);
        Tensor bias = Tensor.normal(rng, 0, 1, out);
        assertNull(GradCheck.check(v -> CompressedKernel.linear(v.get(0), v.get(1), v.get(2), sl), List.of(x, w, bias), seed));
    }

    @Test
    void rejectsMismatchedShapes() {
        CompressedKernel.Compressed sl = new CompressedKernel.Compressed(new byte[] {1, 0, 1, 1, 0, 1}, 2, 3);
        Tensor w = Tensor.zeros(2, 3);
        assertThrows(IllegalArgumentException.class, () -> CompressedKernel.linear(Tensor.zeros(4, 2), w, null, sl));
        assertThrows(IllegalArgumentException.class, () -> CompressedKernel.linear(Tensor.zeros(4, 3), Tensor.zeros(3, 2), null, sl));
        assertThrows(IllegalArgumentException.class, () -> CompressedKernel.linear(Tensor.zeros(4, 3), w, Tensor.zeros(3), sl));
    }
}
