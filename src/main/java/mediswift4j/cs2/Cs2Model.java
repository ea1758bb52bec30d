package mediswift4j.cs2;

import java.util.ArrayList;
import java.util.List;

import mediswift4j.flops.FlopCount;
import mediswift4j.flops.FlopCounter;
import mediswift4j.nn.ModelConfig;

/**
 * Predicts the training step time of the MediSwift GPT on Cerebras CS-2 systems in weight-streaming mode
 * (SPEC.md section 11). An analytic model, not a measurement: its inputs are the FLOP count of {@link FlopCounter}
 * and the named figures of {@link Cs2Hardware}.
 *
 * The step is a sequence of streaming units, one per transformer block plus one for the embeddings and the tied
 * LM head. For each unit the weights stream in from MemoryX (forward), stream in again (backward) and the weight
 * gradients stream out, while the wafer computes on the activations it holds. Streaming is double-buffered, so
 *
 *   unit time = max(compute, weight streaming, on-wafer SRAM traffic)
 *   compute   = training FLOPs of the unit for B*T tokens / (peak * utilisation * systems)
 *   streaming = (2 * nnz * (value + index bytes) + nnz * value bytes + dense params * 3 * value bytes) / stream bw
 *   step time = sum of unit times
 *
 * With n systems SwarmX broadcasts each weight to all of them and sums their gradients: the batch (and so the
 * compute) is split n ways but every system still receives every weight, so the streaming time does not shrink.
 * Masked weights are neither streamed nor computed: compute and streamed nonzeros both scale with (1 - s).
 *
 * Where sparsity stops paying (the "saturation points" a reader should see):
 *   - dense attention scores and values: 4 S C FLOPs per token per block that no mask touches;
 *   - the dense LM head: 2 C V FLOPs per token;
 *   - the streaming bound: below the critical batch a block waits for its weights, not for its FLOPs; each
 *     streamed nonzero also carries an index, so 50% sparsity streams as many bytes as dense.
 */
public final class Cs2Model {
    private Cs2Model() {}

    /** One streaming unit's times for one step. bound is "compute", "stream" or "sram". */
    public record Unit(String name, double flops, double computeSeconds, double attentionSeconds,
                       double streamBytes, double streamSeconds, double sramSeconds, String bound) {
        public double seconds() {
            return Math.max(computeSeconds, Math.max(streamSeconds, sramSeconds));
        }
    }

    /**
     * A prediction. The breakdown fields split the step time into what sparsity shrinks (sparse matmuls) and what it
     * does not (dense attention, dense LM head, time spent waiting on the weight stream beyond the compute).
     */
    public record Prediction(ModelConfig config, double sparsity, int batch, int seqLen, int systems, Cs2Hardware hardware,
                             List<Unit> units, double stepSeconds, double denseStepSeconds, double flopReduction,
                             double sparseMatmulSeconds, double attentionSeconds, double lmHeadSeconds,
                             double streamingExcessSeconds, double criticalBatch, double activationBytes) {
        public double tokensPerSecond() {
            return (double) batch * seqLen / stepSeconds;
        }

        /** Dense step time / this step time, same batch, sequence length and hardware. */
        public double speedup() {
            return denseStepSeconds / stepSeconds;
        }

        /** Whether one step's stored activations fit the wafer's SRAM (informational; see activationBytes). */
        public boolean fitsInSram() {
            return activationBytes <= hardware.sramBytes();
        }
    }

    /** Prediction with the default hardware figures on one CS-2. */
    public static Prediction predict(ModelConfig config, double sparsity, int batch, int seqLen) {
        return predict(config, sparsity, batch, seqLen, 1, Cs2Hardware.defaults());
    }

