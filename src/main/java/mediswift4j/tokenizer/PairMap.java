package mediswift4j.tokenizer;

import java.util.Arrays;

/**
 * An open-addressing hash map from a pair of token ids (packed in a long) to an int, with no boxing: the merge
 * table of the encoder (pair -> merge rank) and the pair index of the trainer (pair -> slot). Linear probing,
 * power-of-two capacity, load factor at most 1/2; entries are never removed.
 */
final class PairMap {
    private static final long EMPTY = Long.MIN_VALUE;
    private long[] keys;
    private int[] values;
    private int size;
    private int mask;

    PairMap(int expected) {
        int cap = 16;
        while (cap < expected * 2) cap <<= 1;
        keys = new long[cap];
        values = new int[cap];
        Arrays.fill(keys, EMPTY);
        mask = cap - 1;
    }

    static long key(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    static int left(long key) {
        return (int) (key >>> 32);
    }

    static int right(long key) {
        return (int) key;
    }

    private static int hash(long k) {
        k *= 0x9E3779B97F4A7C15L;
        return (int) (k ^ (k >>> 29));
    }

    /** The value of `key`, or `missing`. */
    int get(long key, int missing) {
        int i = hash(key) & mask;
        while (true) {
            long k = keys[i];
            if (k == key) return values[i];
            if (k == EMPTY) return missing;
            i = (i + 1) & mask;
        }
    }

    void put(long key, int value) {
        if (2 * (size + 1) > keys.length) grow();
        int i = hash(key) & mask;
        while (true) {
            long k = keys[i];
            if (k == key) {
                values[i] = value;
                return;
            }
            if (k == EMPTY) {
                keys[i] = key;
                values[i] = value;
                size++;
                return;
            }
            i = (i + 1) & mask;
        }
    }

    int size() {
        return size;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new int[oldKeys.length * 2];
        Arrays.fill(keys, EMPTY);
        mask = keys.length - 1;
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) if (oldKeys[i] != EMPTY) put(oldKeys[i], oldValues[i]);
    }
}
