package mediswift4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The edges of the mask rules (SPEC.md section 7): sparsity 0 means no mask, 1 and negative values are refused. */
class MaskEdgesTest {
    @Test
    void countAtTheEndsOfTheRange() {
        assertEquals(0, Masks.maskedCount(10, 0.0));
        assertEquals(10, Masks.maskedCount(10, 0.99));    // floor(9.9 + 0.5)
        assertThrows(IllegalArgumentException.class, () -> Masks.maskedCount(10, 1.0));
        assertThrows(IllegalArgumentException.class, () -> Masks.maskedCount(10, -0.01));
        assertThrows(IllegalArgumentException.class, () -> Masks.maskedCount(10, Double.NaN));
    }

    @Test
    void drawingAtZeroRemovesMasksAndClearRemovesThemToo() {
        Gpt m = new Gpt(new ModelConfig("edges", 1, 8, 2, 4, 11));
        ModelMasks.draw(m, 7, 0.5);
        for (MaskedLinear l : m.maskedLayers()) assertNotNull(l.keep(), l.weight.name);
        ModelMasks.draw(m, 7, 0.0);
        for (MaskedLinear l : m.maskedLayers()) assertNull(l.keep(), l.weight.name + " still masked after draw at 0");
        ModelMasks.draw(m, 7, 0.5);
        ModelMasks.clear(m);
        for (MaskedLinear l : m.maskedLayers()) assertNull(l.keep(), l.weight.name + " still masked after clear");
        assertThrows(IllegalArgumentException.class, () -> ModelMasks.draw(m, 7, 1.0));
        assertThrows(IllegalArgumentException.class, () -> ModelMasks.draw(m, 7, -0.5));
    }
}
