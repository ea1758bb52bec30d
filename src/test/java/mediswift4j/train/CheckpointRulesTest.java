package mediswift4j.train;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import mediswift4j.nn.Gpt;
import mediswift4j.nn.MaskedLinear;
import mediswift4j.nn.ModelConfig;
import mediswift4j.optim.AdamW;
import mediswift4j.tensor.Tensor;
import mediswift4j.util.InputException;

/**
 * CheckpointRules one rule at a time, at each rule's edge (SPEC.md section 9, "Consistency"): the value on the
 * allowed side of every limit passes and the nearest value on the other side is refused, with an InputException
 * that starts with `where` and names the field or tensor. The masks are written here position by position, so
 * each masked tensor's zero count is known without the code under test: exactly floor(s n + 0.5) (SPEC.md
 * section 7), counted per tensor, the three thirds of c_attn (q, k, v) separately.
 */
class CheckpointRulesTest {
    static final String WHERE = "/runs/x/checkpoint.bin";

    static InputException refused(Runnable r, String... mentions) {
        InputException e = assertThrows(InputException.class, r::run);
        assertTrue(e.getMessage().startsWith(WHERE), e.getMessage());
        for (String m : mentions) assertTrue(e.getMessage().contains(m), "expected \"" + m + "\" in: " + e.getMessage());
        return e;
    }

    // ---------------------------------------------------------------- settings

    static TrainSettings settings(double lr, double clip, float beta1, float beta2, float eps, float weightDecay) {
        return new TrainSettings(10, 1, 4, 1, lr, 1, clip, 0f, 5, 1, 5, 3, 0, new AdamW.Settings(beta1, beta2, eps, weightDecay));
    }

    static void settingsOk(double lr, double clip, float beta1, float beta2, float eps, float weightDecay) {
        assertDoesNotThrow(() -> CheckpointRules.checkSettings(WHERE, settings(lr, clip, beta1, beta2, eps, weightDecay)));
    }

    static void settingsRefused(String mention, double lr, double clip, float beta1, float beta2, float eps, float weightDecay) {
        refused(() -> CheckpointRules.checkSettings(WHERE, settings(lr, clip, beta1, beta2, eps, weightDecay)), mention);
    }

    @Test
    void settingsAtTheEdgesOfTheirRanges() {
        float below1 = Math.nextDown(1f), tiny = Float.MIN_VALUE;
        settingsOk(1e-3, 1.0, 0.9f, 0.95f, 1e-8f, 0.1f);
        settingsOk(1e-3, 0.0, 0f, 0f, tiny, 0f); // clip 0, betas 0, eps just above 0, no weight decay
        settingsOk(1e-3, 1.0, below1, below1, 1e-8f, 0.1f);

        settingsRefused("clip_norm", 1e-3, -Double.MIN_VALUE, 0.9f, 0.95f, 1e-8f, 0.1f);
        settingsRefused("clip_norm", 1e-3, Double.NaN, 0.9f, 0.95f, 1e-8f, 0.1f);
        settingsRefused("clip_norm", 1e-3, Double.POSITIVE_INFINITY, 0.9f, 0.95f, 1e-8f, 0.1f);
        settingsRefused("weight_decay", 1e-3, 1.0, 0.9f, 0.95f, 1e-8f, -tiny);
        settingsRefused("weight_decay", 1e-3, 1.0, 0.9f, 0.95f, 1e-8f, Float.NaN);
        settingsRefused("weight_decay", 1e-3, 1.0, 0.9f, 0.95f, 1e-8f, Float.POSITIVE_INFINITY);
        settingsRefused("betas", 1e-3, 1.0, -tiny, 0.95f, 1e-8f, 0.1f);
        settingsRefused("betas", 1e-3, 1.0, 1f, 0.95f, 1e-8f, 0.1f);
        settingsRefused("betas", 1e-3, 1.0, Float.NaN, 0.95f, 1e-8f, 0.1f);
        settingsRefused("betas", 1e-3, 1.0, 0.9f, -tiny, 1e-8f, 0.1f);
        settingsRefused("betas", 1e-3, 1.0, 0.9f, 1f, 1e-8f, 0.1f);
        settingsRefused("betas", 1e-3, 1.0, 0.9f, Float.NaN, 1e-8f, 0.1f);
        settingsRefused("eps", 1e-3, 1.0, 0.9f, 0.95f, 0f, 0.1f);
        settingsRefused("eps", 1e-3, 1.0, 0.9f, 0.95f, -tiny, 0.1f);
        settingsRefused("eps", 1e-3, 1.0, 0.9f, 0.95f, Float.NaN, 0.1f);
        settingsRefused("eps", 1e-3, 1.0, 0.9f, 0.95f, Float.POSITIVE_INFINITY, 0.1f);
        settingsRefused("lr", Double.POSITIVE_INFINITY, 1.0, 0.9f, 0.95f, 1e-8f, 0.1f);
    }

