package mediswift4j.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** The incremental trainer must learn exactly the merges of a naive recount-every-step trainer, deterministically. */
class TrainerTest {
    static List<String> corpus() {
        return List.of(
                "Metformin reduced HbA1c in patients with type 2 diabetes; the reduction was 1.2% (95% CI 0.9-1.5).",
                "Patients receiving metformin had fewer hypoglycaemic events than patients receiving insulin.",
                "We didn't find that TNF-α or IL-6 levels changed; they're stable, aren't they?",
                "Ca²⁺ signalling in β-cells: 中文 text, emoji 🧬🧬, and    runs of spaces\t\ttabs\n\nnewlines.",
                "aaaaaaaa abababab aaa aaa aaa the the the theme thematic",
                "<|endoftext|> is plain text inside a document.");
    }

    @Example
    void vocabularyLayout() {
        BpeTokenizer tok = BpeTrainer.train(corpus(), 300, null);
        assertEquals(300, tok.vocabSize());
        assertEquals(299, tok.endOfTextId());
        assertEquals(43, tok.mergeCount());
        for (int i = 0; i < 256; i++) assertEquals(ByteUnicode.byteOfBaseId(i), tok.tokenBytes(i)[0] & 0xFF);
        for (int r = 0; r < tok.mergeCount(); r++) assertEquals(256 + r, tok.merge(r)[2]);
    }

    @Example
    void stopsWhenPairsRunOut() {
        BpeTokenizer tok = BpeTrainer.train(List.of("ab ab", ""), 1000, null);
        // pre-tokens "ab" x1 and " ab" x1: merges (a,b) -> "ab", (" ", ab) -> " ab"; then nothing is left
        assertEquals(2, tok.mergeCount());
        assertEquals(259, tok.vocabSize());
        assertEquals(258, tok.endOfTextId());
        assertEquals(257, tok.encode(" ab").length == 1 ? tok.encode(" ab")[0] : -1);
        BpeTokenizer empty = BpeTrainer.train(List.of(), 300, null);
        assertEquals(257, empty.vocabSize());
        assertEquals(256, empty.endOfTextId());
    }

    @Provide
    Arbitrary<List<String>> corpora() {
        return TextArbitraries.unicode().list().ofMinSize(1).ofMaxSize(8);
    }

    @Property(tries = 60)
    void incrementalEqualsNaive(@ForAll("corpora") List<String> docs, @ForAll @IntRange(min = 257, max = 330) int vocab) {
        List<String> all = new ArrayList<>(docs);
        all.addAll(corpus());
        BpeTokenizer fast = BpeTrainer.train(all, vocab, null);
        List<int[]> naive = naiveMerges(all, vocab - 257);
        assertEquals(naive.size(), fast.mergeCount());
        for (int r = 0; r < naive.size(); r++) assertArrayEquals(naive.get(r), fast.merge(r), "merge " + r);
    }

    @Property(tries = 20)
    void deterministicAndOrderFree(@ForAll("corpora") List<String> docs) {
        List<String> all = new ArrayList<>(docs);
        all.addAll(corpus());
        BpeTokenizer a = BpeTrainer.train(all, 320, null);
        Collections.reverse(all);
        BpeTokenizer b = BpeTrainer.train(all, 320, null);
        assertEquals(a.mergeCount(), b.mergeCount());
        for (int r = 0; r < a.mergeCount(); r++) assertArrayEquals(a.merge(r), b.merge(r));
    }

    /**
     * The naive twin: recount every adjacent pair of every word at every step; take the highest count, ties to the
     * smallest (left, right); skip pairs whose bytes are already a token; merge left to right.
     */
    static List<int[]> naiveMerges(List<String> docs, int merges) {
        Map<String, Integer> counts = new HashMap<>();
        for (String d : docs) for (String p : Pretokenizer.split(d)) counts.merge(p, 1, Integer::sum);
        List<int[]> words = new ArrayList<>();
        List<Integer> freq = new ArrayList<>();
        for (var e : counts.entrySet()) {
            byte[] b = e.getKey().getBytes(StandardCharsets.UTF_8);
            int[] w = new int[b.length];
            for (int i = 0; i < b.length; i++) w[i] = ByteUnicode.baseIdOfByte(b[i] & 0xFF);
            words.add(w);
            freq.add(e.getValue());
        }
        List<byte[]> tokens = new ArrayList<>();
        Set<String> known = new HashSet<>();
        for (int i = 0; i < 256; i++) {
            tokens.add(new byte[] {(byte) ByteUnicode.byteOfBaseId(i)});
            known.add(new String(tokens.get(i), StandardCharsets.ISO_8859_1));
        }
        Set<Long> banned = new HashSet<>();
        List<int[]> out = new ArrayList<>();
        while (out.size() < merges) {
            Map<Long, Long> pc = new HashMap<>();
            for (int w = 0; w < words.size(); w++) {
                int[] s = words.get(w);
                for (int i = 0; i + 1 < s.length; i++) pc.merge(((long) s[i] << 32) | s[i + 1], (long) freq.get(w), Long::sum);
            }
            long bestKey = -1, bestCount = 0;
            for (var e : pc.entrySet()) {
                if (banned.contains(e.getKey())) continue;
                if (e.getValue() > bestCount || (e.getValue() == bestCount && e.getKey() < bestKey)) {
                    bestCount = e.getValue();
                    bestKey = e.getKey();
                }
            }
            if (bestKey < 0) break;
            int l = (int) (bestKey >>> 32), r = (int) bestKey;
            byte[] cat = BpeTokenizer.concat(tokens.get(l), tokens.get(r));
            if (!known.add(new String(cat, StandardCharsets.ISO_8859_1))) {
                banned.add(bestKey);
                continue;
            }
            int id = tokens.size();
            tokens.add(cat);
            out.add(new int[] {l, r, id});
            for (int w = 0; w < words.size(); w++) {
                int[] s = words.get(w);
                List<Integer> n = new ArrayList<>();
                for (int i = 0; i < s.length; ) {
                    if (i + 1 < s.length && s[i] == l && s[i + 1] == r) {
                        n.add(id);
                        i += 2;
                    } else n.add(s[i++]);
                }
                words.set(w, n.stream().mapToInt(Integer::intValue).toArray());
            }
        }
        return out;
    }
}
