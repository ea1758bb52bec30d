package mediswift4j.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

import mediswift4j.tensor.Parallel;
import mediswift4j.tensor.Tensor;
import mediswift4j.util.Rng;

/**
 * Results must be bit-identical for any thread count (work is split over independent outputs, each computed in
 * a fixed order by one thread). Shapes are large enough that the kernels really split their work. The second test
 * covers the ops whose per-thread grain sizes PIT mutates (add, GELU, LayerNorm, cross-entropy, linear's bias): with
 * 1, 2 and 3 threads the rows and columns are cut at different places, and the bits must not change, which is why
 * those grain-size mutants are listed as equivalent in docs/MUTATION.md.
 */
class ThreadCountIndependenceTest {
    /** Forward outputs and every input gradient of attention, batched matmul and linear, flattened in order. */
    static List<float[]> run() {
        Rng rng = new Rng(42);
        List<float[]> results = new ArrayList<>();

        Tensor qkv = Tensor.normal(rng, 0, 1, 3, 17, 3 * 4 * 8);
        qkv.requiresGrad = true;
        Tensor att = AttentionOp.causalSelfAttention(qkv, 4);
        pullBack(rng, att);
        Collections.addAll(results, att.data, qkv.grad);

        for (boolean transA : new boolean[] {false, true}) {
            for (boolean transB : new boolean[] {false, true}) {
                Tensor a = Tensor.normal(rng, 0, 1, transA ? new int[] {2, 301, 131} : new int[] {2, 131, 301});
                Tensor b = Tensor.normal(rng, 0, 1, transB ? new int[] {2, 257, 301} : new int[] {2, 301, 257});
                a.requiresGrad = b.requiresGrad = true;
                Tensor c = MatmulOps.matmul(a, b, transA, transB);
                pullBack(rng, c);
                Collections.addAll(results, c.data, a.grad, b.grad);
            }
        }

        Tensor x = Tensor.normal(rng, 0, 1, 4, 37, 200);
        Tensor w = Tensor.normal(rng, 0, 1, 300, 200), bias = Tensor.normal(rng, 0, 1, 300);
        x.requiresGrad = w.requiresGrad = bias.requiresGrad = true;
        Tensor y = MatmulOps.linear(x, w, bias);
        pullBack(rng, y);
        Collections.addAll(results, y.data, x.grad, w.grad, bias.grad);
        return results;
    }

    /**
     * Forward outputs and input gradients of the ops that split rows or columns by a grain size derived from
     * ElementwiseOps.MIN_PER_THREAD (2^15 elements): each shape below gives at least two chunks with two threads.
     */
    static List<float[]> runSplitOps() {
        Rng rng = new Rng(7);
        List<float[]> results = new ArrayList<>();

        // add: a bias (C) over (R, C) rows (forward rows, backward da elementwise and db in column blocks)
        Tensor a = Tensor.normal(rng, 0, 1, 700, 100), bias = Tensor.normal(rng, 0, 1, 100);
        a.requiresGrad = bias.requiresGrad = true;
        Tensor s = ElementwiseOps.add(a, bias);
        pullBack(rng, s);
        Collections.addAll(results, s.data, a.grad, bias.grad);

        // gelu over 70000 elements (forward and backward ranges)
        Tensor g = Tensor.normal(rng, 0, 2, 70000);
        g.requiresGrad = true;
        Tensor gy = ElementwiseOps.gelu(g);
        pullBack(rng, gy);
        Collections.addAll(results, gy.data, g.grad);

        // layerNorm: 2048 rows of 64 (rows for y and dx, column blocks of 16 for dgamma and dbeta)
        Tensor x = Tensor.normal(rng, 0, 1, 2048, 64), gamma = Tensor.normal(rng, 1, 0.3f, 64), beta = Tensor.normal(rng, 0, 0.3f, 64);
        x.requiresGrad = gamma.requiresGrad = beta.requiresGrad = true;
        Tensor ln = NormOps.layerNorm(x, gamma, beta);
        pullBack(rng, ln);
        Collections.addAll(results, ln.data, x.grad, gamma.grad, beta.grad);

        // crossEntropy: 700 rows of 100 logits, some rows ignored; once with a fresh gradient (in-place path) and
        // once into an existing one (logits used twice)
        int n = 700, v = 100;
        int[] targets = new int[n];
        for (int r = 0; r < n; r++) targets[r] = r % 11 == 0 ? -100 : rng.nextInt(v);
        Tensor logits = Tensor.normal(rng, 0, 2, n, v);
        logits.requiresGrad = true;
        Tensor loss = LossOps.crossEntropy(logits, targets, -100);
        Autograd.backward(loss);
        Collections.addAll(results, loss.data, logits.grad);
        Tensor twice = ElementwiseOps.add(LossOps.crossEntropy(logits, targets, -100), ShapeOps.sum(logits));
        Autograd.backward(twice);
        results.add(logits.grad);

        // linear with a bias: 4096 rows of 32 outputs (bias added in row blocks, db in column blocks of 16)
        Tensor in = Tensor.normal(rng, 0, 1, 4096, 8), w = Tensor.normal(rng, 0, 1, 32, 8), b = Tensor.normal(rng, 0, 1, 32);
        in.requiresGrad = w.requiresGrad = b.requiresGrad = true;
        Tensor y = MatmulOps.linear(in, w, b);
        pullBack(rng, y);
        Collections.addAll(results, y.data, b.grad);
        return results;
    }

    @Test
    void splitOpsGiveBitIdenticalResultsForOneTwoAndThreeThreads() {
        int saved = Parallel.threads();
        try {
            Parallel.setThreads(1);
            List<float[]> one = runSplitOps();
            for (int threads : new int[] {2, 3}) {
                Parallel.setThreads(threads);
                List<float[]> more = runSplitOps();
                for (int i = 0; i < one.size(); i++) assertArrayEquals(one.get(i), more.get(i), "result " + i + ", " + threads + " threads");
            }
        } finally {
            Parallel.setThreads(saved);
        }
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

    /** Backward of sum(y * r) for a fresh standard normal r of y's shape: every element of y gets its own gradient. */
    private static void pullBack(Rng rng, Tensor y) {
        Autograd.backward(ShapeOps.sum(ElementwiseOps.mul(y, Tensor.normal(rng, 0, 1, y.shape))));
    }
}