    // ---------------------------------------------------------------- state

    static TrainState state(long step, long tokens, double elapsed) {
        TrainState s = new TrainState();
        s.step = step;
        s.tokensSeen = tokens;
        s.elapsedSeconds = elapsed;
        return s;
    }

    @Test
    void stateCountersAndTimeAtZero() {
        assertDoesNotThrow(() -> CheckpointRules.checkState(WHERE, state(0, 0, 0.0), 0));
        assertDoesNotThrow(() -> CheckpointRules.checkState(WHERE, state(3, 12, 0.25), 3));
        refused(() -> CheckpointRules.checkState(WHERE, state(-1, 0, 0.0), 0), "step is -1");
        refused(() -> CheckpointRules.checkState(WHERE, state(0, -1, 0.0), 0), "tokens_seen is -1");
        refused(() -> CheckpointRules.checkState(WHERE, state(0, 0, 0.0), -1), "optimizer_step is -1");
        refused(() -> CheckpointRules.checkState(WHERE, state(0, 0, -Double.MIN_VALUE), 0), "elapsed_seconds");
        refused(() -> CheckpointRules.checkState(WHERE, state(0, 0, Double.NaN), 0), "elapsed_seconds is NaN");
        refused(() -> CheckpointRules.checkState(WHERE, state(0, 0, Double.POSITIVE_INFINITY), 0), "elapsed_seconds is Infinity");
    }

    // ---------------------------------------------------------------- moments

    static final List<Tensor> PARAMS = List.of(Tensor.parameter("a", 3), Tensor.parameter("b", 2));

    static Map<String, float[]> moments(float[] a, float[] b) {
        Map<String, float[]> m = new LinkedHashMap<>();
        if (a != null) m.put("a", a);
        if (b != null) m.put("b", b);
        return m;
    }

    static void momentsOk(Map<String, float[]> m, Map<String, float[]> v, long step, long optimizerStep) {
        assertDoesNotThrow(() -> CheckpointRules.checkMoments(WHERE, PARAMS, m, v, step, optimizerStep));
    }

    static InputException momentsRefused(Map<String, float[]> m, Map<String, float[]> v, long step, long optimizerStep, String... mentions) {
        return refused(() -> CheckpointRules.checkMoments(WHERE, PARAMS, m, v, step, optimizerStep), mentions);
    }

    @Test
    void noMomentsAtAllOnlyAtStepZero() {
        Map<String, float[]> none = moments(null, null);
        momentsOk(none, none, 0, 0);
        momentsRefused(none, none, 1, 0, "no first moment for a", "the run is at step 1");
        momentsRefused(none, none, 0, 1, "no first moment for a", "the run is at step 1");
        momentsRefused(none, none, 2, 5, "the run is at step 5");
        momentsRefused(none, none, 7, 5, "the run is at step 7");
    }

    @Test
    void momentsAreAllThereOrNone() {
        float[] a = {0.5f, -1f, 0f}, b = {2f, 0f}, av = {0.25f, 1f, 0f}, bv = {4f, 0f};
        momentsOk(moments(a, b), moments(av, bv), 0, 0);
        momentsOk(moments(a, b), moments(av, bv), 4, 4);
        // some moments at step 0: all are needed
        InputException e = momentsRefused(moments(a, null), moments(av, bv), 0, 0, "no first moment for b");
        assertTrue(!e.getMessage().contains("the run is at step"), e.getMessage());
        momentsRefused(moments(a, b), moments(av, null), 0, 0, "no second moment for b");
        momentsRefused(moments(null, null), moments(av, bv), 0, 0, "no first moment for a");
        momentsRefused(moments(a, b), moments(null, null), 3, 3, "no second moment for a");
    }

