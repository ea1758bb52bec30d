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

import mediswift4j.autograd.AttentionOp;
import mediswift4j.autograd.AttentionReference;
import mediswift4j.autograd.Autograd;
import mediswift4j.autograd.ShapeOps;
import mediswift4j.tensor.Parallel;
import mediswift4j.tensor.Tensor;
import mediswift4j.util.Rng;

/**
 * JMH micro-benchmark of the fused causal self-attention: the optimized {@link AttentionOp} against its naive twin
 * {@link AttentionReference} (the previous implementation, plain loops), in the same JVM so the two are measured
 * under the same machine load. `train` is forward + backward (loss = sum of the output), `forward` is forward
 * alone without recording. Reports milliseconds per call. Run (after `mvn -q test-compile`):
 *
 *   mvn -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 *   java -cp target/test-classes:target/classes:$(cat target/cp.txt) mediswift4j.bench.AttentionBench [JMH options]
 *
 * e.g. `... AttentionBench -p shape=B8,T64,C128,NH4 -p threads=1 -p pass=train`.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class AttentionBench {

    /** "B,T,C,NH": batch, sequence length, model width, heads (HS = C / NH). */
    @Param({"B8,T64,C128,NH4", "B8,T128,C256,NH4", "B4,T256,C384,NH6"})
    public String shape;

    @Param({"fast", "reference"})
    public String impl;

    @Param({"train", "forward"})
    public String pass;

    @Param({"1", "2"})
    public int threads;

    private Tensor qkv;
    private int heads;

    @Setup
    public void setup() {
        String[] f = shape.split(",");
        int b = Integer.parseInt(f[0].substring(1)), t = Integer.parseInt(f[1].substring(1));
        int c = Integer.parseInt(f[2].substring(1));
        heads = Integer.parseInt(f[3].substring(2));
        qkv = Tensor.normal(new Rng(7), 0, 1, b, t, 3 * c);
        Parallel.setThreads(threads);
    }

    private Tensor attention() {
        return impl.equals("fast") ? AttentionOp.causalSelfAttention(qkv, heads)
                : AttentionReference.causalSelfAttention(qkv, heads);
    }

    @Benchmark
    public Object run() {
        if (pass.equals("forward")) {
            try (var g = Autograd.noGrad()) {
                return attention();
            }
        }
        qkv.requiresGrad = true;
        qkv.grad = null;
        Tensor out = attention();
        Autograd.backward(ShapeOps.sum(out));
        return qkv.grad;
    }

    /** Entry point so the command in the class comment works without remembering JMH's main class. */
    public static void main(String[] args) throws Exception {
        String[] withInclude = new String[args.length + 1];
        withInclude[0] = AttentionBench.class.getSimpleName();
        System.arraycopy(args, 0, withInclude, 1, args.length);
        org.openjdk.jmh.Main.main(withInclude);
    }
}
