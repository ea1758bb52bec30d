package mediswift4j.cli;

import java.util.List;

import mediswift4j.bench.TrainThroughput;
import mediswift4j.io.Json;
import mediswift4j.nn.ModelConfig;
import mediswift4j.sparse.CompressedKernel;
import mediswift4j.sparse.KernelCalibration;
import mediswift4j.tensor.Parallel;
import mediswift4j.tensor.Simd;

/**
 * `bench train (--config NAME | --layers L --d-model D --heads H --seq-len T --batch B --vocab V) --sparsity S
 * --threads T --steps N [--warmup W] [--kernel dense|sparse|auto] [--json]`: training tokens/s on synthetic tokens, one result per sparsity.
 * --kernel picks how masked layers run: dense (masked dense matmuls), sparse (compressed kernels for every masked
 * layer) or auto (per layer shape the path measured faster on this machine, sparse.KernelCalibration; the default,
 * as in pretrain).
 */
final class BenchTrain {
    private BenchTrain() {}

    static int run(Args args) {
        String name = args.string("config", null);
        int layers = args.integer("layers", -1), dModel = args.integer("d-model", -1), heads = args.integer("heads", -1);
        int seqLen = args.integer("seq-len", -1), batch = args.integer("batch", 8), vocab = args.integer("vocab", -1);
        List<Double> sparsities = args.has("sparsity") ? args.numbers("sparsity") : List.of(0.0);
        int threads = args.threads(Parallel.threads());
        int steps = args.integer("steps", 10, 1, 1 << 20), warmup = args.integer("warmup", 3, 0, 1 << 20);
        long seed = args.longValue("seed", 1);
        String kernelName = args.string("kernel", "auto");
        boolean json = args.flag("json");
        args.finish();
        CompressedKernel.Mode kernel = CompressedKernel.Mode.parse(kernelName);
        if (kernel == null) throw new UsageException("--kernel must be dense, sparse or auto, got " + kernelName);
        ModelConfig cfg;
        if (name != null) {
            cfg = CliSupport.preset(name);
            if (vocab > 0) cfg = cfg.withVocab(vocab);
            if (seqLen < 0) seqLen = cfg.contextLength();
        } else {
            if (layers < 1 || dModel < 1 || heads < 1 || seqLen < 1 || vocab < 1) {
                throw new UsageException("give --config NAME, or all of --layers --d-model --heads --seq-len --vocab");
            }
            try {
                cfg = new ModelConfig("custom", layers, dModel, heads, seqLen, vocab);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }
        if (seqLen > cfg.contextLength()) cfg = cfg.withContext(seqLen);
        if (threads < 1) throw new UsageException("--threads must be at least 1");
        if (steps < 1 || warmup < 0) throw new UsageException("--steps must be >= 1 and --warmup >= 0");
        for (double s : sparsities) if (!(s >= 0 && s < 1)) throw new UsageException("--sparsity values must be in [0, 1), got " + s);
        Parallel.setThreads(threads);
        for (double s : sparsities) {
            System.err.printf("bench train: L%d d%d H%d T%d B%d V%d sparsity %.2f, kernel %s, %d threads, %s: %d warm-up + %d timed steps%n",
                    cfg.layers(), cfg.dModel(), cfg.heads(), seqLen, batch, cfg.vocabSize(), s, kernel.name().toLowerCase(java.util.Locale.ROOT),
                    threads, Simd.describe(), warmup, steps);
            TrainThroughput.Result r = TrainThroughput.measure(cfg, s, batch, seqLen, steps, warmup, seed, kernel);
            if (json) {
                System.out.println(Json.write(r.json(kernel, threads)));
            } else {
                System.out.printf("sparsity %.2f (" + kernel.name().toLowerCase(java.util.Locale.ROOT) + "): %.0f tokens/s (median step %.4f s), %.3g FLOPs/token (dense %.3g), %.1f GFLOP/s%n",
                        s, r.tokensPerSecond(), r.medianStepSeconds(), r.flopsPerToken(), r.flopsPerTokenDense(), r.gflops());
                if (kernel == CompressedKernel.Mode.AUTO) {
                    for (KernelCalibration.Choice c : KernelCalibration.made()) System.out.println("  auto: " + c.describe());
                }
            }
        }
        return 0;
    }
}
