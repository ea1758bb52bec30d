package mediswift4j.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import mediswift4j.tensor.Tensor;
import mediswift4j.util.Rng;

/**
 * The fused causal self-attention against central finite differences, and against its naive twin built from
 * the separately checked ops (slice, reshape, transpose, matmul, add of a -1e9 mask, softmax).
 */
class AttentionOpGradientTest {
    @Property(tries = 30)
    void causalSelfAttention(@ForAll @IntRange(min = 1, max = 2) int b, @ForAll @IntRange(min = 1, max = 5) int t,
                             @ForAll @IntRange(min = 1, max = 3) int nh, @ForAll @IntRange(min = 1, max = 3) int hs,
                             @ForAll long seed) {
        Tensor qkv = Tensor.normal(new Rng(seed), 0, 1, b, t, 3 * nh * hs);
        assertNull(GradCheck.check(in -> AttentionOp.causalSelfAttention(in.get(0), nh), List.of(qkv), seed));
    }

    /** The composed reference: (B,T,3C) -> per head q k^T / sqrt(HS), causal mask, softmax, times v, heads merged. */
    static Tensor naiveAttention(Tensor qkv, int nh) {
        int b = qkv.dim(0), t = qkv.dim(1), c = qkv.dim(2) / 3, hs = c / nh;
        Tensor[] qkvHeads = new Tensor[3];
        for (int part = 0; part < 3; part++) {
            Tensor p = ShapeOps.slice(qkv, 2, part * c, (part + 1) * c);                  // (B, T, C)
            Tensor split = ShapeOps.reshape(p, b, t, nh, hs);                             // (B, T, NH, HS)
            // (B, T, NH, HS) -> (B, NH, T, HS) with the ops we have: move NH before T via per-head slices.
            Tensor[] heads = new Tensor[nh];
            for (int h = 0; h < nh; h++) heads[h] = ShapeOps.reshape(ShapeOps.slice(split, 2, h, h + 1), b, 1, t, hs);
            qkvHeads[part] = ShapeOps.reshape(ShapeOps.concat(List.of(heads), 1), b * nh, t, hs);
        }
        Tensor scores = ElementwiseOps.scale(MatmulOps.matmul(qkvHeads[0], qkvHeads[1], false, true), (float) (1.0 / Math.sqrt(hs)));
        Tensor mask = Tensor.zeros(t, t);
        for (int i = 0; i < t; i++) for (int j = i + 1; j < t; j++) mask.data[i * t + j] = -1e9f;
        Tensor att = NormOps.softmax(ElementwiseOps.add(scores, mask));                  // (B*NH, T, T)
        Tensor out = ShapeOps.reshape(MatmulOps.matmul(att, qkvHeads[2], false, false), b, nh, t, hs);
        Tensor[] heads = new Tensor[nh];
        for (int h = 0; h < nh; h++) heads[h] = ShapeOps.reshape(ShapeOps.slice(out, 1, h, h + 1), b, t, hs);
        return ShapeOps.concat(List.of(heads), 2);                                       // (B, T, C)
    }

    @Property(tries = 20)
    void fusedEqualsComposedOps(@ForAll @IntRange(min = 1, max = 3) int b, @ForAll @IntRange(min = 1, max = 7) int t,
                                @ForAll @IntRange(min = 1, max = 4) int nh, @ForAll @IntRange(min = 1, max = 5) int hs,
                                @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor qkv = Tensor.normal(rng, 0, 1, b, t, 3 * nh * hs);
        Tensor w = Tensor.normal(rng, 0, 1, b, t, nh * hs);
        qkv.requiresGrad = true;
        Autograd.backward(ShapeOps.sum(ElementwiseOps.mul(AttentionOp.causalSelfAttention(qkv, nh), w)));
        float[] fusedGrad = qkv.grad.clone();
        Tensor fused = AttentionOp.causalSelfAttention(qkv, nh);
        Autograd.clearTape();
        qkv.grad = null;
        Tensor naive = naiveAttention(qkv, nh);
        Autograd.backward(ShapeOps.sum(ElementwiseOps.mul(naive, w)));
        for (int i = 0; i < naive.size(); i++) assertEquals(naive.data[i], fused.data[i], 1e-5f, "output " + i);
        for (int i = 0; i < qkv.size(); i++) assertEquals(qkv.grad[i], fusedGrad[i], 1e-4f, "gradient " + i);
    }

    /** With T = 1 each position sees only itself: the output is v exactly and q, k get no gradient. */
    @Property(tries = 10)
    void singlePositionReturnsItsValue(@ForAll @IntRange(min = 1, max = 3) int b, @ForAll @IntRange(min = 1, max = 4) int nh,
                                       @ForAll @IntRange(min = 1, max = 5) int hs, @ForAll long seed) {
        int c = nh * hs;
        Tensor qkv = Tensor.normal(new Rng(seed), 0, 3, b, 1, 3 * c);
        qkv.requiresGrad = true;
        Tensor out = AttentionOp.causalSelfAttention(qkv, nh);
        Autograd.backward(ShapeOps.sum(out));
        for (int bi = 0; bi < b; bi++) {
            for (int j = 0; j < c; j++) {
                assertEquals(qkv.data[bi * 3 * c + 2 * c + j], out.data[bi * c + j], 0f);
                assertEquals(0f, qkv.grad[bi * 3 * c + j], 0f, "dq");
                assertEquals(0f, qkv.grad[bi * 3 * c + c + j], 0f, "dk");
                assertEquals(1f, qkv.grad[bi * 3 * c + 2 * c + j], 0f, "dv");
            }
        }
    }
}
