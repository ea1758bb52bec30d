package mediswift4j.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Round trips, id range, fast BPE == naive BPE, and safe cuts for parallel encoding, on GPT-2's and a trained vocabulary. */
class BpeTokenizerPropertiesTest {
    static final BpeTokenizer GPT2 = Gpt2FixtureTest.gpt2();
    static final BpeTokenizer SMALL = BpeTrainer.train(TrainerTest.corpus(), 400, null);

    @Provide
    Arbitrary<String> texts() {
        return TextArbitraries.unicode();
    }

    @Property(tries = 500)
    void decodeInvertsEncode(@ForAll("texts") String s) {
        for (BpeTokenizer tok : List.of(GPT2, SMALL)) {
            int[] ids = tok.encode(s);
            for (int id : ids) assertTrue(id >= 0 && id < tok.vocabSize(), "id " + id);
            for (int id : ids) assertTrue(id != tok.endOfTextId(), "special token from plain encode");
            assertEquals(s, tok.decode(ids));
            assertArrayEquals(s.getBytes(StandardCharsets.UTF_8), tok.decodeBytes(ids));
        }
    }

    @Provide
    Arbitrary<String> javaStrings() {
        return TextArbitraries.javaStrings();
    }

    /** Java strings may hold lone surrogates, which UTF-8 cannot carry: they come back as U+FFFD, nothing else changes. */
    @Property(tries = 200)
    void loneSurrogatesBecomeReplacementCharacters(@ForAll("javaStrings") String s) {
        StringBuilder want = new StringBuilder();
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            want.appendCodePoint(cp >= 0xD800 && cp <= 0xDFFF ? 0xFFFD : cp);
            i += Character.charCount(cp);
        }
        assertEquals(want.toString(), GPT2.decode(GPT2.encode(s)));
    }

    @Property(tries = 300)
    void fastBpeEqualsNaive(@ForAll("texts") String s) {
        for (BpeTokenizer tok : List.of(GPT2, SMALL)) {
            for (String piece : Pretokenizer.split(s)) {
                byte[] b = piece.getBytes(StandardCharsets.UTF_8);
                assertArrayEquals(naiveBpe(tok, b), tok.bpe(b), piece);
            }
        }
    }

    @Provide
    Arbitrary<String> longPieces() {
        return net.jqwik.api.Arbitraries.of("a", "b", "ab", "aa", "the", "=", "AC", "GT", "é", "中", "🧬")
                .list().ofMinSize(1).ofMaxSize(400).map(l -> String.join("", l));
    }

    @Property(tries = 100)
    void longPiecesHeapBpeEqualsNaive(@ForAll("longPieces") String s) {
        for (BpeTokenizer tok : List.of(GPT2, SMALL)) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            int[] naive = naiveBpe(tok, b);
            assertArrayEquals(naive, tok.bpeLong(b), s);
            assertArrayEquals(naive, tok.bpe(b), s);
        }
    }

    @Property(tries = 200)
    void piecesCutAtSafeNewlinesEncodeLikeTheWhole(@ForAll("docs") List<String> lines, @ForAll @IntRange(min = 1, max = 30) int target) {
        String text = String.join("\n", lines);
        int[] cuts = BpeTokenizer.safeCuts(text, target);
        assertEquals(0, cuts[0]);
        assertEquals(text.length(), cuts[cuts.length - 1]);
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i + 1 < cuts.length; i++) {
            for (int id : GPT2.encode(text.substring(cuts[i], cuts[i + 1]))) all.add(id);
        }
        assertArrayEquals(GPT2.encode(text), all.stream().mapToInt(Integer::intValue).toArray());
    }

    @Provide
    Arbitrary<List<String>> docs() {
        return TextArbitraries.unicode().list().ofMaxSize(12);
    }

    @Property(tries = 20)
    void encodeAllEqualsSequential(@ForAll("docs") List<String> docs, @ForAll @IntRange(min = 1, max = 4) int threads)
            throws InterruptedException {
        int[][] par = SMALL.encodeAll(docs, threads);
        for (int i = 0; i < docs.size(); i++) assertArrayEquals(SMALL.encode(docs.get(i)), par[i]);
        String joined = String.join("\n", docs);
        assertArrayEquals(GPT2.encode(joined), GPT2.encodeParallel(joined, threads));
    }

    @Property(tries = 20)
    void documentsAreFollowedByEndOfText(@ForAll("docs") List<String> docs) throws InterruptedException {
        List<Integer> want = new ArrayList<>();
        for (String d : docs) {
            for (int id : SMALL.encode(d)) want.add(id);
            want.add(SMALL.endOfTextId());
        }
        assertArrayEquals(want.stream().mapToInt(Integer::intValue).toArray(), SMALL.encodeDocuments(docs, 2));
    }

    @Property(tries = 5)
    void saveLoadRoundTrip(@ForAll @IntRange(min = 257, max = 600) int vocab) throws IOException {
        BpeTokenizer tok = BpeTrainer.train(TrainerTest.corpus(), vocab, null);
        Path dir = Files.createTempDirectory("bpe");
        try {
            tok.save(dir);
            BpeTokenizer back = BpeTokenizer.load(dir);
            assertEquals(tok.vocabSize(), back.vocabSize());
            assertEquals(tok.endOfTextId(), back.endOfTextId());
            assertEquals(tok.vocabSize() - 1, tok.endOfTextId());
            for (int id = 0; id < tok.vocabSize(); id++) assertArrayEquals(tok.tokenBytes(id), back.tokenBytes(id));
            for (int r = 0; r < tok.mergeCount(); r++) assertArrayEquals(tok.merge(r), back.merge(r));
            String sample = String.join("\n", TrainerTest.corpus());
            assertArrayEquals(tok.encode(sample), back.encode(sample));
        } finally {
            for (String f : new String[] {"vocab.json", "merges.txt"}) Files.deleteIfExists(dir.resolve(f));
            Files.deleteIfExists(dir);
        }
    }

    /** GPT-2's original loop: find the lowest-ranked adjacent pair, merge all its occurrences left to right, repeat. */
    static int[] naiveBpe(BpeTokenizer tok, byte[] bytes) {
        List<Integer> parts = new ArrayList<>();
        for (byte b : bytes) parts.add(tok.byteId(b));
        java.util.Map<Long, Integer> rank = new java.util.HashMap<>();
        if (RANKS.get(tok) == null) {
            for (int r = 0; r < tok.mergeCount(); r++) {
                int[] m = tok.merge(r);
                rank.put(((long) m[0] << 32) | m[1], r);
            }
            RANKS.put(tok, rank);
        }
        rank = RANKS.get(tok);
        while (parts.size() > 1) {
            int best = Integer.MAX_VALUE;
            for (int i = 0; i + 1 < parts.size(); i++) {
                Integer r = rank.get(((long) parts.get(i) << 32) | parts.get(i + 1));
                if (r != null && r < best) best = r;
            }
            if (best == Integer.MAX_VALUE) break;
            int[] m = tok.merge(best);
            List<Integer> next = new ArrayList<>();
            for (int i = 0; i < parts.size(); ) {
                if (i + 1 < parts.size() && parts.get(i) == m[0] && parts.get(i + 1) == m[1]) {
                    next.add(m[2]);
                    i += 2;
                } else next.add(parts.get(i++));
            }
            parts = next;
        }
        return parts.stream().mapToInt(Integer::intValue).toArray();
    }

    private static final java.util.Map<BpeTokenizer, java.util.Map<Long, Integer>> RANKS =
            java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());

    @Property(tries = 50)
    void allowedSpecialsBecomeOneId(@ForAll("docs") List<String> docs) {
        String text = String.join(BpeTokenizer.END_OF_TEXT, docs);
        int[] ids = SMALL.encode(text, java.util.Set.of(BpeTokenizer.END_OF_TEXT));
        long eots = java.util.Arrays.stream(ids).filter(id -> id == SMALL.endOfTextId()).count();
        assertEquals(count(text, BpeTokenizer.END_OF_TEXT), eots);
        assertEquals(text, SMALL.decode(ids));
    }

    private static long count(String s, String sub) {
        long n = 0;
        for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + sub.length())) n++;
        return n;
    }
}
