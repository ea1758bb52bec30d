package mediswift4j.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import mediswift4j.nn.Gpt;
import mediswift4j.nn.MaskedLinear;
import mediswift4j.nn.Masks;
import mediswift4j.nn.ModelMasks;
import mediswift4j.optim.AdamW;
import mediswift4j.tensor.Tensor;
import mediswift4j.util.InputException;

/**
 * The consistency rules every checkpoint loader enforces after the bytes themselves check out (SPEC.md sections 9
 * and 14): a checksum only proves that nobody damaged the file, not that what it says adds up. Used by
 * Checkpoint.load, interop.CheckpointImport and interop.CheckpointAudit (`verify`); each violation is an
 * InputException that starts with `where` (the file) and names the tensor or field.
 *
 * - masks: present exactly when the stated sparsity s is > 0, on every sparsifiable weight, and each masked
 *   tensor (ModelMasks.targets: q, k, v, attn.c_proj, mlp.c_fc, mlp.c_proj) masks exactly Masks.maskedCount(n, s)
 *   of its n weights (the exact-count rule);
 * - Adam moments: both kinds for every parameter or none, and all of them when the step or the optimizer step is
 *   > 0; finite, second moments >= 0;
 * - run state: step, tokens seen and optimizer step >= 0, elapsed time finite and >= 0;
 * - settings: finite, clip and weight decay >= 0, betas in [0, 1), eps > 0.
 */
public final class CheckpointRules {
    private CheckpointRules() {}

    /** The stated sparsity and the model's masks tell the same story. */
    public static void checkMasks(String where, Gpt model, double sparsity) {
        for (MaskedLinear l : model.maskedLayers()) {
            if (sparsity > 0 && l.keep() == null) {
                throw new InputException(where + ": the stated sparsity is " + sparsity + " but " + l.weight.name + " has no mask");
            }
            if (sparsity == 0 && l.keep() != null) {
                throw new InputException(where + ": " + l.weight.name + " has a mask but the stated sparsity is 0");
            }
        }
        if (sparsity == 0) return;
        for (ModelMasks.Target t : ModelMasks.targets(model.config())) {
            byte[] keep = ModelMasks.layer(model, t.parameter()).keep();
            long zeros = 0;
            int base = t.rowStart() * t.cols();
            for (int i = 0; i < t.size(); i++) if (keep[base + i] == 0) zeros++;
            long want = Masks.maskedCount(t.size(), sparsity);
            if (zeros != want) {
                throw new InputException(where + ": mask of " + t.label() + " (" + t.parameter() + ") masks " + zeros + " of "
                        + t.size() + " weights; sparsity " + sparsity + " means exactly " + want + " (SPEC.md section 7)");
            }
        }
    }

    /**
     * Moments by parameter name (absent names missing): all or none, all when `step` or `optimizerStep` is > 0,
     * finite, second moments >= 0.
     */
    public static void checkMoments(String where, List<Tensor> params, Map<String, float[]> first, Map<String, float[]> second,
                                    long step, long optimizerStep) {
        boolean any = !first.isEmpty() || !second.isEmpty();
        boolean needed = any || step > 0 || optimizerStep > 0;
        if (!needed) return;
        for (Tensor p : params) {
            float[] m = first.get(p.name), v = second.get(p.name);
            if (m == null || v == null) {
                throw new InputException(where + ": Adam state is incomplete: no " + (m == null ? "first" : "second") + " moment for "
                        + p.name + (any ? "" : " (the run is at step " + Math.max(step, optimizerStep) + ", so every moment must be there)"));
            }
            for (int i = 0; i < m.length; i++) {
                if (!Float.isFinite(m[i])) throw new InputException(where + ": first moment of " + p.name + " is " + m[i] + " at element " + i);
                if (!Float.isFinite(v[i]) || v[i] < 0) {
                    throw new InputException(where + ": second moment of " + p.name + " is " + v[i] + " at element " + i
                            + " (a mean of squares: finite and >= 0)");
                }
            }
        }
    }

    /** The same rules on an optimizer's own arrays (after import or restore). */
    public static void checkMoments(String where, AdamW optimizer, long step) {
        List<Tensor> ps = optimizer.parameters();
        Map<String, float[]> m = new LinkedHashMap<>(), v = new LinkedHashMap<>();
        for (int i = 0; i < ps.size(); i++) {
            m.put(ps.get(i).name, optimizer.firstMoment(i));
            v.put(ps.get(i).name, optimizer.secondMoment(i));
        }
        checkMoments(where, ps, m, v, step, optimizer.stepCount());
    }

    /** Counters that cannot be negative, times that must be finite. */
    public static void checkState(String where, TrainState st, long optimizerStep) {
        if (st.step < 0) throw new InputException(where + ": step is " + st.step + ", must be >= 0");
        if (st.tokensSeen < 0) throw new InputException(where + ": tokens_seen is " + st.tokensSeen + ", must be >= 0");
        if (optimizerStep < 0) throw new InputException(where + ": optimizer_step is " + optimizerStep + ", must be >= 0");
        if (!(st.elapsedSeconds >= 0) || Double.isInfinite(st.elapsedSeconds)) {
            throw new InputException(where + ": elapsed_seconds is " + st.elapsedSeconds + ", must be finite and >= 0");
        }
    }

    /** Settings the constructor leaves open: finite clip, weight decay, Adam's betas and eps. */
    public static void checkSettings(String where, TrainSettings s) {
        AdamW.Settings a = s.adam();
        if (!(s.clipNorm() >= 0) || Double.isInfinite(s.clipNorm())) throw new InputException(where + ": clip_norm is " + s.clipNorm());
        if (!(a.weightDecay() >= 0) || Float.isInfinite(a.weightDecay())) throw new InputException(where + ": weight_decay is " + a.weightDecay());
        if (!(a.beta1() >= 0 && a.beta1() < 1) || !(a.beta2() >= 0 && a.beta2() < 1)) {
            throw new InputException(where + ": Adam betas " + a.beta1() + ", " + a.beta2() + " must be in [0, 1)");
        }
        if (!(a.eps() > 0) || Float.isInfinite(a.eps())) throw new InputException(where + ": Adam eps is " + a.eps() + ", must be > 0");
        if (Double.isInfinite(s.lr())) throw new InputException(where + ": lr is " + s.lr());
    }

    /** All of the above for a loaded or imported checkpoint. */
    public static void checkAll(String where, Gpt model, AdamW optimizer, TrainSettings settings, TrainState state) {
        checkSettings(where, settings);
        checkState(where, state, optimizer.stepCount());
        checkMasks(where, model, settings.sparsity());
        checkMoments(where, optimizer, state.step);
    }
}
