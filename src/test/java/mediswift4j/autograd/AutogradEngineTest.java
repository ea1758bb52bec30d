package mediswift4j.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import mediswift4j.tensor.Tensor;

/** The tape engine: accumulation, no-grad scopes, fan-out, scalar losses, parameters versus activations. */
class AutogradEngineTest {
    @BeforeEach
    void freshTape() {
        Autograd.clearTape();
    }

    static Tensor param(float... values) {
        Tensor p = Tensor.parameter("p", values.length);
        System.arraycopy(values, 0, p.data, 0, values.length);
        return p;
    }

    /** loss = sum(p * w), so dloss/dp = w. */
    static Tensor dot(Tensor p, float... w) {
        return ShapeOps.sum(ElementwiseOps.mul(p, Tensor.of(w, w.length)));
    }

    @Test
    void gradientsAccumulateAcrossBackwardCallsUntilZeroGrad() {
        Tensor p = param(1, 2, 3);
        Autograd.backward(dot(p, 1, -2, 0.5f));
        assertArrayEquals(new float[] {1, -2, 0.5f}, p.grad);
        Autograd.backward(dot(p, 3, 1, 1));
        assertArrayEquals(new float[] {4, -1, 1.5f}, p.grad);
        p.zeroGrad();
        assertArrayEquals(new float[] {0, 0, 0}, p.grad);
        Autograd.backward(dot(p, 2, 2, 2));
        assertArrayEquals(new float[] {2, 2, 2}, p.grad);
    }

    @Test
    void backwardClearsTheTape() {
        Tensor p = param(1, 2);
        Tensor loss = dot(p, 1, 1);
        assertEquals(2, Autograd.tapeLength());
        Autograd.backward(loss);
        assertEquals(0, Autograd.tapeLength());
        assertTrue(Autograd.isEnabled());
    }

    @Test
    void noGradRecordsNothingAndRestoresStateWhenNested() {
        Tensor p = param(1, 2);
        assertTrue(Autograd.isEnabled());
        try (var outer = Autograd.noGrad()) {
            Tensor y = dot(p, 1, 1);
            assertFalse(y.requiresGrad);
            assertEquals(0, Autograd.tapeLength());
            try (var inner = Autograd.noGrad()) {
                assertFalse(Autograd.isEnabled());
            }
            assertFalse(Autograd.isEnabled(), "closing the inner scope must not re-enable recording");
            dot(p, 3, 4);
            assertEquals(0, Autograd.tapeLength());
        }
        assertTrue(Autograd.isEnabled());
        assertTrue(dot(p, 1, 1).requiresGrad);
        assertEquals(2, Autograd.tapeLength());
    }

    @Test
    void aTensorUsedTwiceGetsBothContributions() {
        Tensor p = param(3, -1);
        Autograd.backward(ShapeOps.sum(ElementwiseOps.mul(p, p))); // d(p^2) = 2p
        assertArrayEquals(new float[] {6, -2}, p.grad);
        p.zeroGrad();
        Tensor a = ElementwiseOps.scale(p, 2f), b = ElementwiseOps.scale(p, 5f);
        Autograd.backward(ShapeOps.sum(ElementwiseOps.add(a, b))); // two paths: 2 + 5
        assertArrayEquals(new float[] {7, 7}, p.grad);
        p.zeroGrad();
        Autograd.backward(ShapeOps.sum(ElementwiseOps.add(p, p)));
        assertArrayEquals(new float[] {2, 2}, p.grad);
    }

    @Test
    void backwardOnANonScalarThrows() {
        Tensor y = ElementwiseOps.scale(param(1, 2), 2f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Autograd.backward(y));
        assertTrue(e.getMessage().contains("[2]"), e.getMessage());
    }

    @Test
    void parametersVersusActivations() {
        Tensor p = param(1, 2);
        assertTrue(p.parameter);
        assertTrue(p.requiresGrad);
        assertEquals("p", p.name);
        Tensor constant = Tensor.of(new float[] {5, 6}, 2);
        assertFalse(constant.parameter);
        assertFalse(constant.requiresGrad);

        Tensor activation = ElementwiseOps.mul(p, constant);
        assertFalse(activation.parameter, "an op's output is an activation");
        assertTrue(activation.requiresGrad, "it depends on a parameter");
        Autograd.backward(ShapeOps.sum(activation));
        assertArrayEquals(new float[] {5, 6}, p.grad);
        assertNull(constant.grad, "a constant input receives no gradient");

        Tensor fromConstants = ElementwiseOps.mul(constant, constant);
        assertFalse(fromConstants.requiresGrad);
        assertEquals(0, Autograd.tapeLength(), "ops on constants record nothing");
        Tensor loss = ShapeOps.sum(fromConstants);
        assertThrows(IllegalStateException.class, () -> Autograd.backward(loss));
    }

    @Test
    void frozenNormParametersGetNoGradient() {
        Tensor x = Tensor.parameter("x", 2, 3);
        for (int i = 0; i < 6; i++) x.data[i] = i * i;
        Tensor gamma = Tensor.ones(3), beta = Tensor.zeros(3);
        Autograd.backward(ShapeOps.sum(ElementwiseOps.mul(NormOps.layerNorm(x, gamma, beta), Tensor.ones(2, 3))));
        assertNull(gamma.grad);
        assertNull(beta.grad);
    }

    @Test
    void backwardOnALossWhoseStepsAreGoneThrows() {
        Tensor p = param(1, 2);
        Tensor loss = dot(p, 1, 1);
        Autograd.backward(loss);
        assertThrows(IllegalStateException.class, () -> Autograd.backward(loss), "the same loss twice");
        assertArrayEquals(new float[] {1, 1}, p.grad, "the failed call changed nothing");

        Tensor first = dot(p, 1, 1), second = dot(p, 2, 2);
        Autograd.backward(second); // clears the tape, first's steps with it
        assertThrows(IllegalStateException.class, () -> Autograd.backward(first));

        Tensor cleared = dot(p, 1, 1);
        Autograd.clearTape();
        assertThrows(IllegalStateException.class, () -> Autograd.backward(cleared));
    }

    @Test
    void backwardOnAScalarParameterSeedsItsGradient() {
        Tensor p = param(3);
        Autograd.backward(p);
        assertArrayEquals(new float[] {1}, p.grad);
    }
}