    public static Prediction predict(ModelConfig config, double sparsity, int batch, int seqLen, int systems, Cs2Hardware hw) {
        if (batch < 1) throw new IllegalArgumentException("batch must be positive, got " + batch);
        if (systems < 1) throw new IllegalArgumentException("systems must be positive, got " + systems);
        Timing sparse = time(config, sparsity, batch, seqLen, systems, hw);
        Timing dense = sparsity == 0 ? sparse : time(config, 0, batch, seqLen, systems, hw);
        FlopCount fc = FlopCounter.count(config, seqLen, sparsity);

        double sparseMatmul = 0, attention = 0, lmHead = 0, excess = 0;
        for (Unit u : sparse.units) {
            excess += u.seconds() - u.computeSeconds();
            if (u.name().equals("lm_head")) lmHead += u.computeSeconds();
            else {
                attention += u.attentionSeconds();
                sparseMatmul += u.computeSeconds() - u.attentionSeconds();
            }
        }
        // Critical batch: the batch at which a block's compute equals its weight streaming time.
        Unit block = sparse.units.get(0);
        double critical = block.streamSeconds() / (block.computeSeconds() / batch);
        // Stored activations per block, FP16, no recomputation (Korthikanti et al. 2022, "Reducing Activation
        // Recomputation in Large Transformer Models", table 2): 34 T B C + 5 NH T^2 B bytes.
        double T = seqLen, C = config.dModel();
        double perBlock = 34 * T * batch * C + 5 * config.heads() * T * T * batch;
        double activations = perBlock * config.layers() / systems;
        return new Prediction(config, sparsity, batch, seqLen, systems, hw, sparse.units, sparse.step, dense.step,
                fc.reduction(), sparseMatmul, attention, lmHead, excess, critical, activations);
    }

    private record Timing(List<Unit> units, double step) {}

    private static Timing time(ModelConfig config, double sparsity, int batch, int seqLen, int systems, Cs2Hardware hw) {
        FlopCount fc = FlopCounter.count(config, seqLen, sparsity);
        double tokens = (double) batch * seqLen;
        double flopsPerSecond = hw.effectiveFlops() * systems;
        double C = config.dModel(), V = config.vocabSize();
        double density = 1 - sparsity;
        // Bytes per streamed weight: a nonzero carries its index when the matrix is streamed compressed.
        double inBytesSparse = hw.valueBytes() + (sparsity > 0 ? hw.indexBytes() : 0);

        List<Unit> units = new ArrayList<>();
        double step = 0;
        for (int l = 0; l < config.layers(); l++) {
            String name = "block." + l;
            double flops = 0, attnFlops = 0;
            for (FlopCount.Term t : fc.termsOf(name)) {
                flops += t.total() * tokens;
                if (t.kind() == FlopCount.Kind.ACTIVATIONS) attnFlops += t.total() * tokens;
            }
            double nnz = density * 12 * C * C;        // qkv 3C^2 + proj C^2 + fc 4C^2 + fc2 4C^2, masked
            double denseParams = 13 * C;               // biases 3C + C + 4C + C, two LayerNorms 4C
            double bytes = 2 * nnz * inBytesSparse + nnz * hw.valueBytes() + 3 * denseParams * hw.valueBytes();
            Unit u = unit(name, flops, attnFlops, bytes, activationTraffic(config, batch, seqLen) / systems, flopsPerSecond, hw);
            units.add(u);
            step += u.seconds();
        }
        // Token embedding (tied LM head) V x C, position embedding T x C, final LayerNorm 2C: all dense.
        double headFlops = 0;
        for (FlopCount.Term t : fc.termsOf("lm_head")) headFlops += t.total() * tokens;
        double headParams = V * C + (double) seqLen * C + 2 * C;
        Unit head = unit("lm_head", headFlops, 0, 3 * headParams * hw.valueBytes(), 0, flopsPerSecond, hw);
        units.add(head);
        step += head.seconds();
        return new Timing(List.copyOf(units), step);
    }

    private static Unit unit(String name, double flops, double attnFlops, double streamBytes, double sramBytesMoved,
                             double flopsPerSecond, Cs2Hardware hw) {
        double compute = flops / flopsPerSecond;
        double stream = streamBytes / hw.streamBandwidth();
        double sram = sramBytesMoved / hw.sramBandwidth();
        String bound = compute >= stream && compute >= sram ? "compute" : stream >= sram ? "stream" : "sram";
        return new Unit(name, flops, compute, attnFlops / flopsPerSecond, streamBytes, stream, sram, bound);
    }

    /** SRAM traffic of one block per step: its stored activations written in the forward and read in the backward. */
    private static double activationTraffic(ModelConfig config, int batch, int seqLen) {
        double T = seqLen, C = config.dModel();
        return 2 * (34 * T * batch * C + 5 * config.heads() * T * T * batch);
    }
}
