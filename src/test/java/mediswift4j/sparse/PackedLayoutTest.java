package mediswift4j.sparse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import mediswift4j.nn.Masks;
import mediswift4j.tensor.Parallel;
import mediswift4j.util.Rng;

/**
 * The packed activation layout of the Vector API kernels (SparseSimd's class comment), checked against its written
 * definition rather than against the packing code: chunks(N) is ceil(N / 128) rounded up to an even count;
 * packed[OFFSET + (g F + q) 128 + l] = a[(g 128 + l) F + q] for tokens below the limit and exactly 0 for every other
 * token of the chunks(N) chunks; a caller's buffer is used when it holds OFFSET + the packed size and never written
 * past that size. The buffers handed in here are filled with NaN and sized exactly, so a missing zero fill or a write
 * past the packed region shows as a NaN or an exception. Then the kernels that read such exactly sized buffers
 * (forwardPacked, backwardRows with a given packed input) against the plain twins, bit for bit, including token
 * counts whose tail past the last 32-token group carries an infinite dy or x (the weight gradient must zero that
 * tail in both packed operands, or 0 * inf poisons its lanes), and the thread-local scratch when a layer needs more
 * than the smallest (half-region) buffer.
 */
class PackedLayoutTest {
    static final int OFFSET = 12, CHUNK = 128;

    /** ceil(n / 128) rounded up to an even number, written out. */
    static int evenChunks(int n) {
        int g = 0;
        while (g * CHUNK < n) g++;
        return g % 2 == 0 ? g : g + 1;
    }

    @Test
    void chunksAreTheTokenChunksRoundedUpToAnEvenCount() {
        int[][] expected = {{0, 0}, {1, 2}, {127, 2}, {128, 2}, {129, 2}, {255, 2}, {256, 2}, {257, 4}, {384, 4},
                            {385, 4}, {512, 4}, {513, 6}, {1300, 12}};
        for (int[] e : expected) {
            assertEquals(e[1], evenChunks(e[0]), "the test's own rule at n=" + e[0]);
            assertEquals(e[1], SparseSimd.chunks(e[0]), "n=" + e[0]);
        }
    }

