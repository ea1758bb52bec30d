package mediswift4j.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;

import mediswift4j.nn.ModelConfig;

/**
 * The sizes of every stage of `reproduce`: the pre-training run (model preset, vocabulary, T, B, steps, peak LR,
 * warm-up), fine-tuning (LR, epochs, soft-prompt lengths), how much of each benchmark is used, and how many seeds
 * and PubMedQA folds are averaged. Two presets, {@link #full()} and {@link #quick()}; any field can be overridden
 * from the command line through {@link Overrides}.
 *
 * Test-set sizes: 0 means the whole official test set (PubMedQA's 500 questions, HoC's 371 abstracts); a positive
 * number means a seeded stratified sample of that many items (SPEC.md section 16). HoC training and dev sets are
 * likewise whole (0) or a stratified sample of whole abstracts.
 *
 * The pre-training and fine-tuning settings come from the sweep recorded in SPEC.md section 16 (real PubMedQA
 * contexts and the shipped samples).
 */
public record ReproductionPlan(String config, int vocab, int seqLen, int batch, int steps, double lr, int warmup,
                               int evalEvery, int evalWindows, int checkpointEvery,
                               double fineTuneLr, int pubmedqaEpochs, int hocEpochs, int softPromptPubmedqa, int softPromptHoc,
                               int pubmedqaTest, int hocTrainAbstracts, int hocDevAbstracts, int hocTestAbstracts,
                               int seeds, int pretrainSeeds, int folds, int bootstrapResamples) {

    public ReproductionPlan {
        ModelConfig.preset(config); // throws on an unknown name
        positive("vocab", vocab);
        positive("seq-len", seqLen);
        positive("batch", batch);
        positive("steps", steps);
        if (!(lr > 0) || !Double.isFinite(lr)) throw new IllegalArgumentException("--lr must be a positive number, got " + lr);
        if (warmup < 0 || warmup > steps) throw new IllegalArgumentException("warm-up must be in [0, steps], got " + warmup);
        if (!(fineTuneLr > 0) || !Double.isFinite(fineTuneLr)) throw new IllegalArgumentException("--finetune-lr must be positive, got " + fineTuneLr);
        positive("PubMedQA epochs", pubmedqaEpochs);
        positive("HoC epochs", hocEpochs);
        positive("--seeds", seeds);
        positive("--pretrain-seeds", pretrainSeeds);
        if (folds < 1 || folds > 10) throw new IllegalArgumentException("--folds must be in [1, 10], got " + folds);
        if (pubmedqaTest < 0 || hocTrainAbstracts < 0 || hocDevAbstracts < 0 || hocTestAbstracts < 0) {
            throw new IllegalArgumentException("sample sizes must be >= 0 (0 = all)");
        }
        int context = ModelConfig.preset(config).contextLength();
        if (seqLen > context) throw new IllegalArgumentException("--seq-len " + seqLen + " exceeds " + config + "'s context length " + context);
    }

    private static void positive(String name, int v) {
        if (v < 1) throw new IllegalArgumentException(name + " must be at least 1, got " + v);
    }

    /**
     * The default run: whole training, dev and test sets; HoC trains one epoch (its checkpoint chosen on dev at the
     * half-way point or the end), which keeps six HoC runs within the 25-minute budget on 2 cores with the real data.
     */
    public static ReproductionPlan full() {
        return new ReproductionPlan("mediswift-tiny", 2048, 64, 16, 500, 2e-3, 40, 50, 48, 50,
                3e-3, 4, 1, 9, 1,
                0, 0, 0, 0,
                1, 1, 1, 1000);
    }

    /**
     * `--quick`: smaller vocabulary and pre-training, one fine-tuning epoch per task, stratified samples of the test
     * sets (250 PubMedQA questions, 100 HoC abstracts) and of HoC training and dev (100 and 40 abstracts): at most
     * 5 minutes on real data.
     */
    public static ReproductionPlan quick() {
        return new ReproductionPlan("mediswift-tiny", 1024, 64, 8, 200, 2e-3, 16, 25, 16, 25,
                3e-3, 1, 1, 9, 1,
                250, 100, 40, 100,
                1, 1, 1, 1000);
    }

    /** Command-line overrides; null (or 0 for the counts) leaves the preset's value. */
    public record Overrides(String config, Double lr, Integer steps, Long tokens, Integer batch, Integer seqLen,
                            Double fineTuneLr, Integer seeds, Integer pretrainSeeds, Integer folds) {
        public static Overrides none() {
            return new Overrides(null, null, null, null, null, null, null, null, null, null);
        }
    }

    /** This plan with the given overrides; `--tokens` sets steps = ceil(tokens / (batch x T)). Warm-up keeps its share. */
    public ReproductionPlan with(Overrides o) {
        int b = o.batch() != null ? o.batch() : batch;
        int t = o.seqLen() != null ? o.seqLen() : seqLen;
        if (o.steps() != null && o.tokens() != null) throw new IllegalArgumentException("give --steps or --tokens, not both");
        int s = steps;
        if (o.steps() != null) s = o.steps();
        if (o.tokens() != null) {
            if (o.tokens() < 1) throw new IllegalArgumentException("--tokens must be positive, got " + o.tokens());
            long perStep = (long) b * t;
            long n = (o.tokens() + perStep - 1) / perStep;
            if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("--tokens " + o.tokens() + " is too many steps");
            s = (int) n;
        }
        int w = (int) Math.round((double) warmup * s / steps);
        int every = Math.max(1, (int) Math.round((double) evalEvery * s / steps));
        int ckpt = Math.max(1, (int) Math.round((double) checkpointEvery * s / steps));
        return new ReproductionPlan(o.config() != null ? o.config() : config, vocab, t, b, s,
                o.lr() != null ? o.lr() : lr, w, every, evalWindows, ckpt,
                o.fineTuneLr() != null ? o.fineTuneLr() : fineTuneLr, pubmedqaEpochs, hocEpochs, softPromptPubmedqa, softPromptHoc,
                pubmedqaTest, hocTrainAbstracts, hocDevAbstracts, hocTestAbstracts,
                o.seeds() != null ? o.seeds() : seeds, o.pretrainSeeds() != null ? o.pretrainSeeds() : pretrainSeeds,
                o.folds() != null ? o.folds() : folds, bootstrapResamples);
    }

    /** Fine-tuning sequence length: twice the pre-training T, capped by the context (prompts are long). */
    public int fineTuneSeqLen() {
        return Math.min(2 * seqLen, ModelConfig.preset(config).contextLength());
    }

    /** Every field, for results.json and for the stage keys (a changed setting recomputes what depends on it). */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("config", config);
        m.put("vocab", (long) vocab);
        m.put("seq_len", (long) seqLen);
        m.put("batch", (long) batch);
        m.put("steps", (long) steps);
        m.put("lr", lr);
        m.put("warmup", (long) warmup);
        m.put("eval_every", (long) evalEvery);
        m.put("eval_windows", (long) evalWindows);
        m.put("checkpoint_every", (long) checkpointEvery);
        m.put("fine_tune_lr", fineTuneLr);
        m.put("fine_tune_seq_len", (long) fineTuneSeqLen());
        m.put("pubmedqa_epochs", (long) pubmedqaEpochs);
        m.put("hoc_epochs", (long) hocEpochs);
        m.put("soft_prompt_pubmedqa", (long) softPromptPubmedqa);
        m.put("soft_prompt_hoc", (long) softPromptHoc);
        m.put("pubmedqa_test", (long) pubmedqaTest);
        m.put("hoc_train_abstracts", (long) hocTrainAbstracts);
        m.put("hoc_dev_abstracts", (long) hocDevAbstracts);
        m.put("hoc_test_abstracts", (long) hocTestAbstracts);
        m.put("seeds", (long) seeds);
        m.put("pretrain_seeds", (long) pretrainSeeds);
        m.put("folds", (long) folds);
        m.put("bootstrap_resamples", (long) bootstrapResamples);
        return m;
    }
}
