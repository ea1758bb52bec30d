package mediswift4j.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import mediswift4j.data.TokenFile;
import mediswift4j.flops.FlopCount;
import mediswift4j.flops.FlopCounter;
import mediswift4j.nn.ModelConfig;
import mediswift4j.optim.AdamW;
import mediswift4j.sparse.CompressedKernel;
import mediswift4j.sparse.KernelCalibration;
import mediswift4j.tensor.Simd;
import mediswift4j.train.TrainSettings;
import mediswift4j.train.TrainState;
import mediswift4j.train.Trainer;
import mediswift4j.util.Rng;

/**
 * Training throughput of the full pre-training step (forward, backward, clipping, AdamW, masks) on synthetic
 * tokens: the number `bench train` prints and the PyTorch twin (tools/torch_gpt.py bench) is compared against.
 * Each step is timed on its own; the result is the median over the timed steps after the warm-up steps.
 */
public final class TrainThroughput {
    private TrainThroughput() {}

    public record Result(ModelConfig config, double sparsity, int batch, int seqLen, int steps, int warmup,
                         double medianStepSeconds, double tokensPerSecond, double flopsPerToken, double flopsPerTokenDense,
                         double[] stepSeconds) {
        /** Counted training FLOP/s achieved (actual FLOPs, SPEC section 10). */
        public double gflops() {
            return tokensPerSecond * flopsPerToken / 1e9;
        }

        /** The JSON object `bench train --json` prints for one sparsity. */
        public Map<String, Object> json(CompressedKernel.Mode kernel, int threads) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("layers", (long) config.layers());
            m.put("d_model", (long) config.dModel());
            m.put("heads", (long) config.heads());
            m.put("seq_len", (long) seqLen);
            m.put("batch", (long) batch);
            m.put("vocab", (long) config.vocabSize());
            m.put("sparsity", sparsity);
            m.put("kernel", kernel.name().toLowerCase(Locale.ROOT));
            m.put("float_lanes", (long) Simd.floatLanes());
            List<Object> auto = new ArrayList<>();
            for (KernelCalibration.Choice c : KernelCalibration.made()) auto.add(c.describe());
            m.put("auto_choices", auto);
            m.put("threads", (long) threads);
            m.put("steps", (long) steps);
            m.put("warmup", (long) warmup);
            m.put("median_step_s", medianStepSeconds);
            m.put("tokens_per_s", tokensPerSecond);
            m.put("flops_per_token", flopsPerToken);
            m.put("flops_per_token_dense", flopsPerTokenDense);
            m.put("gflops", gflops());
            return m;
        }
    }

    public static Result measure(ModelConfig config, double sparsity, int batch, int seqLen, int steps, int warmup, long seed) {
        return measure(config, sparsity, batch, seqLen, steps, warmup, seed, CompressedKernel.Mode.AUTO);
    }

    /** As above, with the masked layers' kernel chosen: dense (masked dense matmuls), sparse (compressed) or auto. */
    public static Result measure(ModelConfig config, double sparsity, int batch, int seqLen, int steps, int warmup, long seed,
                                 CompressedKernel.Mode kernel) {
        int total = warmup + steps;
        // Enough random tokens for every window; the content does not affect the time of a step.
        int n = Math.max(4 * batch * (seqLen + 1), 1 << 16);
        int[] tokens = new int[n];
        Rng rng = Rng.derive(seed, "bench.tokens", 0);
        for (int i = 0; i < n; i++) tokens[i] = rng.nextInt(config.vocabSize());
        TokenFile data = new TokenFile(config.vocabSize(), tokens, n);
        TrainSettings s = new TrainSettings(total, batch, seqLen, 1, 1e-4, 0, 1.0, 0f, 0, 1, 0, seed, sparsity, AdamW.DEFAULTS);
        Trainer trainer = Trainer.fresh(config, data, s, new TrainState());
        trainer.model().setKernel(new CompressedKernel(kernel));
        List<Double> times = new ArrayList<>();
        long[] last = {System.nanoTime()};
        try {
            trainer.run(total, null, new Trainer.Progress() {
                @Override
                public void step(Trainer.StepReport r) {
                    long now = System.nanoTime();
                    if (r.step() > warmup) times.add((now - last[0]) / 1e9);
                    last[0] = now;
                }
            });
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e); // no checkpoint directory: nothing is written
        }
        double[] secs = times.stream().mapToDouble(Double::doubleValue).toArray();
        double[] sorted = secs.clone();
        Arrays.sort(sorted);
        double median = sorted.length == 0 ? Double.NaN
                : sorted.length % 2 == 1 ? sorted[sorted.length / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        FlopCount f = FlopCounter.count(config, seqLen, sparsity);
        return new Result(config, sparsity, batch, seqLen, steps, warmup, median, batch * seqLen / median, f.perToken(), f.perTokenDense(), secs);
    }
}
