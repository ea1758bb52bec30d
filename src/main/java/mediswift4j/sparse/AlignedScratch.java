package mediswift4j.sparse;

import java.lang.management.ManagementFactory;

import com.sun.management.HotSpotDiagnosticMXBean;

/**
 * Per-thread float scratch whose element OFFSET sits on a 64-byte boundary: the SIMD kernels pack their inputs
 * and keep their accumulators here. Why it matters: a 512-bit load that is not 64-byte aligned touches two cache
 * lines, which cost the packed forward about a third of its speed (AVX-512, docs/MEASUREMENTS.md). Java gives no aligned allocation, so this relies on two HotSpot facts, and only speed depends on
 * them (results never do, since the offset only moves where the tile is stored):
 *   - G1 (the default collector) puts an array of at least half a heap region at the start of its own regions
 *     ("humongous") and never moves it, so the array starts at a region boundary;
 *   - a float[] header is 16 bytes (compressed class pointers, the default), so element 12 is at byte 64.
 * A buffer is therefore at least half a region (1-16 MB, kept per thread and grown when a larger layer needs it)
 * and OFFSET is 12.
 */
final class AlignedScratch {
    /** Index of the first 64-byte-aligned element (see above). */
    static final int OFFSET = 12;

    /** Floats that make an array humongous under G1 (0 under other collectors: alignment then is luck). */
    private static final int HUMONGOUS_FLOATS = humongousFloats();

    private static final ThreadLocal<float[]> BUFFERS = new ThreadLocal<>();
    private static final ThreadLocal<float[][]> PACKS = ThreadLocal.withInitial(() -> new float[2][]);

    private AlignedScratch() {}

    /** A worker's buffer of at least OFFSET + floats elements for this thread (contents arbitrary). */
    static float[] get(int floats) {
        return grow(BUFFERS, floats);
    }

    /**
     * The calling thread's buffer number slot (0 or 1) for a kernel's packed input or output, shared by the workers
     * during one call (different buffers from {@link #get}, which a calling thread also uses as a worker).
     */
    static float[] pack(int slot, int floats) {
        float[][] slots = PACKS.get();
        if (slots[slot] == null || slots[slot].length < OFFSET + floats) slots[slot] = allocate(floats);
        return slots[slot];
    }

    private static float[] grow(ThreadLocal<float[]> local, int floats) {
        float[] b = local.get();
        if (b == null || b.length < OFFSET + floats) {
            b = allocate(floats);
            local.set(b);
        }
        return b;
    }

    /** A new buffer whose element OFFSET is 64-byte aligned (see the class comment), for OFFSET + floats values. */
    static float[] allocate(int floats) {
        return new float[Math.max(OFFSET + floats + 16, HUMONGOUS_FLOATS)];
    }

    private static int humongousFloats() {
        try {
            HotSpotDiagnosticMXBean hs = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            if (!Boolean.parseBoolean(hs.getVMOption("UseG1GC").getValue())) return 0;
            long region = Long.parseLong(hs.getVMOption("G1HeapRegionSize").getValue());
            return (int) Math.min(Integer.MAX_VALUE - 64, region / 2 / Float.BYTES + 64);
        } catch (RuntimeException | LinkageError e) {
            return 0; // not HotSpot, or no management module: allocate plainly
        }
    }
}
