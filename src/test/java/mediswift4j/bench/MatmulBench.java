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

import mediswift4j.tensor.Matmul;
import mediswift4j.tensor.Parallel;
import mediswift4j.util.Rng;

/**
 * JMH micro-benchmark of the dense kernel {@link Matmul#matmul} on the GPT's shapes: C[m x n] = op(A) op(B) for the
 * forward pass (x W^T: NT) and the two backward products (dY W: NN, dY^T X: TN), plus square sizes. Reports
 * milliseconds per call; GFLOP/s = 2 m k n / time. Run (after `mvn -q test-compile`):
 *
 *   mvn -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 *   java -cp target/test-classes:target/classes:$(cat target/cp.txt) mediswift4j.bench.MatmulBench [JMH options]
 *
 * e.g. `... MatmulBench -p shape=1024x1024x1024:NN -p threads=1 -f 1 -wi 3 -i 5`. Without options it runs
 * every shape with a short default (1 fork, 3 warm-up and 5 measured iterations of 1 s). The forked JVM loads the
 * Vector API module, so this measures MatmulSimd; add `-jvmArgsAppend -Dmediswift4j.simd=false` for the plain kernel.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MatmulBench {

    /** "MxKxN:AB" with A, B in {N, T} (T: that operand is stored transposed). */
    @Param({"256x256x256:NN", "1024x1024x1024:NN",
            "1024x768x2304:NT",   // forward of the qkv projection, B*T = 1024 rows, C = 768
            "1024x2304x768:NN",   // backward dX = dY W
            "2304x1024x768:TN"})  // backward dW = dY^T X
    public String shape;

    @Param({"1", "2"})
    public int threads;

    private int m, k, n;
    private boolean transA, transB;
    private float[] a, b, c;

    @Setup
    public void setup() {
        String[] parts = shape.split(":");
        String[] dims = parts[0].split("x");
        m = Integer.parseInt(dims[0]);
        k = Integer.parseInt(dims[1]);
        n = Integer.parseInt(dims[2]);
        transA = parts[1].charAt(0) == 'T';
        transB = parts[1].charAt(1) == 'T';
        a = random(m * k, 1);
        b = random(k * n, 2);
        c = new float[m * n];
        Parallel.setThreads(threads);
    }

    @Benchmark
    public float[] matmul() {
        Matmul.matmul(a, 0, transA, b, 0, transB, c, 0, m, k, n, false);
        return c;
    }

    private static float[] random(int count, long seed) {
        Rng rng = new Rng(seed);
        float[] x = new float[count];
        for (int i = 0; i < count; i++) x[i] = (float) (2 * rng.nextDouble() - 1);
        return x;
    }

    /** Entry point so the command in the class comment works without remembering JMH's main class. */
    public static void main(String[] args) throws Exception {
        String[] withInclude = new String[args.length + 1];
        withInclude[0] = MatmulBench.class.getSimpleName();
        System.arraycopy(args, 0, withInclude, 1, args.length);
        org.openjdk.jmh.Main.main(withInclude);
    }
}
