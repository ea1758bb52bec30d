package mediswift4j.data;

import java.nio.file.Path;
import java.util.List;

import mediswift4j.tokenizer.BpeTokenizer;
import mediswift4j.util.InputException;

/**
 * Corpus files -> one token array: every document of every file (CorpusReader, in its order) encoded with the
 * tokenizer and followed by the end-of-text id when the vocabulary has one. The token file format and the
 * validation split are in {@link TokenFile}.
 */
public final class CorpusTokenizer {
    private CorpusTokenizer() {}

    /** Progress while tokenizing: documents and tokens so far. */
    public interface Progress {
        void update(long documents, long tokens);
    }

    public static TokenFile tokenize(BpeTokenizer tokenizer, List<Path> inputs, double validationFraction, Progress progress) {
        int eot = tokenizer.endOfTextId();
        IntList ids = new IntList();
        long[] docs = {0};
        CorpusReader.forEachDocument(inputs, doc -> {
            for (int id : tokenizer.encode(doc)) ids.add(id);
            if (eot >= 0) ids.add(eot);
            docs[0]++;
            if (progress != null && docs[0] % 1000 == 0) progress.update(docs[0], ids.size());
        });
        if (progress != null) progress.update(docs[0], ids.size());
        if (ids.size() == 0) throw new InputException(inputs + ": the corpus has no tokens (no documents found)");
        int[] tokens = ids.toArray();
        return new TokenFile(tokenizer.vocabSize(), tokens, TokenFile.validationStart(tokens.length, validationFraction));
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
