package mediswift4j.tokenizer;

import java.util.Arrays;

/**
 * The merge step of byte-level BPE for one pre-token: the merge table ((left id, right id) -> rank, result id) and
 * two ways to apply it that give the same ids: a simple O(n^2) scan for the usual short pieces and an O(n log n)
 * heap for long ones. Tests also compare both with GPT-2's original loop (merge every occurrence of the best pair).
 */
final class MergeTable {
    private final int[] byteToId;
    private final int[] mergeResult;
    private final PairMap mergeRank;

    MergeTable(int[] byteToId, int[] mergeResult, PairMap mergeRank) {
        this.byteToId = byteToId;
        this.mergeResult = mergeResult;
        this.mergeRank = mergeRank;
    }

    /**
     * BPE on one pre-token's bytes: start from the base byte ids; repeatedly merge the adjacent pair with the
     * lowest merge rank (the leftmost if it occurs more than once) until no adjacent pair has a merge. Merging the
     * leftmost occurrence first is the same as GPT-2's "merge every occurrence left to right", because a merge's
     * result only takes part in later (higher-ranked) merges.
     */
    int[] bpe(byte[] bytes) {
        if (bytes.length > LONG_PIECE) return bpeLong(bytes);
        int n = bytes.length;
        int[] parts = new int[n];
        for (int i = 0; i < n; i++) parts[i] = byteToId[bytes[i] & 0xFF];
        if (n < 2) return parts;
        int[] ranks = new int[n]; // ranks[i] = rank of (parts[i], parts[i+1]), MAX_VALUE when none
        for (int i = 0; i + 1 < n; i++) ranks[i] = rankOf(parts[i], parts[i + 1]);
        ranks[n - 1] = Integer.MAX_VALUE;
        while (n > 1) {
            int best = Integer.MAX_VALUE, at = -1;
            for (int i = 0; i + 1 < n; i++) {
                if (ranks[i] < best) {
                    best = ranks[i];
                    at = i;
                }
            }
            if (at < 0) break;
            parts[at] = mergeResult[best];
            System.arraycopy(parts, at + 2, parts, at + 1, n - at - 2);
            System.arraycopy(ranks, at + 2, ranks, at + 1, n - at - 2);
            n--;
            ranks[n - 1] = Integer.MAX_VALUE;
            if (at + 1 < n) ranks[at] = rankOf(parts[at], parts[at + 1]);
            else ranks[at] = Integer.MAX_VALUE;
            if (at > 0) ranks[at - 1] = rankOf(parts[at - 1], parts[at]);
        }
        return Arrays.copyOf(parts, n);
    }

    /** Pieces longer than this (bytes) use the O(n log n) heap version; shorter ones the simple O(n^2) scan. */
    static final int LONG_PIECE = 128;

    /**
     * The same merges as {@link #bpe} in O(n log n), for long pieces (a DNA sequence, a line of '=' signs): the
     * parts form a linked list over the byte positions, and a min-heap holds (rank, position of the left part),
     * so the lowest rank comes first and, among equal ranks, the leftmost. An entry is stale when its left part
     * was merged away or its pair changed; it is then dropped (a rank names one pair, so an equal rank means the
     * same pair).
     */
    int[] bpeLong(byte[] bytes) {
        int n = bytes.length;
        int[] id = new int[n], next = new int[n], prev = new int[n];
        boolean[] dead = new boolean[n];
        for (int i = 0; i < n; i++) {
            id[i] = byteToId[bytes[i] & 0xFF];
            next[i] = i + 1 < n ? i + 1 : -1;
            prev[i] = i - 1;
        }
        LongHeap heap = new LongHeap(n);
        for (int i = 0; i + 1 < n; i++) {
            int r = rankOf(id[i], id[i + 1]);
            if (r != Integer.MAX_VALUE) heap.push(((long) r << 32) | i);
        }
        int alive = n;
        while (heap.size > 0) {
            long top = heap.pop();
            int r = (int) (top >>> 32), left = (int) top;
            int right = dead[left] ? -1 : next[left];
            if (right < 0 || rankOf(id[left], id[right]) != r) continue; // stale
            id[left] = mergeResult[r];
            dead[right] = true;
            alive--;
            next[left] = next[right];
            if (next[right] >= 0) prev[next[right]] = left;
            if (prev[left] >= 0) {
                int rp = rankOf(id[prev[left]], id[left]);
                if (rp != Integer.MAX_VALUE) heap.push(((long) rp << 32) | prev[left]);
            }
            if (next[left] >= 0) {
                int rn = rankOf(id[left], id[next[left]]);
                if (rn != Integer.MAX_VALUE) heap.push(((long) rn << 32) | left);
            }
        }
        int[] out = new int[alive];
        int k = 0;
        for (int i = 0; i >= 0; i = next[i]) out[k++] = id[i];
        return out;
    }

    /** A binary min-heap of longs. */
    private static final class LongHeap {
        long[] a;
        int size;

        LongHeap(int cap) {
            a = new long[Math.max(4, cap)];
        }

        void push(long v) {
            if (size == a.length) a = Arrays.copyOf(a, size * 2);
            int i = size++;
            while (i > 0) {
                int p = (i - 1) >>> 1;
                if (a[p] <= v) break;
                a[i] = a[p];
                i = p;
            }
            a[i] = v;
        }

        long pop() {
            long top = a[0];
            long v = a[--size];
            int i = 0;
            while (true) {
                int c = 2 * i + 1;
                if (c >= size) break;
                if (c + 1 < size && a[c + 1] < a[c]) c++;
                if (a[c] >= v) break;
                a[i] = a[c];
                i = c;
            }
            a[i] = v;
            return top;
        }
    }

    int rankOf(int left, int right) {
        return mergeRank.get(PairMap.key(left, right), Integer.MAX_VALUE);
    }
}