    @Test
    void momentValuesFiniteAndSecondNotNegative() {
        float[] b = {2f, 0f}, bv = {4f, 0f};
        momentsOk(moments(new float[] {0f, 0f, -0f}, b), moments(new float[] {0f, -0f, Float.MIN_VALUE}, bv), 1, 1);
        momentsRefused(moments(new float[] {0f, Float.NaN, 0f}, b), moments(new float[3], bv), 1, 1, "first moment of a is NaN at element 1");
        momentsRefused(moments(new float[] {0f, 0f, Float.NEGATIVE_INFINITY}, b), moments(new float[3], bv), 1, 1,
                "first moment of a is -Infinity at element 2");
        momentsRefused(moments(new float[3], b), moments(new float[] {0f, 0f, -Float.MIN_VALUE}, bv), 1, 1, "second moment of a is", "at element 2");
        momentsRefused(moments(new float[3], b), moments(new float[] {Float.NaN, 0f, 0f}, bv), 1, 1, "second moment of a is NaN at element 0");
        momentsRefused(moments(new float[3], b), moments(new float[] {0f, Float.POSITIVE_INFINITY, 0f}, bv), 1, 1,
                "second moment of a is Infinity at element 1");
        // the last parameter's last element is checked too
        momentsRefused(moments(new float[3], new float[] {0f, Float.NaN}), moments(new float[3], bv), 1, 1, "first moment of b is NaN at element 1");
        momentsRefused(moments(new float[3], b), moments(new float[3], new float[] {0f, -1f}), 1, 1, "second moment of b is -1.0 at element 1");
    }

    /** The overload on an optimizer's own arrays applies the same rules, with the optimizer's step count. */
    @Test
    void optimizerOverloadChecksItsOwnArrays() {
        Tensor a = Tensor.parameter("a", 3);
        AdamW opt = new AdamW(List.of(a), Map.of(), AdamW.DEFAULTS);
        assertDoesNotThrow(() -> CheckpointRules.checkMoments(WHERE, opt, 0));
        opt.restore(2, new float[][] {{0f, 1f, 0f}}, new float[][] {{0f, 0f, -2f}});
        refused(() -> CheckpointRules.checkMoments(WHERE, opt, 2), "second moment of a is -2.0 at element 2");
        opt.restore(2, new float[][] {{0f, Float.NaN, 0f}}, new float[][] {{0f, 0f, 0f}});
        refused(() -> CheckpointRules.checkMoments(WHERE, opt, 2), "first moment of a is NaN at element 1");
    }

    // ---------------------------------------------------------------- masks

    /** L=1, C=4: c_attn (12, 4) holds q, k, v of 16 weights each; c_proj 16, c_fc 64, mlp.c_proj 64. */
    static Gpt modelWithEvenMasks() {
        Gpt m = new Gpt(new ModelConfig("rules", 1, 4, 2, 3, 5));
        for (MaskedLinear l : m.maskedLayers()) {
            byte[] keep = new byte[l.weight.size()];
            for (int j = 0; j < keep.length; j++) keep[j] = (byte) (j % 2); // even positions masked: exactly half of every 16-aligned run
            l.setKeep(keep);
        }
        return m;
    }

    static byte[] keep(Gpt m, String weight) {
        for (MaskedLinear l : m.maskedLayers()) if (l.weight.name.equals(weight)) return l.keep();
        throw new AssertionError(weight);
    }

    @Test
    void masksWithTheExactCountPass() {
        Gpt m = modelWithEvenMasks();
        assertDoesNotThrow(() -> CheckpointRules.checkMasks(WHERE, m, 0.5));
        // floor(0.45 * 16 + 0.5) = 7 and floor(0.45 * 64 + 0.5) = 29: half is wrong there
        refused(() -> CheckpointRules.checkMasks(WHERE, m, 0.45), "mask of h.0.attn.q (h.0.attn.c_attn.weight) masks 8 of 16 weights",
                "means exactly 7");
    }

