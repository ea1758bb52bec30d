package mediswift4j.train;

import mediswift4j.nn.ModelConfig;
import mediswift4j.nn.ParamCount;

/**
 * A pre-run estimate of the heap a training run needs, so a run too large for the heap stops at once with advice
 * instead of an OutOfMemoryError hours in.
 *
 * bytes = 16 P (parameters, gradients, Adam m and v, float32 each) + masks (one byte per sparsifiable weight)
 *       + activations of one micro-batch: B T [ 2 L (19 C + NH T) + 3 V + 4 C ] floats
 * The activation term counts per layer the saved forward tensors (residual, two LayerNorm outputs, qkv 3C,
 * attention output, projection, MLP 4C twice, residual adds: 19 C per token), the attention probabilities
 * (NH T per token), times 2 for their gradients; plus logits, their softmax and gradient (3 V) and embeddings.
 * The total is padded by 40% and 64 MiB for the JVM, temporaries and garbage-collector headroom, which keeps it
 * above the heap a measured run needed (docs/MEASUREMENTS.md).
 */
public final class MemoryEstimate {
    private MemoryEstimate() {}

    public static long trainingBytes(ModelConfig cfg, int batch, int seqLen) {
        ParamCount pc = ParamCount.of(cfg);
        double c = cfg.dModel(), l = cfg.layers(), v = cfg.vocabSize(), nh = cfg.heads();
        double state = 16.0 * pc.total() + pc.sparsifiable();
        double acts = (double) batch * seqLen * (2 * l * (19 * c + nh * seqLen) + 3 * v + 4 * c) * 4.0;
        return (long) ((state + acts) * 1.4) + (64L << 20);
    }

    /** Null when it fits in the heap, else a message saying how much is needed and how to raise the heap. */
    public static String checkHeap(long neededBytes) {
        long max = Runtime.getRuntime().maxMemory();
        if (max == Long.MAX_VALUE || neededBytes <= max) return null;
        long gib = (neededBytes + (1L << 30) - 1) >> 30;
        return String.format("this run needs about %.2f GiB of heap but the JVM has %.2f GiB; raise it, e.g. "
                + "java -Xmx%dg -jar mediswift4j.jar ..., or use a smaller --batch/--seq-len/--config",
                neededBytes / (double) (1L << 30), max / (double) (1L << 30), Math.max(1, gib + 1));
    }
}
