package mediswift4j.pubmedqa;

import java.math.BigInteger;
import java.util.List;

/**
 * CPython's `random.Random` (MT19937), ported bit for bit, for one purpose: reproducing the official PubMedQA
 * split, which the PubMedQA authors drew with Python's `random.seed(0)`, `random.shuffle` and `random.choice`.
 *
 * This is NOT the project's generator (that is {@link mediswift4j.util.Rng}, SplitMix64); it exists only so that
 * third-party splits made with Python come out identical. What is ported (SPEC.md section 13):
 * - seed(int): the key is |seed| cut into 32-bit words, least significant first ([0] for seed 0), fed to the
 *   reference init_by_array of Matsumoto and Nishimura (which starts from init_genrand(19650218)).
 * - getrandbits(k): k <= 32 gives genrand_uint32() >> (32 - k); larger k fills 32-bit words least significant
 *   first, the last word shifted right so that exactly k bits remain.
 * - randbelow(n): k = bit length of n; draw getrandbits(k) until the value is below n (rejection, no modulo).
 * - shuffle(x): for i = len-1 down to 1: j = randbelow(i + 1); swap x[i], x[j].
 * - choice(x): x[randbelow(len)].
 * Checked against outputs of /usr/bin/python3 (tools/python_random_fixture.py, PythonRandomTest).
 */
public final class PythonRandom {
    private static final int N = 624;
    private static final int M = 397;
    private static final int MATRIX_A = 0x9908b0df;
    private static final int UPPER_MASK = 0x80000000;
    private static final int LOWER_MASK = 0x7fffffff;

    private final int[] mt = new int[N];
    private int mti;

    /** Like Python's `random.Random(seed)` for an int seed (negative seeds use |seed|, as CPython does). */
    public PythonRandom(long seed) {
        this(BigInteger.valueOf(seed));
    }

    public PythonRandom(BigInteger seed) {
        BigInteger n = seed.abs();
        int words = n.signum() == 0 ? 1 : (n.bitLength() - 1) / 32 + 1;
        int[] key = new int[words];
        for (int i = 0; i < words; i++) key[i] = n.shiftRight(32 * i).intValue();
        initByArray(key);
    }

    // ---------------------------------------------------------------- MT19937 core (reference algorithm)

    private void initGenrand(int s) {
        mt[0] = s;
        for (mti = 1; mti < N; mti++) {
            // mt[i] = 1812433253 * (mt[i-1] ^ (mt[i-1] >>> 30)) + i, all mod 2^32 (int overflow is that modulo)
            mt[mti] = 1812433253 * (mt[mti - 1] ^ (mt[mti - 1] >>> 30)) + mti;
        }
    }

    private void initByArray(int[] key) {
        initGenrand(19650218);
        int i = 1, j = 0;
        for (int k = Math.max(N, key.length); k > 0; k--) {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >>> 30)) * 1664525)) + key[j] + j;
            i++;
            j++;
            if (i >= N) {
                mt[0] = mt[N - 1];
                i = 1;
            }
            if (j >= key.length) j = 0;
        }
        for (int k = N - 1; k > 0; k--) {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >>> 30)) * 1566083941)) - i;
            i++;
            if (i >= N) {
                mt[0] = mt[N - 1];
                i = 1;
            }
        }
        mt[0] = 0x80000000; // MSB is 1, assuring a non-zero initial array
        mti = N;
    }

    /** The next 32 random bits, as an unsigned value in a long (genrand_uint32). */
    public long nextUint32() {
        if (mti >= N) {
            int kk;
            for (kk = 0; kk < N - M; kk++) {
                int y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
                mt[kk] = mt[kk + M] ^ (y >>> 1) ^ ((y & 1) != 0 ? MATRIX_A : 0);
            }
            for (; kk < N - 1; kk++) {
                int y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
                mt[kk] = mt[kk + (M - N)] ^ (y >>> 1) ^ ((y & 1) != 0 ? MATRIX_A : 0);
            }
            int y = (mt[N - 1] & UPPER_MASK) | (mt[0] & LOWER_MASK);
            mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ ((y & 1) != 0 ? MATRIX_A : 0);
            mti = 0;
        }
        int y = mt[mti++];
        y ^= (y >>> 11);
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= (y >>> 18);
        return y & 0xffffffffL;
    }

    // ---------------------------------------------------------------- Python's derived draws

    /** Python's getrandbits(k) for 0 <= k <= 64; k = 64 returns the 64 bits as a (possibly negative) long. */
    public long getrandbits(int k) {
        if (k < 0 || k > 64) throw new IllegalArgumentException("getrandbits: k must be in [0, 64], got " + k);
        if (k == 0) return 0;
        if (k <= 32) return nextUint32() >>> (32 - k);
        long low = nextUint32();                 // first word = least significant 32 bits
        long high = nextUint32() >>> (64 - k);   // second word keeps k - 32 bits
        return (high << 32) | low;
    }

    /** Python's _randbelow(n) (the getrandbits variant): uniform in [0, n) by rejection. */
    public long randbelow(long n) {
        if (n <= 0) throw new IllegalArgumentException("randbelow: n must be positive, got " + n);
        int k = 64 - Long.numberOfLeadingZeros(n); // n.bit_length()
        long r = getrandbits(k);
        while (r >= n) r = getrandbits(k);
        return r;
    }

    /** Python's random.shuffle(x), in place (Fisher-Yates from the end). */
    public <T> void shuffle(List<T> x) {
        for (int i = x.size() - 1; i > 0; i--) {
            int j = (int) randbelow(i + 1);
            T t = x.get(i);
            x.set(i, x.get(j));
            x.set(j, t);
        }
    }

    /** Python's random.choice(x). */
    public <T> T choice(List<T> x) {
        if (x.isEmpty()) throw new IllegalArgumentException("choice from an empty list");
        return x.get((int) randbelow(x.size()));
    }
}
