package mediswift4j.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import mediswift4j.tensor.Tensor;
import mediswift4j.util.Rng;

/** add (same shape and both broadcasts), mul, scale, gelu, dropout against central finite differences. */
class ElementwiseOpsGradientTest {
    @Property(tries = 20)
    void addSameShape(@ForAll @IntRange(min = 1, max = 4) int r, @ForAll @IntRange(min = 1, max = 5) int c,
                      @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor a = Tensor.normal(rng, 0, 1, r, c), b = Tensor.normal(rng, 0, 1, r, c);
        assertNull(GradCheck.check(in -> ElementwiseOps.add(in.get(0), in.get(1)), List.of(a, b), seed));
    }

    /** A bias (C) added to every row of (B, T, C): db sums dy over B and T. */
    @Property(tries = 20)
    void addBiasBroadcast(@ForAll @IntRange(min = 1, max = 3) int b, @ForAll @IntRange(min = 1, max = 4) int t,
                          @ForAll @IntRange(min = 1, max = 5) int c, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor x = Tensor.normal(rng, 0, 1, b, t, c), bias = Tensor.normal(rng, 0, 1, c);
        assertNull(GradCheck.check(in -> ElementwiseOps.add(in.get(0), in.get(1)), List.of(x, bias), seed));
    }

    /** A position table (T, C) added to every sequence of (B, T, C): its gradient sums dy over B. */
    @Property(tries = 20)
    void addPositionTableBroadcast(@ForAll @IntRange(min = 1, max = 3) int b, @ForAll @IntRange(min = 1, max = 4) int t,
                                   @ForAll @IntRange(min = 1, max = 5) int c, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor x = Tensor.normal(rng, 0, 1, b, t, c), pos = Tensor.normal(rng, 0, 1, t, c);
        assertNull(GradCheck.check(in -> ElementwiseOps.add(in.get(0), in.get(1)), List.of(x, pos), seed));
    }

    @Property(tries = 20)
    void mul(@ForAll @IntRange(min = 1, max = 4) int r, @ForAll @IntRange(min = 1, max = 5) int c, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor a = Tensor.normal(rng, 0, 1, r, c), b = Tensor.normal(rng, 0, 1, r, c);
        assertNull(GradCheck.check(in -> ElementwiseOps.mul(in.get(0), in.get(1)), List.of(a, b), seed));
    }

    @Property(tries = 20)
    void scale(@ForAll @IntRange(min = 1, max = 4) int r, @ForAll @IntRange(min = 1, max = 5) int c,
               @ForAll @IntRange(min = -30, max = 30) int tenths, @ForAll long seed) {
        Tensor a = Tensor.normal(new Rng(seed), 0, 1, r, c);
        float s = tenths / 10f;
        assertNull(GradCheck.check(in -> ElementwiseOps.scale(in.get(0), s), List.of(a), seed));
    }

    @Property(tries = 20)
    void gelu(@ForAll @IntRange(min = 1, max = 4) int r, @ForAll @IntRange(min = 1, max = 6) int c, @ForAll long seed) {
        Tensor x = Tensor.normal(new Rng(seed), 0, 2, r, c);
        assertNull(GradCheck.check(in -> ElementwiseOps.gelu(in.get(0)), List.of(x), seed));
    }

    /** A fresh Rng(seed) in every evaluation, so the mask is the same in the analytic and numeric passes. */
    @Property(tries = 20)
    void dropout(@ForAll @IntRange(min = 1, max = 4) int r, @ForAll @IntRange(min = 1, max = 6) int c,
                 @ForAll @IntRange(min = 0, max = 9) int pTenths, @ForAll long seed) {
        Tensor x = Tensor.normal(new Rng(seed), 0, 1, r, c);
        float p = pTenths / 10f;
        long maskSeed = seed ^ 0x5DEECE66DL;
        assertNull(GradCheck.check(in -> ElementwiseOps.dropout(in.get(0), p, new Rng(maskSeed)), List.of(x), seed));
    }

    @Test
    void dropoutKeepsOrScalesAndDrawsInRowMajorOrder() {
        Tensor x = Tensor.ones(1000);
        float p = 0.25f;
        Tensor y = ElementwiseOps.dropout(x, p, new Rng(7));
        Rng rng = new Rng(7);
        int dropped = 0;
        for (int i = 0; i < y.size(); i++) {
            boolean drop = rng.nextFloat() < p;
            assertEquals(drop ? 0f : 1f / (1f - p), y.data[i], 0f, "element " + i);
            if (drop) dropped++;
        }
        assertTrue(dropped > 180 && dropped < 320, "dropped " + dropped + " of 1000 at p = 0.25");
        assertSame(x, ElementwiseOps.dropout(x, 0f, new Rng(7)));
    }
}
