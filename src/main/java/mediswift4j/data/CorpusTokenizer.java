package mediswift4j.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import mediswift4j.tokenizer.BpeTokenizer;
import mediswift4j.tokenizer.TokenizerHash;
import mediswift4j.util.InputException;

/**
 * Corpus files -> one token array: every document of every file (CorpusReader, in its order) encoded with the
 * tokenizer and followed by the end-of-text id when the vocabulary has one. The token file format and the
 * validation split are in {@link TokenFile}.
 *
 * Documents whose id is in an excluded set are left out before encoding, exactly as if the corpus had never held
 * them: the id is the PubMed PMID ({@link Document}: the PubMedQA record key, the PubMed XML
 * &lt;MedlineCitation&gt;&lt;PMID&gt;, the JSONL field "pmid"; plain text has none and is never left out), matched
 * as an exact string. Pre-training uses this to keep an evaluated test set's PMIDs out of its data.
 */
public final class CorpusTokenizer {
    private CorpusTokenizer() {}

    /** Progress while tokenizing: documents and tokens so far. */
    public interface Progress {
        void update(long documents, long tokens);
    }

    /** A tokenized corpus: the token file, the documents encoded into it, and the documents left out by id. */
    public record Tokenized(TokenFile file, long documents, long excludedDocuments) {}

    /** Every document of `inputs` (JSONL text in field "text"), none excluded. */
    public static TokenFile tokenize(BpeTokenizer tokenizer, List<Path> inputs, double validationFraction, Progress progress) {
        return tokenize(tokenizer, inputs, validationFraction, Set.of(), progress).file();
    }

    /**
     * Every document of `inputs` (JSONL text in field "text") except those whose id is in `excludedIds` (exact
     * string match); the result says how many were encoded and how many were left out.
     */
    public static Tokenized tokenize(BpeTokenizer tokenizer, List<Path> inputs, double validationFraction,
                                     Set<String> excludedIds, Progress progress) {
        int eot = tokenizer.endOfTextId();
        IntList ids = new IntList();
        long[] docs = {0};
        CorpusReader.Stats stats = CorpusReader.forEachDocument(inputs, "text", excludedIds, doc -> {
            for (int id : tokenizer.encode(doc.text())) ids.add(id);
            if (eot >= 0) ids.add(eot);
            docs[0]++;
            if (progress != null && docs[0] % 1000 == 0) progress.update(docs[0], ids.size());
        });
        if (progress != null) progress.update(docs[0], ids.size());
        if (ids.size() == 0) {
            throw new InputException(inputs + ": the corpus has no tokens (" + (stats.excludedDocuments == 0 ? "no documents found"
                    : stats.documents + " documents left after excluding " + stats.excludedDocuments + " by id") + ")");
        }
        int[] tokens = ids.toArray();
        TokenFile file = new TokenFile(tokenizer.vocabSize(), tokens, TokenFile.validationStart(tokens.length, validationFraction),
                TokenizerHash.sha256(tokenizer));
        return new Tokenized(file, stats.documents, stats.excludedDocuments);
    }

    /** A growable int array. */
    static final class IntList {
        private int[] a = new int[1 << 16];
        private int n;

        void add(int v) {
            if (n == a.length) {
                if (a.length >= Integer.MAX_VALUE - 8) throw new InputException("corpus exceeds 2^31 tokens");
                a = java.util.Arrays.copyOf(a, (int) Math.min(Integer.MAX_VALUE - 8, 2L * a.length));
            }
            a[n++] = v;
        }

        int size() {
            return n;
        }

        int[] toArray() {
            return java.util.Arrays.copyOf(a, n);
        }
    }
}
