package mediswift4j.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Trains a byte-level BPE vocabulary (GPT-2 layout) from documents.
 *
 * 1. Every document is cut into pre-tokens ({@link Pretokenizer}); identical pre-tokens are counted once with
 *    their frequency ("words"). Special-token text in documents is plain text here.
 * 2. Every word starts as its UTF-8 bytes, written as base ids 0..255 (GPT-2's byte order, {@link ByteUnicode}).
 * 3. Repeat vocabSize - 257 times: pick the adjacent pair (left, right) with the highest count (sum over words of
 *    frequency x occurrences; overlapping occurrences such as "a a a" count each position); ties go to the
 *    smallest left id, then the smallest right id. It becomes token 256 + m. In every word, occurrences are
 *    replaced left to right without overlap. A pair whose bytes equal an existing token's bytes is skipped
 *    (never merged), so that vocab.json keys stay unique. Training stops early when no pair is left.
 * 4. <|endoftext|> gets the last id (256 + merges), as in GPT-2.
 *
 * Counting is incremental: pair counts are kept in a table, each pair remembers the words it occurs in, and a
 * merge only rewrites those words, subtracting their old pairs and adding their new ones. The best pair comes
 * from a max-heap with lazy deletion: an entry whose count is no longer the pair's count is dropped when popped.
 * The result depends only on the multiset of pre-tokens, never on thread timing or hash order.
 */
public final class BpeTrainer {
    /** Progress: phase ("count" or "merge"), work done, work total (total -1 when unknown). */
    public interface Progress {
        void report(String phase, long done, long total);
    }

    private final HashMap<String, long[]> wordCounts = new HashMap<>();
    private long documents, chars;

    /** Adds one document's pre-tokens to the counts. */
    public void addDocument(String text) {
        documents++;
        chars += text.length();
        int pos = 0, n = text.length();
        while (pos < n) {
            int end = Pretokenizer.next(text, pos, n);
            wordCounts.computeIfAbsent(text.substring(pos, end), k -> new long[1])[0]++;
            pos = end;
        }
    }

    public long documents() {
        return documents;
    }

    public long chars() {
        return chars;
    }

    public int uniqueWords() {
        return wordCounts.size();
    }

    /** Convenience: count every document, then train. */
    public static BpeTokenizer train(Iterable<String> documents, int vocabSize, Progress progress) {
        BpeTrainer t = new BpeTrainer();
        for (String d : documents) {
            t.addDocument(d);
            if (progress != null && t.documents % 1000 == 0) progress.report("count", t.chars, -1);
        }
        return t.train(vocabSize, progress);
    }

    /** Learns vocabSize - 257 merges (fewer if the corpus runs out of pairs) and returns the tokenizer. */
    public BpeTokenizer train(int vocabSize, Progress progress) {
        if (vocabSize < 257) throw new IllegalArgumentException("vocabulary size must be at least 257 (256 bytes + <|endoftext|>), got " + vocabSize);
        int targetMerges = vocabSize - 257;

        // Words in a fixed order (sorted), as symbol arrays.
        List<String> keys = new ArrayList<>(wordCounts.keySet());
        keys.sort(null);
        int nWords = keys.size();
        int[][] words = new int[nWords][];
        int[] wordLen = new int[nWords];
        long[] freq = new long[nWords];
        for (int w = 0; w < nWords; w++) {
            byte[] b = Utf8.encode(keys.get(w));
            words[w] = new int[b.length];
            for (int i = 0; i < b.length; i++) words[w][i] = ByteUnicode.baseIdOfByte(b[i]);
            wordLen[w] = b.length;
            freq[w] = wordCounts.get(keys.get(w))[0];
        }

        List<byte[]> tokens = new ArrayList<>();
        Set<String> known = new HashSet<>(); // token bytes as Latin-1 strings
        for (int i = 0; i < 256; i++) {
            byte[] b = {(byte) ByteUnicode.byteOfBaseId(i)};
            tokens.add(b);
            known.add(latin1(b));
        }
        Pairs pairs = new Pairs(1 << 16);
        for (int w = 0; w < nWords; w++) {
            int[] s = words[w];
            for (int i = 0; i + 1 < wordLen[w]; i++) pairs.add(s[i], s[i + 1], freq[w], w);
        }
        PriorityQueue<long[]> heap = new PriorityQueue<>(BpeTrainer::compareEntries);
        for (int slot = 0; slot < pairs.size; slot++) heap.add(new long[] {pairs.count[slot], pairs.key[slot]});

        List<int[]> merges = new ArrayList<>();
        int[] stamp = new int[nWords];
        ChangedPairs changed = new ChangedPairs();
        int[][] scratch = {new int[64]};
        while (merges.size() < targetMerges && !heap.isEmpty()) {
            long[] top = heap.poll();
            int slot = pairs.slot(top[1]);
            if (pairs.count[slot] != top[0] || top[0] <= 0 || pairs.banned[slot]) continue; // stale entry
            int left = PairMap.left(top[1]), right = PairMap.right(top[1]);
            byte[] bytes = BpeTokenizer.concat(tokens.get(left), tokens.get(right));
            if (!known.add(latin1(bytes))) {
                pairs.banned[slot] = true;
                continue;
            }
            int newId = 256 + merges.size();
            tokens.add(bytes);
            merges.add(new int[] {left, right, newId});

            // Every word that held the pair (each visited once per merge, by stamp) is rewritten.
            int stampValue = merges.size();
            int[] where = pairs.where[slot];
            int whereSize = pairs.whereSize[slot];
            for (int k = 0; k < whereSize; k++) {
                int w = where[k];
                if (stamp[w] == stampValue) continue;
                stamp[w] = stampValue;
                wordLen[w] = mergeInWord(words[w], wordLen[w], freq[w], w, left, right, newId, pairs, changed, scratch);
            }
            changed.pushTo(heap, pairs);
            pairs.where[slot] = null; // this pair is gone from every word
            pairs.whereSize[slot] = 0;
            if (progress != null && (merges.size() % 256 == 0 || merges.size() == targetMerges)) {
                progress.report("merge", merges.size(), targetMerges);
            }
        }

        tokens.add(BpeTokenizer.END_OF_TEXT.getBytes(StandardCharsets.UTF_8));
        return new BpeTokenizer(tokens.toArray(new byte[0][]), merges.toArray(new int[0][]));
    }

    /**
     * Applies the merge (left, right) -> newId to one word of length len in place and returns its new length.
     * The word's old pairs are subtracted from the counts and its new pairs added (pairs that contain newId
     * remember the word, so a later merge of them finds it); every pair whose count moved is noted in changed.
     */
    private static int mergeInWord(int[] s, int len, long f, int w, int left, int right, int newId, Pairs pairs,
                                   ChangedPairs changed, int[][] scratch) {
        boolean has = false;
        for (int i = 0; i + 1 < len; i++) if (s[i] == left && s[i + 1] == right) { has = true; break; }
        if (!has) return len;
        for (int i = 0; i + 1 < len; i++) changed.note(pairs.add(s[i], s[i + 1], -f, -1), pairs);
        if (scratch[0].length < len) scratch[0] = new int[len * 2];
        int[] merged = scratch[0];
        int n = 0;
        for (int i = 0; i < len; ) { // left to right, as the encoder applies a merge
            if (i + 1 < len && s[i] == left && s[i + 1] == right) {
                merged[n++] = newId;
                i += 2;
            } else merged[n++] = s[i++];
        }
        System.arraycopy(merged, 0, s, 0, n);
        for (int i = 0; i + 1 < n; i++) {
            boolean touchesNew = s[i] == newId || s[i + 1] == newId;
            changed.note(pairs.add(s[i], s[i + 1], f, touchesNew ? w : -1), pairs);
        }
        return n;
    }

    /** The pair slots whose counts moved during one merge, each once, to be pushed on the heap afresh. */
    private static final class ChangedPairs {
        private int[] slots = new int[16];
        private boolean[] noted = new boolean[16];
        private int size;

        void note(int slot, Pairs pairs) {
            if (slot >= noted.length) noted = Arrays.copyOf(noted, Math.max(pairs.capacity(), slot + 1));
            if (noted[slot]) return;
            noted[slot] = true;
            if (size == slots.length) slots = Arrays.copyOf(slots, size * 2);
            slots[size++] = slot;
        }

        /** New heap entries for the noted pairs still alive; older entries become stale and are skipped. */
        void pushTo(PriorityQueue<long[]> heap, Pairs pairs) {
            for (int k = 0; k < size; k++) {
                int ps = slots[k];
                noted[ps] = false;
                if (pairs.count[ps] > 0 && !pairs.banned[ps]) heap.add(new long[] {pairs.count[ps], pairs.key[ps]});
            }
            size = 0;
        }
    }

    /** Heap order: higher count first; then smaller left id; then smaller right id (key = left << 32 | right). */
    private static int compareEntries(long[] a, long[] b) {
        if (a[0] != b[0]) return Long.compare(b[0], a[0]);
        return Long.compare(a[1], b[1]);
    }

    private static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /** Pair table: pair -> slot; per slot the count and the list of words it was seen in (may hold stale words). */
    private static final class Pairs {
        final PairMap index;
        long[] key, count;
        int[][] where;
        int[] whereSize;
        boolean[] banned;
        int size;

        Pairs(int cap) {
            index = new PairMap(cap);
            key = new long[cap];
            count = new long[cap];
            where = new int[cap][];
            whereSize = new int[cap];
            banned = new boolean[cap];
        }

        int capacity() {
            return key.length;
        }

        int slot(long k) {
            return index.get(k, -1);
        }

        /** Adds `delta` to the pair's count and, when word >= 0, records that the word holds it. Returns the slot. */
        int add(int left, int right, long delta, int word) {
            long k = PairMap.key(left, right);
            int s = index.get(k, -1);
            if (s < 0) {
                if (size == key.length) {
                    int cap = size * 2;
                    key = Arrays.copyOf(key, cap);
                    count = Arrays.copyOf(count, cap);
                    where = Arrays.copyOf(where, cap);
                    whereSize = Arrays.copyOf(whereSize, cap);
                    banned = Arrays.copyOf(banned, cap);
                }
                s = size++;
                index.put(k, s);
                key[s] = k;
            }
            count[s] += delta;
            if (word >= 0) {
                int[] list = where[s];
                int n = whereSize[s];
                if (list == null) list = where[s] = new int[4];
                if (n == 0 || list[n - 1] != word) {
                    if (n == list.length) list = where[s] = Arrays.copyOf(list, n * 2);
                    list[n] = word;
                    whereSize[s] = n + 1;
                }
            }
            return s;
        }
    }
}