    /** One zero moved from the values' third to the keys' third: c_attn's total is right, each third is not. */
    @Test
    void eachThirdOfCAttnIsCountedOnItsOwn() {
        Gpt m = modelWithEvenMasks();
        byte[] k = keep(m, "h.0.attn.c_attn.weight");
        k[2 * 16 + 1] = 0; // second position of v: kept before (odd positions are kept)
        k[16] = 1; // first position of k: masked before
        refused(() -> CheckpointRules.checkMasks(WHERE, m, 0.5), "mask of h.0.attn.k", "masks 7 of 16");
        Gpt m2 = modelWithEvenMasks();
        keep(m2, "h.0.attn.c_attn.weight")[2 * 16] = 1; // one masked position of v kept
        refused(() -> CheckpointRules.checkMasks(WHERE, m2, 0.5), "mask of h.0.attn.v", "masks 7 of 16", "means exactly 8");
        Gpt m3 = modelWithEvenMasks();
        keep(m3, "h.0.mlp.c_proj.weight")[62] = 1; // the last masked weight of the last tensor
        refused(() -> CheckpointRules.checkMasks(WHERE, m3, 0.5), "mask of h.0.mlp.c_proj", "masks 31 of 64", "means exactly 32");
    }

    @Test
    void masksPresentExactlyWhenTheSparsityIsPositive() {
        Gpt m = modelWithEvenMasks();
        refused(() -> CheckpointRules.checkMasks(WHERE, m, 0), "h.0.attn.c_attn.weight has a mask but the stated sparsity is 0");
        Gpt dense = new Gpt(new ModelConfig("rules", 1, 4, 2, 3, 5));
        assertDoesNotThrow(() -> CheckpointRules.checkMasks(WHERE, dense, 0));
        refused(() -> CheckpointRules.checkMasks(WHERE, dense, 0.5), "the stated sparsity is 0.5 but h.0.attn.c_attn.weight has no mask");
        // a tiny sparsity still needs every mask, even one that masks nothing (floor(1e-9 * n + 0.5) = 0)
        refused(() -> CheckpointRules.checkMasks(WHERE, dense, 1e-9), "has no mask");
        Gpt partly = modelWithEvenMasks();
        partly.maskedLayers().get(3).setKeep(null);
        refused(() -> CheckpointRules.checkMasks(WHERE, partly, 0.5), "h.0.mlp.c_proj.weight has no mask");
    }

    /** checkAll runs every rule with the optimizer's step count and the state's step. */
    @Test
    void checkAllAppliesEachRule() {
        Gpt m = modelWithEvenMasks();
        TrainSettings sparseHalf = new TrainSettings(10, 1, 4, 1, 1e-3, 1, 1.0, 0f, 5, 1, 5, 3, 0.5, AdamW.DEFAULTS);
        AdamW opt = new AdamW(m.parameters(), Map.of(), AdamW.DEFAULTS);
        assertDoesNotThrow(() -> CheckpointRules.checkAll(WHERE, m, opt, sparseHalf, state(0, 0, 0)));
        refused(() -> CheckpointRules.checkAll(WHERE, m, opt, settings(1e-3, -1, 0.9f, 0.95f, 1e-8f, 0.1f), state(0, 0, 0)), "clip_norm");
        refused(() -> CheckpointRules.checkAll(WHERE, m, opt, sparseHalf, state(0, -4, 0)), "tokens_seen is -4");
        refused(() -> CheckpointRules.checkAll(WHERE, modelWithEvenMasks(), opt, settings(1e-3, 1, 0.9f, 0.95f, 1e-8f, 0.1f), state(0, 0, 0)),
                "has a mask but the stated sparsity is 0");
        float[][] m1 = new float[m.parameters().size()][], m2 = new float[m1.length][];
        for (int i = 0; i < m1.length; i++) {
            m1[i] = new float[m.parameters().get(i).size()];
            m2[i] = new float[m1[i].length];
        }
        m2[m1.length - 1][0] = -1f;
        opt.restore(0, m1, m2);
        refused(() -> CheckpointRules.checkAll(WHERE, m, opt, sparseHalf, state(0, 0, 0)), "second moment of ln_f.bias is -1.0 at element 0");
    }
}
