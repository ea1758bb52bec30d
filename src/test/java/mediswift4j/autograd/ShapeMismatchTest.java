package mediswift4j.autograd;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import mediswift4j.tensor.Tensor;

/** Every shape mismatch is an IllegalArgumentException naming the op and the shapes involved. */
class ShapeMismatchTest {
    static void rejects(Executable call, String op, String... shapes) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        String m = e.getMessage();
        assertTrue(m.startsWith(op + ":"), "message should start with the op name: " + m);
        for (String s : shapes) assertTrue(m.contains(s), "message should name " + s + ": " + m);
    }

    static Tensor t(int... shape) {
        return Tensor.zeros(shape);
    }

    @Test
    void matmul() {
        rejects(() -> MatmulOps.matmul(t(2, 3), t(4, 5), false, false), "matmul", "[2,3]", "[4,5]");
        rejects(() -> MatmulOps.matmul(t(2, 3), t(2, 5), true, true), "matmul", "[2,3]", "[2,5]");
        rejects(() -> MatmulOps.matmul(t(2, 2, 3), t(3, 3, 5), false, false), "matmul", "[2,2,3]", "[3,3,5]");
        rejects(() -> MatmulOps.matmul(t(2, 3), t(1, 3, 5), false, false), "matmul", "[2,3]", "[1,3,5]");
        rejects(() -> MatmulOps.matmul(t(3), t(3), false, false), "matmul", "[3]");
    }

    @Test
    void linear() {
        rejects(() -> MatmulOps.linear(t(4, 3), t(5, 2), null), "linear", "[4,3]", "[5,2]");
        rejects(() -> MatmulOps.linear(t(4, 3), t(5, 3), t(4)), "linear", "[5,3]", "[4]");
        rejects(() -> MatmulOps.linear(t(4, 3), t(5, 3), t(5, 1)), "linear", "[5,3]", "[5,1]");
        rejects(() -> MatmulOps.linear(t(4, 3), t(15), null), "linear", "[4,3]", "[15]");
        rejects(() -> MatmulOps.linear(t(), t(5, 3), null), "linear", "[]", "[5,3]");
    }

    @Test
    void add() {
        rejects(() -> ElementwiseOps.add(t(2, 3), t(2, 4)), "add", "[2,3]", "[2,4]");
        rejects(() -> ElementwiseOps.add(t(2, 3, 4), t(2, 4)), "add", "[2,3,4]", "[2,4]");
        rejects(() -> ElementwiseOps.add(t(3), t(2, 3)), "add", "[3]", "[2,3]");
    }

    @Test
    void mul() {
        rejects(() -> ElementwiseOps.mul(t(2, 3), t(3, 2)), "mul", "[2,3]", "[3,2]");
        rejects(() -> ElementwiseOps.mul(t(2, 3), t(3)), "mul", "[2,3]", "[3]");
    }

    @Test
    void layerNorm() {
        rejects(() -> NormOps.layerNorm(t(2, 3), t(4), t(3)), "layerNorm", "[2,3]", "[4]");
        rejects(() -> NormOps.layerNorm(t(2, 3), t(3), t(1, 3)), "layerNorm", "[2,3]", "[1,3]");
        rejects(() -> NormOps.layerNorm(t(), t(1), t(1)), "layerNorm", "[]");
    }

    @Test
    void concat() {
        rejects(() -> ShapeOps.concat(List.of(t(2, 3), t(4, 2)), 1), "concat", "[2,3]", "[4,2]");
        rejects(() -> ShapeOps.concat(List.of(t(2, 3), t(2, 3, 1)), 0), "concat", "[2,3]", "[2,3,1]");
        rejects(() -> ShapeOps.concat(List.of(t(2, 3), t(2, 3)), 2), "concat", "[2,3]");
    }

    @Test
    void embeddingAndCrossEntropy() {
        rejects(() -> EmbeddingOps.embedding(t(5, 3), new int[] {1, 2, 3}, 2, 2), "embedding", "[5,3]", "[2,2]");
        rejects(() -> EmbeddingOps.embedding(t(5, 3), new int[] {1, 5}, 2), "embedding", "5");
        rejects(() -> LossOps.crossEntropy(t(4, 6), new int[] {1, 2, 3}, -100), "crossEntropy", "[4,6]", "3 targets");
        rejects(() -> LossOps.crossEntropy(t(2, 6), new int[] {1, 6}, -100), "crossEntropy", "[2,6]", "target 6");
    }

    @Test
    void singleInputOps() {
        rejects(() -> AttentionOp.causalSelfAttention(t(1, 2, 10), 2), "causalSelfAttention", "[1,2,10]");
        rejects(() -> AttentionOp.causalSelfAttention(t(1, 2, 12), 3), "causalSelfAttention", "[1,2,12]");
        rejects(() -> AttentionOp.causalSelfAttention(t(1, 2, 12), 0), "causalSelfAttention");
        rejects(() -> AttentionOp.causalSelfAttention(t(2, 12), 2), "causalSelfAttention", "[2,12]");
        rejects(() -> ShapeOps.reshape(t(2, 3), 4, -1), "reshape", "[2,3]", "[4,-1]");
        rejects(() -> ShapeOps.reshape(t(2, 3), 0, -1), "reshape", "[2,3]", "[0,-1]");
        rejects(() -> ShapeOps.reshape(t(2, 3), -2, -3), "reshape", "[2,3]");
        rejects(() -> ShapeOps.reshape(t(2, 3), 7), "reshape", "[2,3]", "[7]");
        rejects(() -> ShapeOps.transpose(t(3)), "transpose", "[3]");
        rejects(() -> ShapeOps.slice(t(2, 3), 1, 2, 4), "slice", "[2,3]");
        rejects(() -> ShapeOps.slice(t(2, 3), 2, 0, 1), "slice", "[2,3]");
        rejects(() -> NormOps.softmax(t()), "softmax", "[]");
        rejects(() -> ElementwiseOps.dropout(t(2), Float.NaN, new mediswift4j.util.Rng(1)), "dropout");
        rejects(() -> ElementwiseOps.dropout(t(2), 1f, new mediswift4j.util.Rng(1)), "dropout");
    }
}
