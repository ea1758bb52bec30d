package mediswift4j.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import mediswift4j.tensor.Parallel;
import mediswift4j.tensor.Tensor;
import mediswift4j.util.Rng;

/**
 * Results must be bit-identical for any thread count (work is split over independent outputs, each computed in
 * a fixed order by one thread). Shapes are large enough that the kernels really split their work.
 */
class ThreadCountIndependenceTest {
    /** Forward outputs and every input gradient of attention, batched matmul and linear, flattened in order. */
    static List<float[]> run() {
        Rng rng = new Rng(42);
        List<float[]> results = new ArrayList<>();

        Tensor qkv = Tensor.normal(rng, 0, 1, 3, 17, 3 * 4 * 8);
        qkv.requiresGrad = true;
        Tensor att = AttentionOp.causalSelfAttention(qkv, 4);
        Autograd.backward(ShapeOps.sum(ElementwiseOps.mul(att, Tensor.normal(rng, 0, 1, att.shape))));
        results.add(att.data);
        results.add(qkv.grad);

        for (boolean transA : new boolean[] {false, true}) {
            for (boolean transB : new boolean[] {false, true}) {
                Tensor a = Tensor.normal(rng, 0, 1, transA ? new int[] {2, 301, 131} : new int[] {2, 131, 301});
                Tensor b = Tensor.normal(rng, 0, 1, transB ? new int[] {2, 257, 301} : new int[] {2, 301, 257});
                a.requiresGrad = b.requiresGrad = true;
                Tensor c = MatmulOps.matmul(a, b, transA, transB);
                Autograd.backward(ShapeOps.sum(ElementwiseOps.mul(c, Tensor.normal(rng, 0, 1, c.shape))));
                results.add(c.data);
                results.add(a.grad);
                results.add(b.grad);
            }
        }

        Tensor x = Tensor.normal(rng, 0, 1, 4, 37, 200);
        Tensor w = Tensor.normal(rng, 0, 1, 300, 200), bias = Tensor.normal(rng, 0, 1, 300);
        x.requiresGrad = w.requiresGrad = bias.requiresGrad = true;
        Tensor y = MatmulOps.linear(x, w, bias);
        Autograd.backward(ShapeOps.sum(ElementwiseOps.mul(y, Tensor.normal(rng, 0, 1, y.shape))));
        results.add(y.data);
        results.add(x.grad);
        results.add(w.grad);
        results.add(bias.grad);
        return results;
    }

    @Test
    void oneAndTwoThreadsGiveBitIdenticalResults() {
        int saved = Parallel.threads();
        try {
            Parallel.setThreads(1);
            List<float[]> one = run();
            Parallel.setThreads(2);
            List<float[]> two = run();
            for (int i = 0; i < one.size(); i++) {
                // assertArrayEquals on float[] compares bit patterns via Float.floatToIntBits semantics
                assertArrayEquals(one.get(i), two.get(i), "result " + i);
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }
}
