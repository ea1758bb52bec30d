package mediswift4j.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Byte-level BPE tokenizer (GPT-2 style): text -> UTF-8 bytes -> pre-tokens (GPT-2's splitting rule, see
 * {@link Pretokenizer}) -> each pre-token's bytes start as base byte tokens and are merged by the merge list, the
 * lowest-ranked adjacent pair first (leftmost among equals), until no adjacent pair has a merge.
 *
 * A vocabulary is: token bytes by id (ids 0..V-1, no holes), the ordered merge list (left id, right id) -> result
 * id, and special tokens (every id that is neither a single byte nor a merge result, e.g. <|endoftext|>). Special
 * tokens are only produced by {@link #encode(String, Set)} for the names the caller allows; {@link #encode(String)}
 * treats their text as plain text, so a document can never forge a separator.
 *
 * Encoded pre-tokens are cached per thread (natural text repeats its words), which is most of the speed.
 * Files: {@link Gpt2Files} (vocab.json + merges.txt, or GPT-2's encoder.json + vocab.bpe). Training: {@link BpeTrainer}.
 */
public final class BpeTokenizer {
    public static final String END_OF_TEXT = "<|endoftext|>";
    private static final java.util.concurrent.ExecutorService POOL = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread th = new Thread(r, "mediswift4j-encode");
        th.setDaemon(true);
        return th;
    });
    private static final int CACHE_SLOTS = 1 << 19; // emptied when half full

    private final byte[][] tokenBytes;   // id -> bytes
    private final int[] mergeLeft, mergeRight, mergeResult; // by rank
    private final int[] byteToId = new int[256];
    private final PairMap mergeRank;     // (left, right) -> rank
    private final Map<String, Integer> specials; // text -> id, in id order
    private final MergeTable table;
    private final Map<PieceCache, Boolean> allCaches = Collections.synchronizedMap(new java.util.WeakHashMap<>());
    private final ThreadLocal<PieceCache> cache = ThreadLocal.withInitial(() -> {
        PieceCache c = new PieceCache(CACHE_SLOTS);
        allCaches.put(c, Boolean.TRUE);
        return c;
    });

    /**
     * Builds a tokenizer from its parts; `merges[r] = {left, right, result}` for rank r. Throws
     * IllegalArgumentException when the parts are inconsistent (loaders turn that into an InputException).
     */
    public BpeTokenizer(byte[][] tokenBytes, int[][] merges) {
        this.tokenBytes = tokenBytes;
        int n = merges.length;
        mergeLeft = new int[n];
        mergeRight = new int[n];
        mergeResult = new int[n];
        mergeRank = new PairMap(n);
        boolean[] produced = new boolean[tokenBytes.length];
        Arrays.fill(byteToId, -1);
        for (int id = 0; id < tokenBytes.length; id++) {
            if (tokenBytes[id] == null) throw new IllegalArgumentException("no token has id " + id);
            if (tokenBytes[id].length == 1) {
                int b = tokenBytes[id][0] & 0xFF;
                if (byteToId[b] >= 0) throw new IllegalArgumentException("byte " + b + " has two ids");
                byteToId[b] = id;
                produced[id] = true;
            }
        }
        for (int b = 0; b < 256; b++) {
            if (byteToId[b] < 0) throw new IllegalArgumentException("the vocabulary has no token for byte " + b);
        }
        for (int r = 0; r < n; r++) {
            int l = merges[r][0], rt = merges[r][1], res = merges[r][2];
            check(l);
            check(rt);
            check(res);
            byte[] cat = concat(tokenBytes[l], tokenBytes[rt]);
            if (!Arrays.equals(cat, tokenBytes[res])) {
                throw new IllegalArgumentException("merge " + r + " (" + l + ", " + rt + ") does not produce token " + res);
            }
            long key = PairMap.key(l, rt);
            if (mergeRank.get(key, -1) >= 0) throw new IllegalArgumentException("merge " + r + " repeats an earlier merge");
            mergeLeft[r] = l;
            mergeRight[r] = rt;
            mergeResult[r] = res;
            mergeRank.put(key, r);
            produced[res] = true;
        }
        table = new MergeTable(byteToId, mergeResult, mergeRank);
        Map<String, Integer> sp = new LinkedHashMap<>();
        for (int id = 0; id < tokenBytes.length; id++) {
            if (!produced[id]) sp.put(new String(tokenBytes[id], StandardCharsets.UTF_8), id);
        }
        specials = Collections.unmodifiableMap(sp);
    }

    private void check(int id) {
        if (id < 0 || id >= tokenBytes.length) throw new IllegalArgumentException("id " + id + " outside the vocabulary");
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Loads vocab.json + merges.txt (or encoder.json + vocab.bpe) from a directory. */
    public static BpeTokenizer load(Path dir) {
        return Gpt2Files.load(dir);
    }

    /** Writes vocab.json + merges.txt (Hugging Face GPT-2 format) into a directory. */
    public void save(Path dir) throws java.io.IOException {
        Gpt2Files.save(this, dir);
    }

    public int vocabSize() {
        return tokenBytes.length;
    }

    /** Id of <|endoftext|>, or -1 when the vocabulary has none. */
    public int endOfTextId() {
        Integer id = specials.get(END_OF_TEXT);
        return id == null ? -1 : id;
    }

    /** Special tokens (text -> id), in id order. */
    public Map<String, Integer> specialTokens() {
        return specials;
    }

    public int mergeCount() {
        return mergeLeft.length;
    }

    /** The merge of rank r as {left id, right id, result id}. */
    public int[] merge(int r) {
        return new int[] {mergeLeft[r], mergeRight[r], mergeResult[r]};
    }

    /** The bytes of token `id` (a copy). */
    public byte[] tokenBytes(int id) {
        check(id);
        return tokenBytes[id].clone();
    }

    byte[] tokenBytesShared(int id) {
        return tokenBytes[id];
    }

    /** Id of the base token of byte b. */
    public int byteId(int b) {
        return byteToId[b & 0xFF];
    }

    // ---------------------------------------------------------------- encoding

    /** Encodes text with special tokens treated as plain text. */
    public int[] encode(String text) {
        IntList out = new IntList(text.length() / 3 + 4);
        encodeOrdinary(text, 0, text.length(), out);
        return out.toArray();
    }

    /**
     * Encodes text where the special tokens named in `allowedSpecial` become their one id; any other special
     * token's text is encoded as plain text. Among overlapping candidates the earliest occurrence wins, then the
     * longest.
     */
    public int[] encode(String text, Set<String> allowedSpecial) {
        IntList out = new IntList(text.length() / 3 + 4);
        List<String> allowed = new ArrayList<>();
        for (String s : allowedSpecial) {
            if (!specials.containsKey(s)) throw new IllegalArgumentException("not a special token of this vocabulary: " + s);
            if (!s.isEmpty()) allowed.add(s);
        }
        int pos = 0;
        while (pos < text.length()) {
            int best = -1;
            String bestTok = null;
            for (String s : allowed) {
                int at = text.indexOf(s, pos);
                if (at >= 0 && (best < 0 || at < best || (at == best && s.length() > bestTok.length()))) {
                    best = at;
                    bestTok = s;
                }
            }
            if (best < 0) {
                encodeOrdinary(text, pos, text.length(), out);
                break;
            }
            encodeOrdinary(text, pos, best, out);
            out.add(specials.get(bestTok));
            pos = best + bestTok.length();
        }
        return out.toArray();
    }

    /** Encodes [from, to) of text, special tokens as plain text. */
    void encodeOrdinary(String text, int from, int to, IntList out) {
        PieceCache c = cache.get();
        int pos = from;
        while (pos < to) {
            int end = Pretokenizer.next(text, pos, to);
            if (end - pos == 1 && text.charAt(pos) < 128) {
                out.add(byteToId[text.charAt(pos)]);
            } else if (end - pos > MergeTable.LONG_PIECE) {
                out.addAll(bpe(Utf8.encode(text.substring(pos, end)))); // rare and long: not cached
            } else {
                int h = PieceCache.hash(text, pos, end);
                int[] ids = c.get(text, pos, end, h);
                if (ids == null) {
                    String piece = text.substring(pos, end);
                    ids = bpe(Utf8.encode(piece));
                    c.put(piece, h, ids);
                }
                out.addAll(ids);
            }
            pos = end;
        }
    }

    /** BPE on one pre-token's bytes (see {@link MergeTable#bpe}). */
    int[] bpe(byte[] bytes) {
        return table.bpe(bytes);
    }

    /** The heap version, for tests (see {@link MergeTable#bpeLong}). */
    int[] bpeLong(byte[] bytes) {
        return table.bpeLong(bytes);
    }

    /**
     * Encodes many texts on `threads` threads; result[i] is exactly encode(texts.get(i)) (each text is encoded
     * whole by one thread, so the output does not depend on the thread count).
     */
    public int[][] encodeAll(List<String> texts, int threads) throws InterruptedException {
        int[][] result = new int[texts.size()][];
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        Runnable worker = () -> {
            for (int i; (i = next.getAndIncrement()) < result.length; ) result[i] = encode(texts.get(i));
        };
        if (threads <= 1 || texts.size() <= 1) {
            worker.run();
            return result;
        }
        // Helpers come from a shared pool of daemon threads that outlive the call, so their pre-token caches
        // stay warm across calls (a pipeline encodes batch after batch); the calling thread works too.
        List<java.util.concurrent.Future<?>> helpers = new ArrayList<>();
        for (int t = 1; t < threads; t++) helpers.add(POOL.submit(worker));
        worker.run();
        List<Throwable> errors = new ArrayList<>();
        for (var f : helpers) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                errors.add(e.getCause());
            }
        }
        if (!errors.isEmpty()) {
            Throwable e = errors.get(0);
            if (e instanceof RuntimeException) throw (RuntimeException) e;
            throw new IllegalStateException("encoding failed", e);
        }
        return result;
    }

    /**
     * Cut points for encoding one large text in independent pieces: a cut is placed just before a '\n' whose
     * preceding character is not White_Space. There the pre-tokenizer always has a boundary (the run before it
     * ends at the newline, the newline starts a whitespace run) and neither side looks across it, so encoding the
     * pieces separately and concatenating gives exactly the ids of encoding the whole. Pieces are about
     * `targetChars` long (longer when no such newline is near). Returns the piece boundaries 0 = b0 < b1 < ... = n.
     */
    public static int[] safeCuts(String text, int targetChars) {
        IntList cuts = new IntList(16);
        cuts.add(0);
        int n = text.length();
        int pos = targetChars;
        while (pos < n) {
            int p = text.indexOf('\n', pos);
            while (p > 0) {
                char prev = text.charAt(p - 1);
                if (!Pretokenizer.isWhiteSpace(prev)) break;
                p = text.indexOf('\n', p + 1);
            }
            if (p <= 0) break;
            cuts.add(p);
            pos = p + targetChars;
        }
        if (n > 0) cuts.add(n);
        return cuts.toArray();
    }

    /** Encodes one large text on `threads` threads (special tokens as plain text); identical to encode(text). */
    public int[] encodeParallel(String text, int threads) throws InterruptedException {
        if (threads <= 1) return encode(text);
        int[] cuts = safeCuts(text, Math.max(1 << 16, text.length() / (threads * 8) + 1));
        List<String> pieces = new ArrayList<>();
        for (int i = 0; i + 1 < cuts.length; i++) pieces.add(text.substring(cuts[i], cuts[i + 1]));
        IntList out = new IntList(text.length() / 3 + 4);
        for (int[] part : encodeAll(pieces, threads)) out.addAll(part);
        return out.toArray();
    }

    /**
     * Forgets every thread's cache of encoded pre-tokens (for benchmarks that want a cold start). Call it only
     * while no encoding with this tokenizer is running.
     */
    public void clearCache() {
        synchronized (allCaches) {
            for (PieceCache c : allCaches.keySet()) c.clear();
        }
    }

    /** Documents -> one id stream with <|endoftext|> after every document (requires that token). */
    public int[] encodeDocuments(List<String> documents, int threads) throws InterruptedException {
        int eot = endOfTextId();
        if (eot < 0) throw new IllegalStateException("this vocabulary has no " + END_OF_TEXT + " token");
        int[][] parts = encodeAll(documents, threads);
        IntList out = new IntList(16);
        for (int[] p : parts) {
            out.addAll(p);
            out.add(eot);
        }
        return out.toArray();
    }

    // ---------------------------------------------------------------- decoding

    /** The bytes of a token sequence. */
    public byte[] decodeBytes(int[] ids) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(ids.length * 4);
        for (int id : ids) {
            if (id < 0 || id >= tokenBytes.length) {
                throw new IllegalArgumentException("token id " + id + " outside the vocabulary (size " + tokenBytes.length + ")");
            }
            out.write(tokenBytes[id], 0, tokenBytes[id].length);
        }
        return out.toByteArray();
    }

    /** Text of a token sequence; byte sequences that are not valid UTF-8 become U+FFFD. */
    public String decode(int[] ids) {
        return new String(decodeBytes(ids), StandardCharsets.UTF_8);
    }

    /** A growable int array. */
    static final class IntList {
        int[] a;
        int n;

        IntList(int cap) {
            a = new int[Math.max(4, cap)];
        }

        void add(int v) {
            if (n == a.length) a = Arrays.copyOf(a, a.length * 2);
            a[n++] = v;
        }

        void addAll(int[] v) {
            if (n + v.length > a.length) a = Arrays.copyOf(a, Math.max(a.length * 2, n + v.length));
            System.arraycopy(v, 0, a, n, v.length);
            n += v.length;
        }

        int[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }
}
