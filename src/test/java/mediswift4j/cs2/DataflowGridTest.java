package mediswift4j.cs2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

import mediswift4j.nn.Masks;
import mediswift4j.util.Rng;

/**
 * The PE-grid simulation computes exactly the dense masked product, and its cycle count follows the nonzeros:
 * jqwik over shapes, grids, sparsities (0 .. 0.9) and masks with whole rows or columns removed.
 */
class DataflowGridTest {

    private static float[] gaussian(Rng rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) rng.nextGaussian();
        return a;
    }

    private static int[] bits(float[] a) {
        int[] b = new int[a.length];
        for (int i = 0; i < a.length; i++) b[i] = Float.floatToRawIntBits(a[i]);
        return b;
    }

    @Property(tries = 300)
    void equalsTheDenseMaskedProductBitForBit(@ForAll @IntRange(min = 1, max = 9) int m, @ForAll @IntRange(min = 1, max = 17) int k,
                                              @ForAll @IntRange(min = 1, max = 11) int n,
                                              @ForAll @IntRange(min = 1, max = 4) int gridRows, @ForAll @IntRange(min = 1, max = 4) int gridCols,
                                              @ForAll("sparsities") double s, @ForAll boolean emptyRow, @ForAll boolean emptyColumn,
                                              @ForAll long seed) {
        Rng rng = new Rng(seed);
        float[] x = gaussian(rng, m * k);
        float[] w = gaussian(rng, n * k);
        byte[] keep = Masks.random(seed, "w", n * k, s);
        if (emptyRow) for (int p = 0; p < k; p++) keep[(n / 2) * k + p] = 0;          // an output with no nonzeros
        if (emptyColumn) for (int j = 0; j < n; j++) keep[j * k + k / 2] = 0;         // an input feature never used
        CompressedWeights cw = CompressedWeights.fromMasked(w, keep, n, k);

        DataflowGrid.Result r = DataflowGrid.run(x, m, k, cw, gridRows, gridCols);
        float[] reference = MaskedGemmReference.multiply(x, m, k, w, keep, n);
        assertArrayEquals(bits(reference), bits(r.y()));

        long nnz = n * (long) k - Masks.zeros(keep);
        assertEquals(nnz, r.packets());                       // only nonzeros travel
        assertEquals(nnz * m, r.multiplyAdds());              // and only they are computed
        assertEquals(DataflowGrid.expectedCycles(m, cw, gridRows, gridCols), r.cycles());
        int pes = Math.min(gridRows, m) * gridCols;
        assertEquals(true, r.cycles() >= (r.multiplyAdds() + pes - 1) / pes);
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<Double> sparsities() {
        return net.jqwik.api.Arbitraries.of(0.0, 0.1, 0.5, 0.75, 0.9);
    }

    @Property(tries = 50)
    void anySparsityStillExact(@ForAll @DoubleRange(min = 0, max = 0.99) double s, @ForAll long seed) {
        Rng rng = new Rng(seed);
        int m = 5, k = 13, n = 7;
        float[] x = gaussian(rng, m * k), w = gaussian(rng, n * k);
        byte[] keep = Masks.random(seed, "w", n * k, s);
        DataflowGrid.Result r = DataflowGrid.run(x, m, k, CompressedWeights.fromMasked(w, keep, n, k), 2, 3);
        assertArrayEquals(bits(MaskedGemmReference.multiply(x, m, k, w, keep, n)), bits(r.y()));
    }

    @Test
    void cyclesFallInProportionToTheNonzeros() {
        // Every W row keeps exactly K (1 - s) weights, N is a multiple of the grid columns and M of the grid rows,
        // so the work is spread evenly: cycles - (R - 1) = (N / P) * K (1 - s) * (M / R) exactly.
        int m = 6, k = 40, n = 8, gridRows = 3, gridCols = 4;
        Rng rng = new Rng(7);
        float[] x = gaussian(rng, m * k), w = gaussian(rng, n * k);
        long[] cycles = new long[4];
        double[] s = {0, 0.5, 0.75, 0.9};
        for (int i = 0; i < s.length; i++) {
            byte[] keep = new byte[n * k];
            for (int j = 0; j < n; j++) System.arraycopy(Masks.random(11, "row", k, s[i]), 0, keep, j * k, k);
            DataflowGrid.Result r = DataflowGrid.run(x, m, k, CompressedWeights.fromMasked(w, keep, n, k), gridRows, gridCols);
            assertArrayEquals(bits(MaskedGemmReference.multiply(x, m, k, w, keep, n)), bits(r.y()));
            cycles[i] = r.cycles();
            long work = cycles[i] - (gridRows - 1);
            assertEquals((long) (n / gridCols) * Math.round(k * (1 - s[i])) * (m / gridRows), work);
        }
        for (int i = 1; i < s.length; i++) {
            assertEquals(1 - s[i], (double) (cycles[i] - 2) / (cycles[0] - 2), 1e-12);
        }
    }

    @Test
    void everythingMaskedTakesNoCyclesAndGivesZeros() {
        int m = 3, k = 4, n = 5;
        float[] x = gaussian(new Rng(1), m * k), w = gaussian(new Rng(2), n * k);
        byte[] keep = new byte[n * k];
        DataflowGrid.Result r = DataflowGrid.run(x, m, k, CompressedWeights.fromMasked(w, keep, n, k), 2, 2);
        assertEquals(0, r.cycles());
        assertEquals(0, r.packets());
        assertArrayEquals(new float[m * n], r.y());
    }

    @Test
    void compressedFormKeepsIndicesInAscendingOrder() {
        float[] w = {1, 2, 3, 4, 5, 6};
        byte[] keep = {1, 0, 1, 0, 0, 1};
        CompressedWeights cw = CompressedWeights.fromMasked(w, keep, 2, 3);
        assertArrayEquals(new int[] {0, 2, 3}, cw.rowStart());
        assertArrayEquals(new int[] {0, 2, 2}, cw.index());
        assertArrayEquals(new float[] {1, 3, 6}, cw.value());
    }
}
