package mediswift4j.bench;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import mediswift4j.nn.Masks;
import mediswift4j.sparse.SparseLinearKernel;
import mediswift4j.sparse.TokenBlocks;
import mediswift4j.tensor.Parallel;
import mediswift4j.util.Rng;

/**
 * JMH micro-benchmark of each compressed kernel of {@link SparseLinearKernel} on its own (the whole-layer
 * comparison with the dense path is `bench sparse`): forward, dx, dW and the row-to-token-block transpose, for a
 * layer OUTxIN over N tokens. Milliseconds per call; effective GFLOP/s = 2 N nnz / time. Run (after
 * `mvn -q test-compile`):
 *
 *   mvn -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 *   java -cp target/test-classes:target/classes:$(cat target/cp.txt) mediswift4j.bench.SparseLinearBench \
 *       -p shape=768x3072 -p sparsity=0.75 -p threads=1 -f 1 -wi 3 -i 5
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SparseLinearBench {
    /** OUTxIN of the weight, as nn.Linear stores it. */
    @Param({"768x3072", "3072x768", "2304x768"})
    public String shape;

    @Param({"0.5", "0.75", "0.9"})
    public double sparsity;

    @Param({"1024"})
    public int tokens;

    @Param({"1", "2"})
    public int threads;

    private SparseLinearKernel kernel;
    private float[] x, bias, dW;
    private TokenBlocks xt, dyt, yt, dxt;

    @Setup
    public void setup() {
        String[] p = shape.split("x");
        int out = Integer.parseInt(p[0]), in = Integer.parseInt(p[1]);
        Parallel.setThreads(threads);
        Rng rng = new Rng(42);
        x = random(rng, tokens * in);
        float[] w = random(rng, out * in), dy = random(rng, tokens * out);
        bias = random(rng, out);
        kernel = SparseLinearKernel.build(Masks.random(42, "jmh", out * in, sparsity), out, in, w);
        xt = TokenBlocks.fromRows(x, 0, tokens, in);
        dyt = TokenBlocks.fromRows(dy, 0, tokens, out);
        yt = new TokenBlocks(out, tokens);
        dxt = new TokenBlocks(in, tokens);
        dW = new float[out * in];
    }

    private static float[] random(Rng rng, int count) {
        float[] v = new float[count];
        for (int i = 0; i < count; i++) v[i] = 2 * rng.nextFloat() - 1;
        return v;
    }

    @Benchmark
    public Object forward() {
        kernel.forward(xt, bias, yt);
        return yt;
    }

    @Benchmark
    public Object backwardInput() {
        kernel.backwardInput(dyt, dxt);
        return dxt;
    }

    @Benchmark
    public Object backwardWeight() {
        kernel.backwardWeight(dyt, xt, dW);
        return dW;
    }

    @Benchmark
    public Object transposeIn() {
        xt.loadRows(x, 0);
        return xt;
    }
}