    /** Checks packed (F features, n tokens, tokens >= limit zero) against the written definition. */
    static void assertLayout(float[] packed, float[] a, int off, int n, int features, int limit) {
        int g2 = evenChunks(n);
        for (int g = 0; g < g2; g++) {
            for (int q = 0; q < features; q++) {
                for (int l = 0; l < CHUNK; l++) {
                    int t = g * CHUNK + l;
                    float want = t < limit ? a[off + t * features + q] : 0f;
                    float got = packed[OFFSET + (g * features + q) * CHUNK + l];
                    assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(got),
                            "chunk " + g + " feature " + q + " token " + t + " (n=" + n + ", F=" + features + ", limit=" + limit + ")");
                }
            }
        }
    }

    static float[] nanBuffer(int length) {
        float[] b = new float[length];
        Arrays.fill(b, Float.NaN);
        return b;
    }

    static SparseLinearKernel kernel(int out, int in, double sparsity, long seed) {
        Rng rng = new Rng(seed);
        return SparseLinearKernel.build(Masks.random(seed, "packed", out * in, sparsity), out, in,
                SparseLinearKernelTest.uniform(rng, out * in));
    }

    @Test
    void packInputUsesAnExactlySizedBufferAndFollowsTheLayout() {
        int[][] shapes = {{1, 1}, {127, 17}, {128, 16}, {129, 3}, {256, 33}, {300, 5}, {385, 40}};
        int saved = Parallel.threads();
        try {
            for (int threads : new int[] {1, 2}) {
                Parallel.setThreads(threads);
                for (int[] s : shapes) {
                    int n = s[0], f = s[1];
                    float[] x = SparseLinearKernelTest.uniform(new Rng(n * 31L + f), n * f);
                    SparseLinearKernel k = kernel(3, f, 0.5, n + f);
                    float[] exact = nanBuffer(OFFSET + evenChunks(n) * f * CHUNK);
                    float[] p = k.packInput(x, n, exact);
                    assertSame(exact, p, "a buffer of exactly OFFSET + the packed size is used, n=" + n + " F=" + f);
                    assertLayout(p, x, 0, n, f, n);
                    // one float short: a new buffer, same contents; the short one is not written
                    float[] shorter = nanBuffer(OFFSET + evenChunks(n) * f * CHUNK - 1);
                    float[] q = k.packInput(x, n, shorter);
                    assertNotSame(shorter, q, "a buffer one float short is not used, n=" + n + " F=" + f);
                    assertLayout(q, x, 0, n, f, n);
                    for (float v : shorter) assertTrue(Float.isNaN(v), "the short buffer was written");
                    assertLayout(k.packInput(x, n, null), x, 0, n, f, n);
                }
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    void packRowsIntoZeroesTheTokensFromTheLimitOn() {
        // the weight gradient packs x with limit N - (N mod 32); an offset into a larger array as well
        for (int[] s : new int[][] {{300, 7, 288}, {256, 16, 224}, {40, 33, 32}, {129, 20, 0}, {200, 9, 200}}) {
            int n = s[0], f = s[1], limit = s[2], off = 5;
            float[] a = SparseLinearKernelTest.uniform(new Rng(n + f), off + n * f);
            float[] exact = nanBuffer(OFFSET + evenChunks(n) * f * CHUNK);
            assertSame(exact, SparseSimd.packRowsInto(exact, a, off, n, f, limit));
            assertLayout(exact, a, off, n, f, limit);
        }
    }

    @Test
    void zeroTokensFromClearsEveryFeaturesTokensFromThereOnAndNothingElse() {
        for (int[] s : new int[][] {{300, 7, 288}, {256, 5, 224}, {100, 3, 96}, {31, 4, 0}, {257, 2, 256}}) {
            int n = s[0], f = s[1], from = s[2];
            float[] a = SparseLinearKernelTest.uniform(new Rng(n * 7L + f), n * f);
            float[] packed = SparseSimd.packRowsInto(nanBuffer(OFFSET + evenChunks(n) * f * CHUNK), a, 0, n, f, n);
            SparseSimd.zeroTokensFrom(packed, f, n, from);
            assertLayout(packed, a, 0, n, f, from);
        }
    }

    @Test
    void forwardFromAnExactlySizedPackedInputEqualsThePlainTwin() {
        // 256 and 512 tokens fill an even number of chunks exactly: nothing past them may be read
        int saved = Parallel.threads();
        try {
            for (int threads : new int[] {1, 2}) {
                Parallel.setThreads(threads);
                for (int n : new int[] {256, 512, 300}) {
                    int in = 37, out = 29;
                    SparseLinearKernelTest.Case c = new SparseLinearKernelTest.Case(n, in, out, 0.75, false, n);
                    SparseLinearKernel k = SparseLinearKernel.build(c.mask, out, in, c.w);
                    float[] px = k.packInput(c.x, n, nanBuffer(OFFSET + evenChunks(n) * in * CHUNK));
                    float[] y0 = new float[n * out], y1 = new float[n * out], y2 = new float[n * out];
                    k.forwardRows(c.x, n, c.bias, y0, false);
                    k.forwardPacked(px, n, c.bias, y1);
                    SparseSimdTest.assertBits(y0, y1, "y, n=" + n);
                    k.forwardRows(c.x, n, null, y0, false);
                    k.forwardPacked(px, n, null, y2);
                    SparseSimdTest.assertBits(y0, y2, "y without bias, n=" + n);
                }
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    void weightGradientFromAGivenPackedInputEqualsThePlainTwin() {
        // 300 tokens: 288 in the lanes and a tail of 12 added one by one, so the given px is zeroed from 288 on
        for (int n : new int[] {300, 256, 40, 20}) {
            int in = 45, out = 26;
            SparseLinearKernelTest.Case c = new SparseLinearKernelTest.Case(n, in, out, 0.75, false, n + 1);
            SparseLinearKernel k = SparseLinearKernel.build(c.mask, out, in, c.w);
            float[] px = k.packInput(c.x, n, nanBuffer(OFFSET + evenChunks(n) * in * CHUNK));
            float[] dx0 = new float[n * in], dx1 = new float[n * in], dw0 = new float[k.nnz], dw1 = new float[k.nnz];
            float[] db0 = new float[out], db1 = new float[out];
            k.backwardRows(c.x, c.dy, n, dx0, dw0, db0, false);
            k.backwardRows(c.x, px, c.dy, n, dx1, dw1, db1);
            SparseSimdTest.assertBits(dx0, dx1, "dx, n=" + n);
            SparseSimdTest.assertBits(dw0, dw1, "dW, n=" + n);
            SparseSimdTest.assertBits(db0, db1, "db, n=" + n);
        }
    }

    @Test
    void anInfiniteTailTokenGivesTheSameWeightGradientOnBothPaths() {
        // Token 297 lies past the last whole 32-token group (288): the plain twin adds it one by one. The 16-lane
        // kernel walks whole chunk pairs, so both packed operands must hold 0 there (0 * inf in a lane would be
        // NaN); the 8- and 4-lane kernels stop at 288 and never read it (docs/MUTATION.md).
        int n = 300, in = 45, out = 26, tail = 297;
        for (boolean infInDy : new boolean[] {true, false}) {
            for (boolean givenPx : new boolean[] {true, false}) {
                SparseLinearKernelTest.Case c = new SparseLinearKernelTest.Case(n, in, out, 0.75, false, 77);
                if (infInDy) c.dy[tail * out + 3] = Float.POSITIVE_INFINITY;
                else c.x[tail * in + 4] = Float.NEGATIVE_INFINITY;
                SparseLinearKernel k = SparseLinearKernel.build(c.mask, out, in, c.w);
                float[] dw0 = new float[k.nnz], dw1 = new float[k.nnz];
                k.backwardRows(c.x, c.dy, n, null, dw0, null, false);
                float[] px = givenPx ? k.packInput(c.x, n, null) : null;
                k.backwardRows(c.x, px, c.dy, n, null, dw1, null);
                int infinite = 0;
                for (int p = 0; p < dw0.length; p++) {
                    if (Float.isInfinite(dw0[p])) infinite++;
                    assertEquals(Float.floatToIntBits(dw0[p]), Float.floatToIntBits(dw1[p]),
                            "dW entry " + p + (infInDy ? ", inf in dy" : ", inf in x") + (givenPx ? ", px given" : ""));
                }
                assertTrue(infinite > 0, "the infinite token reaches some kept entry");
            }
        }
    }

    @Test
    void aLayersPackedInputServesOnlyTheBackwardOfTheForwardThatFilledIt() {
        // Compressed keeps one packed copy of its input; a second forward (same size, so the same buffer) overwrites
        // it, and the first forward's backward must then pack x again: its dW is that of x, not of the newer input.
        int n = 300, in = 21, out = 13;
        SparseLinearKernelTest.Case c = new SparseLinearKernelTest.Case(n, in, out, 0.75, false, 21);
        CompressedKernel.Compressed layer = new CompressedKernel.Compressed(c.mask, out, in);
        layer.refresh(c.w);
        assertTrue(CompressedKernel.weightGradientPays(layer.sparsity()), "compressed dW at 0.75");
        float[] dwVal = new float[layer.kernel.nnz], want = new float[out * in];
        layer.kernel.backwardRows(c.x, c.dy, n, null, dwVal, null, false);
        layer.kernel.scatterAdd(dwVal, want);

        CompressedKernel.Compressed.Saved first = layer.forward(c.x, n, c.bias, new float[n * out]);
        float[] other = c.x.clone();
        for (int q = 0; q < other.length; q++) other[q] = 2 * other[q] + 1;
        CompressedKernel.Compressed.Saved second = layer.forward(other, n, c.bias, new float[n * out]);
        float[] dW = new float[out * in];
        layer.backward(first, c.x, c.dy, null, dW, null);
        SparseSimdTest.assertBits(want, dW, "dW of the first forward after a second one");
        // and the newest forward's backward (which may reuse the packed copy) gives the plain twin's bits too
        float[] dwOther = new float[layer.kernel.nnz], wantOther = new float[out * in], dW2 = new float[out * in];
        layer.kernel.backwardRows(other, c.dy, n, null, dwOther, null, false);
        layer.kernel.scatterAdd(dwOther, wantOther);
        layer.backward(second, other, c.dy, null, dW2, null);
        SparseSimdTest.assertBits(wantOther, dW2, "dW of the second forward");
    }

    // ------------------------------------------------------------------ scratch larger than half a G1 region

    /** Packed sizes of about 600k floats: above half a G1 region (at most 4 MB regions, heaps up to 8 GB). */
    static final int BIG = 2400;

    /** Runs body on a new thread (fresh thread-local scratch) and rethrows what it threw. */
    static void onFreshThread(Runnable body) throws InterruptedException {
        AtomicReference<Throwable> error = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                error.set(e);
            }
        });
        t.start();
        t.join();
        if (error.get() instanceof AssertionError a) throw a;
        if (error.get() != null) throw new AssertionError("fresh thread failed", error.get());
    }

    @Test
    void alignedScratchHoldsWhatIsAskedAndReusesASlotThatIsLargeEnough() throws Exception {
        onFreshThread(() -> {
            float[] a = AlignedScratch.pack(0, 1000);
            assertTrue(a.length >= OFFSET + 1000);
            assertSame(a, AlignedScratch.pack(0, a.length - OFFSET), "exactly large enough: reused");
            float[] b = AlignedScratch.pack(0, a.length - OFFSET + 1);
            assertNotSame(a, b, "one float more: a new buffer");
            assertTrue(b.length >= OFFSET + a.length - OFFSET + 1);
            assertSame(b, AlignedScratch.pack(0, 5), "a smaller request reuses the slot");
            float[] big = AlignedScratch.pack(1, 700_000);
            assertTrue(big.length >= OFFSET + 700_000, "slot 1 holds " + big.length);
            assertTrue(AlignedScratch.allocate(700_000).length >= OFFSET + 700_000);
        });
    }

    @Test
    void packRowsFillsTheThreadsSlotEvenWhenItMustGrow() throws Exception {
        int n = 256, f = BIG;
        float[] a = SparseLinearKernelTest.uniform(new Rng(3), n * f);
        onFreshThread(() -> {
            float[] p = SparseSimd.packRows(a, 0, n, f, n, 0);
            assertSame(AlignedScratch.pack(0, evenChunks(n) * f * CHUNK), p, "packed into the slot's buffer");
            float[] q = SparseSimd.packRows(a, 0, n, f, 100, 1);
            assertSame(AlignedScratch.pack(1, evenChunks(n) * f * CHUNK), q);
            for (int t = 0; t < 130; t++) {
                assertEquals(t < 100 ? a[t * f + 7] : 0f, q[OFFSET + 7 * CHUNK + (t / CHUNK) * f * CHUNK + t % CHUNK], "token " + t);
            }
        });
    }

    @Test
    void packInputAllocatesALargeEnoughBufferWhenNoneOrAShortOneIsGiven() {
        int n = 256, f = BIG;
        float[] x = SparseLinearKernelTest.uniform(new Rng(4), n * f);
        SparseLinearKernel k = kernel(2, f, 0.9, 5);
        assertLayout(k.packInput(x, n, null), x, 0, n, f, n);
        assertLayout(k.packInput(x, n, new float[1000]), x, 0, n, f, n);
    }

    @Test
    void kernelsWithLargePackedBuffersOnAFreshThreadEqualThePlainTwins() throws Exception {
        // wide input (dx), wide output (y), and 512 tokens x many outputs (db gathers whole 512-token chunks)
        int[][] shapes = {{256, BIG, 2}, {256, 2, BIG}, {512, 2, 1100}};
        for (int[] s : shapes) {
            int n = s[0], in = s[1], out = s[2];
            SparseLinearKernelTest.Case c = new SparseLinearKernelTest.Case(n, in, out, 0.9, false, in + out);
            SparseLinearKernel k = SparseLinearKernel.build(c.mask, out, in, c.w);
            float[] y0 = new float[n * out], dx0 = new float[n * in], db0 = new float[out];
            k.forwardRows(c.x, n, c.bias, y0, false);
            k.backwardRows(c.x, c.dy, n, dx0, null, db0, false);
            float[] y1 = new float[n * out], dx1 = new float[n * in], db1 = new float[out];
            onFreshThread(() -> {
                k.forwardRows(c.x, n, c.bias, y1, true);
                k.backwardRows(c.x, c.dy, n, dx1, null, db1, true);
            });
            SparseSimdTest.assertBits(y0, y1, "y " + Arrays.toString(s));
            SparseSimdTest.assertBits(dx0, dx1, "dx " + Arrays.toString(s));
            SparseSimdTest.assertBits(db0, db1, "db " + Arrays.toString(s));
        }
    }
}
