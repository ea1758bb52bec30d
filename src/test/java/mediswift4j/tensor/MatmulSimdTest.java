package mediswift4j.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import mediswift4j.util.Rng;

/**
 * {@link MatmulSimd} (Vector API) against the plain-Java kernel {@link Matmul#plain}: equal bit for bit, on shapes
 * that are not multiples of its tile (6 rows x 2 vectors), its k slice (256) or its row block (96), with every
 * transpose combination, accumulate on and off, and nonzero offsets. Equality is the contract that lets a run
 * with or without the Vector API module produce the same model.
 */
class MatmulSimdTest {

    @Test
    void surefireLoadsTheVectorModule() {
        // pom.xml runs the tests with --add-modules jdk.incubator.vector; without it the property below would
        // compare the plain kernel with itself.
        assertTrue(Simd.ENABLED, "tests must run with --add-modules " + Simd.MODULE);
    }

    @Property(tries = 60)
    void simdEqualsPlainBitForBit(@ForAll @IntRange(min = 1, max = 120) int m,
                                  @ForAll @IntRange(min = 1, max = 600) int k,
                                  @ForAll @IntRange(min = 1, max = 100) int n,
                                  @ForAll boolean transA, @ForAll boolean transB, @ForAll boolean accumulate,
                                  @ForAll @IntRange(min = 0, max = 5) int off, @ForAll long seed) {
        float[] a = random(off + m * k, seed), b = random(off + k * n, seed + 1);
        float[] cInit = random(off + m * n + 1, seed + 2);
        float[] simd = cInit.clone(), plain = cInit.clone();
        MatmulSimd.matmul(a, off, transA, b, off, transB, simd, off, m, k, n, accumulate);
        Matmul.plain(a, off, transA, b, off, transB, plain, off, m, k, n, accumulate);
        for (int i = 0; i < simd.length; i++) {
            assertEquals(Float.floatToRawIntBits(plain[i]), Float.floatToRawIntBits(simd[i]),
                    () -> String.format("m=%d k=%d n=%d transA=%b transB=%b acc=%b off=%d", m, k, n, transA, transB,
                            accumulate, off));
        }
    }

    /**
     * Wide C (n > 256: two column blocks of B) with several k slices (KC = 512: two whole slices and a part) takes
     * the other route (tiles parked in the workspace, then copied into C), and m past one row block (288 rows)
     * takes several blocks per thread.
     */
    @Property(tries = 8)
    void wideAndTallShapesToo(@ForAll @IntRange(min = 250, max = 340) int m, @ForAll @IntRange(min = 250, max = 1100) int k,
                              @ForAll @IntRange(min = 250, max = 300) int n, @ForAll boolean transA, @ForAll boolean transB,
                              @ForAll boolean accumulate, @ForAll long seed) {
        simdEqualsPlainBitForBit(m, k, n, transA, transB, accumulate, 1, seed);
    }

    private static float[] random(int count, long seed) {
        Rng rng = new Rng(seed);
        float[] x = new float[count];
        for (int i = 0; i < count; i++) x[i] = (float) (2 * rng.nextDouble() - 1);
        return x;
    }
}
