package mediswift4j.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import mediswift4j.tensor.Tensor;

/** Ops whose input has the wrong rank fail with a message naming the op and the shape (PIT found these unchecked). */
class ShapeChecksNamedTest {
    @Test
    void embeddingTableMustBeAMatrix() {
        String msg = assertThrows(IllegalArgumentException.class,
                () -> EmbeddingOps.embedding(Tensor.zeros(4, 2, 3), new int[] {0}, 1)).getMessage();
        assertEquals("embedding: unsupported rank 3 for shape [4,2,3] (expected rank [2])", msg);
    }

    @Test
    void crossEntropyNeedsAFeatureDimension() {
        String msg = assertThrows(IllegalArgumentException.class, () -> LossOps.crossEntropy(Tensor.zeros(), new int[] {0}, -1)).getMessage();
        assertEquals("crossEntropy: needs rank >= 1, got shape []", msg);
    }

    @Test
    void referenceAttentionChecksThePackedInput() {
        String msg = assertThrows(IllegalArgumentException.class,
                () -> AttentionReference.causalSelfAttention(Tensor.zeros(1, 2, 7), 1)).getMessage();
        assertEquals("causalSelfAttention: last dimension 7 of [1,2,7] must be 3 * C with C divisible by the 1 heads", msg);
    }
}
