package mediswift4j.tensor;

import java.util.Arrays;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fast twin of {@link Matmul}'s plain-Java kernel, written with the JDK's Vector API (used only when
 * {@link Simd#ENABLED}). Same contract: C[m x n] (+)= op(A)[m x k] * op(B)[k x n].
 *
 * The classic register-blocked design (as in GotoBLAS/BLIS, written from the idea, not from their code):
 *   1. op(B) is packed once into column panels NR = 2 vectors wide (32 floats with 512-bit vectors); inside a
 *      panel, the NR values of row p sit together, so the kernel reads B with two aligned-ish vector loads per p.
 *   2. op(A) is packed per block of rows into micro-panels of MR = 6 rows; inside one, the 6 values of column p
 *      sit together, so the kernel reads them as 6 consecutive scalars to broadcast. Every A is packed, row-major
 *      too: the kernel on a packed panel, whose strides are constants, runs ~25% faster than one reading six rows
 *      in place, which repays the packing from about six column panels on (docs/MEASUREMENTS.md).
 *   3. The micro-kernel keeps a 6 x NR tile of C in 12 vector registers and, per p, does 2 loads of B,
 *      6 broadcasts of A and 12 vector FMAs. (6 rows x 2 vectors also fits AVX2's 16 registers.)
 *   4. k is cut into slices of KC = 512 and the columns into blocks of 256 (B_BLOCK_PANELS panels): one micro-
 *      panel slice of A (6 x 512 floats = 12 KB) stays in L1 while the kernel walks along the block's B panels
 *      (a 512 x 256 slice of B, 512 KB, stays in L2), so each tile of C is written next to the one before it in
 *      the same six rows. (The other order, a B panel in L1 and the row block's A panels streamed past it,
 *      scattered the writes of C over 288 rows and ran 10-30% slower on AVX2, docs/MEASUREMENTS.md.)
 *   5. Tasks are contiguous ranges of micro-panels (rows of C), split over threads by {@link Parallel}; a task
 *      packs A one row block (48 micro-panels) at a time.
 *
 * Bit-identical to the plain kernel (and so to any thread count or block size): each element of C is the chain
 * c = fma(a[i][p], b[p][j], c) for p = 0 .. k-1 starting from 0. Between k slices the partial chain is parked in a
 * float workspace and picked up exactly; at the end C gets `+= chain` (accumulate) or `= chain`. Padding rows and
 * columns of the panels are zero and never written back.
 */
final class MatmulSimd {
    private MatmulSimd() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Rows of the register tile. */
    static final int MR = 6;
    /** Columns of the register tile: two vectors. */
    static final int NR = 2 * L;
    /** Depth of one k slice (256 and 1024 measured: 512 best at 4 and 8 lanes). */
    static final int KC = 512;
    /** Vectors that cover one MR-value row of a packed A panel (1 from 8 lanes, 2 with 4), and the rows
     *  of the panel after it that their extra lanes run into: 2 with 16 lanes (10 extra), else 1. */
    static final int PACK_VECTORS = (MR + L - 1) / L, PACK_SPILL_ROWS = (PACK_VECTORS * L - MR + MR - 1) / MR;
    /** Micro-panels per row block (48 x 6 = 288 rows of C; 16, 32, 48, 64 measured: NN flat, A^T best from 48). */
    static final int PANELS_PER_BLOCK = 48;
    /** B panels per column block: a KC-deep slice of them is 2^17 floats (512 KB), half of a 1 MB L2. */
    static final int B_BLOCK_PANELS = Math.max(1, (1 << 17) / (KC * NR));

    static void matmul(float[] a, int aOff, boolean transA, float[] b, int bOff, boolean transB,
                       float[] c, int cOff, int m, int k, int n, boolean accumulate) {
        int nPanels = (n + NR - 1) / NR, width = nPanels * NR;
        float[] bPanels = packB(b, bOff, transB, k, n, nPanels);
        int microPanels = (m + MR - 1) / MR;
        // A thread gets at least ~8 MFLOP (~50 us) of work: handing over a task costs a few microseconds.
        long flopsPerMicroPanel = 2L * MR * k * width;
        int minPerThread = (int) Math.max(1, Math.min(microPanels, 8_000_000L / Math.max(1, flopsPerMicroPanel)));
        // With a single k slice (k <= KC) whole 6 x NR tiles write their chain straight into C, which saves the
        // copy-back. With several slices that was slower (C visited tile by tile misses the cache; also for a
        // narrow C, n = 128, on two threads), so then every tile is parked in the workspace and copied into C row
        // by row at the end.
        boolean direct = k <= KC;
        int finalMode = accumulate ? TO_C_ADD : TO_C, fullCols = n / NR * NR;
        Parallel.forRange(microPanels, minPerThread, (from, to) -> {
            int blockPanels = Math.min(PANELS_PER_BLOCK, to - from);
            float[] aPanels = buffer(A_PANELS, blockPanels * k * MR);
            float[] work = buffer(WORK, blockPanels * MR * width);
            for (int ip0 = from; ip0 < to; ip0 += blockPanels) {
                int panels = Math.min(blockPanels, to - ip0);
                int i0 = ip0 * MR, rows = Math.min(panels * MR, m - i0);
                int wholePanels = rows / MR, fullRows = wholePanels * MR;
                packA(a, aOff, transA, m, k, i0, rows, aPanels);
                for (int p0 = 0; p0 < k; p0 += KC) {
                    int kc = Math.min(KC, k - p0);
                    for (int jp0 = 0; jp0 < nPanels; jp0 += B_BLOCK_PANELS) {
                        int jp1 = Math.min(nPanels, jp0 + B_BLOCK_PANELS);
                        for (int ip = 0; ip < panels; ip++) {
                            for (int jp = jp0; jp < jp1; jp++) {
                                int mode = direct && p0 + kc == k && ip < wholePanels && jp * NR < fullCols ? finalMode : TO_WORK;
                                kernel(aPanels, (ip * k + p0) * MR, bPanels, (jp * k + p0) * NR, kc, p0 == 0,
                                        work, ip * MR * width + jp * NR, width,
                                        mode, c, cOff + (i0 + ip * MR) * n + jp * NR, n);
                            }
                        }
                    }
                }
                for (int r = 0; r < rows; r++) {
                    int from0 = direct && r < fullRows ? fullCols : 0; // whole tiles are already in C
                    int ci = cOff + (i0 + r) * n, wi = r * width;
                    if (accumulate) {
                        for (int j = from0; j < n; j++) c[ci + j] += work[wi + j];
                    } else {
                        System.arraycopy(work, wi + from0, c, ci + from0, n - from0);
                    }
                }
            }
        });
    }

    // Packed operands and the workspace are kept per thread between calls (up to KEEP_FLOATS each, 16 MB): at
    // n = 256 allocating and zeroing them anew cost about a quarter of the call. Stale contents are harmless:
    // every value read is written first in the same call.
    private static final int B_PANELS = 0, A_PANELS = 1, WORK = 2;
    private static final int KEEP_FLOATS = 1 << 22;
    private static final ThreadLocal<float[][]> BUFFERS = ThreadLocal.withInitial(() -> new float[3][0]);

    private static float[] buffer(int which, int size) {
        float[][] kept = BUFFERS.get();
        if (kept[which].length >= size) return kept[which];
        float[] fresh = new float[size];
        if (size <= KEEP_FLOATS) kept[which] = fresh;
        return fresh;
    }

    /** Where the kernel leaves its tile: parked in the workspace, stored into C, or added to C. */
    static final int TO_WORK = 0, TO_C = 1, TO_C_ADD = 2;

    /**
     * One 6 x NR tile continued by kc steps: per p, the tile gets a[0..6)[p] (x) b[p][0..NR), where a[r][p] is
     * ap[aOff + p * MR + r] (a packed micro-panel) and b[p] the NR values at bp[bOff + p * NR]. The chain starts
     * from 0 when first, otherwise from the values parked in work (at wOff, row stride ld); the result is parked
     * there again (TO_WORK) or, after the last k slice, stored into or added to C (at cOff, row stride ldc).
     * The strides are constants and every index is computed from p, which lets C2 take the bounds checks out of
     * the loop (a kernel with the strides as parameters, also used for A read in place, ran ~25% slower).
     */
    static void kernel(float[] ap, int aOff, float[] bp, int bOff, int kc, boolean first,
                       float[] work, int wOff, int ld, int mode, float[] c, int cOff, int ldc) {
        FloatVector c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
        if (first) {
            c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = c40 = c41 = c50 = c51 = FloatVector.zero(S);
        } else {
            c00 = FloatVector.fromArray(S, work, wOff);          c01 = FloatVector.fromArray(S, work, wOff + L);
            c10 = FloatVector.fromArray(S, work, wOff + ld);     c11 = FloatVector.fromArray(S, work, wOff + ld + L);
            c20 = FloatVector.fromArray(S, work, wOff + 2 * ld); c21 = FloatVector.fromArray(S, work, wOff + 2 * ld + L);
            c30 = FloatVector.fromArray(S, work, wOff + 3 * ld); c31 = FloatVector.fromArray(S, work, wOff + 3 * ld + L);
            c40 = FloatVector.fromArray(S, work, wOff + 4 * ld); c41 = FloatVector.fromArray(S, work, wOff + 4 * ld + L);
            c50 = FloatVector.fromArray(S, work, wOff + 5 * ld); c51 = FloatVector.fromArray(S, work, wOff + 5 * ld + L);
        }
        for (int p = 0; p < kc; p++) {
            int ai = aOff + p * MR, bi = bOff + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, bp, bi), b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector x;
            x = FloatVector.broadcast(S, ap[ai]);     c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, ap[ai + 1]); c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, ap[ai + 2]); c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, ap[ai + 3]); c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, ap[ai + 4]); c40 = x.fma(b0, c40); c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, ap[ai + 5]); c50 = x.fma(b0, c50); c51 = x.fma(b1, c51);
        }
        float[] out = mode == TO_WORK ? work : c;
        int o = mode == TO_WORK ? wOff : cOff, ldo = mode == TO_WORK ? ld : ldc;
        boolean add = mode == TO_C_ADD;
        put(c00, out, o, add);           put(c01, out, o + L, add);
        put(c10, out, o + ldo, add);     put(c11, out, o + ldo + L, add);
        put(c20, out, o + 2 * ldo, add); put(c21, out, o + 2 * ldo + L, add);
        put(c30, out, o + 3 * ldo, add); put(c31, out, o + 3 * ldo + L, add);
        put(c40, out, o + 4 * ldo, add); put(c41, out, o + 4 * ldo + L, add);
        put(c50, out, o + 5 * ldo, add); put(c51, out, o + 5 * ldo + L, add);
    }

    /** out[o..o+L) = v, or out[o..o+L) += v (one float add per element, as the plain kernel's C += c). */
    private static void put(FloatVector v, float[] out, int o, boolean add) {
        // two branches, not `(add ? w : v).intoArray`: a vector chosen at a merge point is boxed by C2 (JDK 17)
        if (add) {
            FloatVector.fromArray(S, out, o).add(v).intoArray(out, o);
        } else {
            v.intoArray(out, o);
        }
    }

    /**
     * op(B) (k x n; stored k x n, or n x k when transB) as panels of NR columns, panel jp at jp * k * NR holding
     * [p * NR + jj]; the padding columns of the last panel are zero.
     */
    static float[] packB(float[] b, int bOff, boolean transB, int k, int n, int nPanels) {
        float[] panels = buffer(B_PANELS, nPanels * k * NR);
        Parallel.forRange(nPanels, Math.max(1, (1 << 18) / Math.max(1, k * NR)), (from, to) -> {
            for (int jp = from; jp < to; jp++) {
                int base0 = jp * k * NR, j0 = jp * NR, cols = Math.min(NR, n - j0);
                if (cols < NR) Arrays.fill(panels, base0, base0 + k * NR, 0f);
                if (!transB && cols == NR) {
                    // two vector copies per row: System.arraycopy of 32 floats costs more in call overhead
                    for (int p = 0, src = bOff + j0, dst = base0; p < k; p++, src += n, dst += NR) {
                        FloatVector.fromArray(S, b, src).intoArray(panels, dst);
                        FloatVector.fromArray(S, b, src + L).intoArray(panels, dst + L);
                    }
                } else if (!transB) {
                    for (int p = 0; p < k; p++) System.arraycopy(b, bOff + p * n + j0, panels, base0 + p * NR, cols);
                } else {
                    // panel[p][jj] = b[j0 + jj][p]; 64 values of p at a time keep the written lines in L1
                    for (int p0 = 0; p0 < k; p0 += 64) {
                        int p1 = Math.min(k, p0 + 64);
                        for (int jj = 0; jj < cols; jj++) {
                            int base = bOff + (j0 + jj) * k;
                            for (int p = p0; p < p1; p++) panels[base0 + p * NR + jj] = b[base + p];
                        }
                    }
                }
            }
        });
        return panels;
    }

    /**
     * Rows [i0, i0 + rows) of op(A) (stored m x k, or k x m when transA) as micro-panels of MR rows, panel ip at
     * ip * k * MR holding [p * MR + r]; the padding rows of the last panel are zero.
     */
    static void packA(float[] a, int aOff, boolean transA, int m, int k, int i0, int rows, float[] panels) {
        int used = (rows + MR - 1) / MR;
        if (rows % MR != 0) Arrays.fill(panels, (used - 1) * k * MR, used * k * MR, 0f); // zero padding rows
        if (transA) {
            // A^T stored k x m: row p holds this block's values contiguously. Groups of 8 panels (48 values of a
            // row, three cache lines) are copied row by row, so only 8 panels are written at a time (writing all
            // 48 at once ran several times slower, docs/MEASUREMENTS.md).
            int full = rows / MR;
            for (int g0 = 0; g0 < full; g0 += 8) {
                int g1 = Math.min(full, g0 + 8);
                // whole vectors: PACK_VECTORS vectors cover a panel row's MR values, and the lanes past it land on
                // the next PACK_SPILL_ROWS rows of the same panel, which are written after it (faster than lane by
                // lane); a panel's last rows, and reads that would pass the end of a, are copied one value at a time
                int vecRows = Math.max(0, k - PACK_SPILL_ROWS);
                if (vecRows > 0 && aOff + (vecRows - 1) * m + i0 + (g1 - 1) * MR + PACK_VECTORS * L > a.length) vecRows = 0;
                for (int p = 0; p < vecRows; p++) {
                    for (int ip = g0, q = ip * k * MR + p * MR, src = aOff + p * m + i0 + g0 * MR; ip < g1; ip++, q += k * MR, src += MR) {
                        for (int v = 0; v < PACK_VECTORS * L; v += L) FloatVector.fromArray(S, a, src + v).intoArray(panels, q + v);
                    }
                }
                for (int p = vecRows; p < k; p++) {
                    for (int ip = g0, q = ip * k * MR + p * MR, src = aOff + p * m + i0 + g0 * MR; ip < g1; ip++, q += k * MR, src += MR) {
                        panels[q] = a[src];
                        panels[q + 1] = a[src + 1];
                        panels[q + 2] = a[src + 2];
                        panels[q + 3] = a[src + 3];
                        panels[q + 4] = a[src + 4];
                        panels[q + 5] = a[src + 5];
                    }
                }
            }
            for (int p = 0; p < k; p++) {
                int base = aOff + p * m + i0;
                for (int r = full * MR; r < rows; r++) panels[full * k * MR + p * MR + r - full * MR] = a[base + r];
            }
            return;
        }
        for (int ip = 0; ip < used; ip++) {
            int base0 = ip * k * MR, r0 = ip * MR, rs = Math.min(MR, rows - r0);
            if (rs == MR) {
                // six rows read side by side, the panel written in order
                int b0 = aOff + (i0 + r0) * k, b1 = b0 + k, b2 = b1 + k, b3 = b2 + k, b4 = b3 + k, b5 = b4 + k;
                for (int p = 0, q = base0; p < k; p++, q += MR) {
                    panels[q] = a[b0 + p];
                    panels[q + 1] = a[b1 + p];
                    panels[q + 2] = a[b2 + p];
                    panels[q + 3] = a[b3 + p];
                    panels[q + 4] = a[b4 + p];
                    panels[q + 5] = a[b5 + p];
                }
            } else {
                for (int r = 0; r < rs; r++) {
                    int base = aOff + (i0 + r0 + r) * k;
                    for (int p = 0; p < k; p++) panels[base0 + p * MR + r] = a[base + p];
                }
            }
        }
    }
}
