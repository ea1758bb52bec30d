package mediswift4j.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import mediswift4j.tensor.Tensor;

/**
 * The edges of reshape's and slice's argument checks (SPEC.md section 3: one -1 allowed and inferred, zero-sized
 * dimensions and empty slices are legal shapes). The expected shapes are worked out by hand. PIT showed that no test
 * put the -1 first, reshaped a tensor with a zero dimension, or took an empty slice: each check's comparison could
 * be off by one unnoticed.
 */
class ShapeOpsEdgeCasesTest {
    static Tensor counting(int... shape) {
        Tensor x = Tensor.zeros(shape);
        for (int i = 0; i < x.size(); i++) x.data[i] = i;
        return x;
    }

    @Test
    void reshapeInfersALeadingMinusOne() {
        Tensor x = counting(2, 3);
        Tensor y = ShapeOps.reshape(x, -1, 2);
        assertEquals("[3,2]", y.shapeString());
        assertSame(x.data, y.data);
        assertEquals("[6]", ShapeOps.reshape(x, -1).shapeString());
    }

    @Test
    void reshapeNamesTwoMinusOnesEvenWhenTheFirstIsLeading() {
        String msg = assertThrows(IllegalArgumentException.class, () -> ShapeOps.reshape(counting(2, 3), -1, -1)).getMessage();
        assertEquals("reshape: more than one -1 in [-1,-1] for [2,3]", msg);
        msg = assertThrows(IllegalArgumentException.class, () -> ShapeOps.reshape(counting(2, 3), -1, 3, -1)).getMessage();
        assertEquals("reshape: more than one -1 in [-1,3,-1] for [2,3]", msg);
    }

    @Test
    void reshapeAcceptsZeroSizedDimensions() {
        Tensor empty = Tensor.zeros(0, 3);
        assertEquals("[3,0]", ShapeOps.reshape(empty, 3, 0).shapeString());
        assertEquals("[0]", ShapeOps.reshape(empty, 0).shapeString());
        assertEquals("[5,0]", ShapeOps.reshape(empty, 5, -1).shapeString());
        String msg = assertThrows(IllegalArgumentException.class, () -> ShapeOps.reshape(empty, 0, -1)).getMessage();
        assertEquals("reshape: cannot view [0,3] as [0,-1]", msg); // -1 is ambiguous next to a 0
    }

    @Test
    void sliceAcceptsAnEmptyRangeAndTheFullRange() {
        Tensor x = counting(2, 3);
        Tensor empty = ShapeOps.slice(x, 1, 2, 2);
        assertEquals("[2,0]", empty.shapeString());
        Tensor whole = ShapeOps.slice(x, -1, 0, 3);
        assertArrayEquals(x.data, whole.data);
        Tensor last = ShapeOps.slice(x, 0, 1, 2);
        assertArrayEquals(new float[] {3, 4, 5}, last.data);
    }

    @Test
    void sliceRejectsEachOutOfRangeArgumentByName() {
        Tensor x = counting(2, 3);
        assertEquals("slice: range [2, 1) on dimension 1 is outside [2,3]",
                assertThrows(IllegalArgumentException.class, () -> ShapeOps.slice(x, 1, 2, 1)).getMessage());
        assertEquals("slice: range [-1, 1) on dimension 1 is outside [2,3]",
                assertThrows(IllegalArgumentException.class, () -> ShapeOps.slice(x, 1, -1, 1)).getMessage());
        assertEquals("slice: range [0, 4) on dimension 1 is outside [2,3]",
                assertThrows(IllegalArgumentException.class, () -> ShapeOps.slice(x, 1, 0, 4)).getMessage());
        assertEquals("slice: range [0, 1) on dimension 2 is outside [2,3]",
                assertThrows(IllegalArgumentException.class, () -> ShapeOps.slice(x, 2, 0, 1)).getMessage());
        assertEquals("slice: range [0, 1) on dimension -1 is outside [2,3]",
                assertThrows(IllegalArgumentException.class, () -> ShapeOps.slice(x, -3, 0, 1)).getMessage());
    }
}
