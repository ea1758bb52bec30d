package mediswift4j.util;

import java.nio.charset.StandardCharsets;

/**
 * The project's one random generator: SplitMix64, specified in SPEC.md ("Random numbers") so that any language can
 * reproduce initialisation, masks, data order and dropout bit for bit.
 *
 * State is a single 64-bit word, so saving it in a checkpoint and restoring it resumes the exact sequence.
 * Independent streams (one per mask, one for data order, ...) are derived from the run seed and a label with
 * {@link #derive}, so adding a draw in one place never shifts the numbers drawn in another.
 * Transcendental functions use StrictMath (fdlibm), whose results are the same on every JVM.
 */
public final class Rng {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private long state;

    public Rng(long seed) {
        this.state = seed;
    }

    /** The stream for (seed, label, index): every byte of the UTF-8 label, then the index, mixed into the seed. */
    public static Rng derive(long seed, String label, long index) {
        long h = mix(seed);
        for (byte b : label.getBytes(StandardCharsets.UTF_8)) h = mix(h ^ (b & 0xFF));
        h = mix(h ^ index);
        return new Rng(h);
    }

    /** SplitMix64's output function (Stafford's "Mix13"). */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public long state() {
        return state;
    }

    public void setState(long s) {
        state = s;
    }

    /** Next 64 random bits. */
    public long nextLong() {
        state += GOLDEN_GAMMA;
        return mix(state);
    }

    /** Uniform in [0, 1) with 24 random bits: (next >>> 40) * 2^-24. */
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /** Uniform in [0, 1) with 53 random bits: (next >>> 11) * 2^-53. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /**
     * Uniform integer in [0, bound) without bias: r = next >>> 1 (63 bits); reject while r - (r mod bound) is
     * greater than 2^63 - bound; return r mod bound.
     */
    public long nextLong(long bound) {
        if (bound <= 0) throw new IllegalArgumentException("bound must be positive: " + bound);
        while (true) {
            long r = nextLong() >>> 1;
            long m = r % bound;
            if (r - m <= Long.MAX_VALUE - bound + 1) return m;
        }
    }

    public int nextInt(int bound) {
        return (int) nextLong(bound);
    }

    /**
     * Standard normal by Box-Muller, one value per two draws (no cached second value, so the state alone
     * describes the stream): u1, u2 = nextDouble(), nextDouble(); sqrt(-2 ln(1 - u1)) * cos(2 pi u2).
     */
    public double nextGaussian() {
        double u1 = nextDouble();
        double u2 = nextDouble();
        return StrictMath.sqrt(-2.0 * StrictMath.log(1.0 - u1)) * StrictMath.cos(2.0 * StrictMath.PI * u2);
    }
}
