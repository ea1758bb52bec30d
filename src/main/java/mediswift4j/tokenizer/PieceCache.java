package mediswift4j.tokenizer;

import java.util.Arrays;

/**
 * The encoder's per-thread cache: pre-token text -> its BPE ids. Looked up by a range of the input text, so a hit
 * allocates nothing (a HashMap would need a substring per pre-token). Open addressing, linear probing; when half
 * full it is emptied (natural text's frequent words come back at once).
 */
final class PieceCache {
    private final String[] keys;
    private final int[][] values;
    private final int[] hashes;
    private final int mask;
    private int size;

    PieceCache(int capacityPow2) {
        keys = new String[capacityPow2];
        values = new int[capacityPow2][];
        hashes = new int[capacityPow2];
        mask = capacityPow2 - 1;
    }

    static int hash(CharSequence s, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) h = 31 * h + s.charAt(i);
        return h ^ (h >>> 16) ^ (h >>> 7);
    }

    /** The ids cached for s[from, to) (whose hash is h), or null. */
    int[] get(String s, int from, int to, int h) {
        int len = to - from;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            String k = keys[i];
            if (k == null) return null;
            if (hashes[i] == h && k.length() == len && s.regionMatches(from, k, 0, len)) return values[i];
        }
    }

    void put(String key, int h, int[] ids) {
        if (2 * (size + 1) > keys.length) clear();
        for (int i = h & mask; ; i = (i + 1) & mask) {
            if (keys[i] == null) {
                keys[i] = key;
                hashes[i] = h;
                values[i] = ids;
                size++;
                return;
            }
            if (hashes[i] == h && keys[i].equals(key)) return;
        }
    }

    void clear() {
        Arrays.fill(keys, null);
        Arrays.fill(values, null);
        size = 0;
    }
}
