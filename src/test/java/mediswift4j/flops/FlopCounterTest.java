package mediswift4j.flops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

import mediswift4j.nn.ModelConfig;

/** The FLOP convention of SPEC.md section 10: closed forms, pass ratios, and the paper's "2-2.5x" at 75%. */
class FlopCounterTest {
    private static final double TOKENS = 104.86e9;

    /** 3 x forward, forward = L (24 C^2 (1 - s) + 4 S C) + 2 C V: the formula SPEC.md states. */
    private static double closedForm(int layers, int c, int s, int v, double sparsity) {
        double C = c;
        return 3 * (layers * (24 * C * C * (1 - sparsity) + 4.0 * s * C) + 2 * C * v);
    }

    @Test
    void paperModelsAt75PercentShowTwoToTwoAndAHalfX() {
        // Unrounded: med 1.9950, large 2.2802, xl 2.4944. The paper quotes one decimal ("2-2.5x"); med lies 0.25%
        // under 2 with this convention, so the [2, 2.5] check is made at the paper's precision, and the unrounded
        // values are pinned separately.
        double[] expected = {1.995029, 2.280232, 2.494401};
        String[] names = {"mediswift-med", "mediswift-large", "mediswift-xl"};
        for (int i = 0; i < names.length; i++) {
            FlopCount fc = FlopCounter.count(ModelConfig.preset(names[i]).withVocab(50257), 2048, 0.75);
            double r = fc.reduction();
            double oneDecimal = Math.round(r * 10) / 10.0;
            assertTrue(oneDecimal >= 2.0 && oneDecimal <= 2.5, names[i] + ": " + r);
            assertTrue(r >= 1.99 && r <= 2.5, names[i] + ": " + r);
            assertEquals(expected[i], r, 1e-5, names[i]);
            assertEquals(fc.trainingDense(TOKENS) / fc.training(TOKENS), r, 1e-12);
        }
    }

    @Test
    void fiftyPercentGivesLessThanTwoXBecauseAttentionAndLmHeadStayDense() {
        for (ModelConfig c : ModelConfig.presets().values()) {
            FlopCount fc = FlopCounter.count(c, c.contextLength(), 0.5);
            assertTrue(fc.reduction() < 2.0, c.name());
            assertEquals(1 / (1 - 0.5 * fc.sparsifiableFraction()), fc.reduction(), 1e-12, c.name());
        }
    }

    @Test
    void handComputedMediswiftMed() {
        // forward per token: 24 blocks x (24 * 1024^2 + 4 * 2048 * 1024) + 2 * 1024 * 50257 = 908,232,704.
        FlopCount dense = FlopCounter.count(ModelConfig.preset("mediswift-med"), 2048, 0);
        assertEquals(908_232_704.0, dense.forwardPerToken(), 0);
        assertEquals(3 * 908_232_704.0, dense.perToken(), 0);
        FlopCount sparse = FlopCounter.count(ModelConfig.preset("mediswift-med"), 2048, 0.75);
        assertEquals(455_247_872.0, sparse.forwardPerToken(), 0);
        // over the paper's 104.86e9 tokens: 3 x 908,232,704 x 104.86e9 = 2.8571184e20 dense-equivalent FLOPs, and the
        // reduction at 75% is the ratio of the two hand-computed forwards
        assertEquals(2.8571184e20, dense.trainingDense(TOKENS), 1e-7 * 2.8571184e20);
        assertEquals(908_232_704.0 / 455_247_872.0, sparse.reduction(), 1e-12);
    }

    @Property(tries = 200)
    void matchesTheClosedForm(@ForAll @IntRange(min = 1, max = 48) int layers, @ForAll @IntRange(min = 1, max = 64) int headSize,
                              @ForAll @IntRange(min = 1, max = 32) int heads, @ForAll @IntRange(min = 1, max = 8192) int seq,
                              @ForAll @IntRange(min = 1, max = 200_000) int vocab, @ForAll @DoubleRange(min = 0, max = 0.99) double s) {
        ModelConfig c = new ModelConfig("p", layers, headSize * heads, heads, seq, vocab);
        FlopCount fc = FlopCounter.count(c, seq, s);
        assertEquals(closedForm(layers, headSize * heads, seq, vocab, s), fc.perToken(), 1e-9 * fc.perToken());
        assertEquals(closedForm(layers, headSize * heads, seq, vocab, 0), fc.perTokenDense(), 1e-9 * fc.perTokenDense());
    }

    @Property(tries = 200)
    void backwardIsTwiceForwardAndLayersSumToTheTotal(@ForAll @IntRange(min = 1, max = 8) int layers,
                                                      @ForAll @IntRange(min = 1, max = 16) int heads,
                                                      @ForAll @IntRange(min = 1, max = 4096) int seq,
                                                      @ForAll @DoubleRange(min = 0, max = 0.99) double s) {
        ModelConfig c = new ModelConfig("p", layers, 8 * heads, heads, seq, 1000);
        FlopCount fc = FlopCounter.count(c, seq, s);
        assertEquals(2 * fc.forwardPerToken(), fc.inputGradPerToken() + fc.weightGradPerToken(), 1e-9 * fc.perToken());
        double sum = 0;
        for (FlopCount.LayerTotal lt : fc.layers()) sum += lt.total();
        assertEquals(fc.perToken(), sum, 1e-9 * fc.perToken());
        assertEquals(layers + 2, fc.layers().size());
        assertEquals(0.0, fc.layers().get(0).total(), 0.0);             // embedding lookup
        assertEquals(1 / (1 - s * fc.sparsifiableFraction()), fc.reduction(), 1e-9);
        assertTrue(fc.reduction() <= fc.reductionLimit() + 1e-12);
    }

    @Property(tries = 100)
    void onlyMaskedMatricesShrink(@ForAll @IntRange(min = 1, max = 6) int layers, @ForAll @DoubleRange(min = 0, max = 0.99) double s) {
        ModelConfig c = new ModelConfig("p", layers, 64, 4, 128, 512);
        FlopCount dense = FlopCounter.count(c, 128, 0), sparse = FlopCounter.count(c, 128, s);
        for (int i = 0; i < dense.terms().size(); i++) {
            FlopCount.Term d = dense.terms().get(i), t = sparse.terms().get(i);
            double factor = t.kind() == FlopCount.Kind.SPARSE_WEIGHT ? 1 - s : 1;
            assertEquals(d.forward() * factor, t.forward(), 1e-9 * (1 + d.forward()));
            assertEquals(d.inputGrad() * factor, t.inputGrad(), 1e-9 * (1 + d.inputGrad()));
            assertEquals(d.weightGrad() * factor, t.weightGrad(), 1e-9 * (1 + d.weightGrad()));
        }
    }

    @Test
    void perStepIsPerTokenTimesBatchTimesSequence() {
        FlopCount fc = FlopCounter.count(ModelConfig.preset("mediswift-tiny"), 128, 0.5);
        assertEquals(fc.perToken() * 8 * 128, fc.perStep(8), 0);
        assertEquals(fc.perTokenDense() * 8 * 128, fc.perStepDense(8), 0);
        assertEquals(fc.perToken(), FlopCounter.count(ModelConfig.preset("mediswift-tiny"), 128, 2048, 0.5).perToken(), 0);
        assertTrue(fc.elementwisePerToken() > 0);
    }
}
