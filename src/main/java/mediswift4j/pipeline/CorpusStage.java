package mediswift4j.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import mediswift4j.data.CorpusReader;
import mediswift4j.data.CorpusTokenizer;
import mediswift4j.data.TokenFile;
import mediswift4j.tokenizer.BpeTokenizer;
import mediswift4j.tokenizer.BpeTrainer;
import mediswift4j.util.InputException;

/**
 * The reproduction's first stage: the pre-training corpus without the test documents, a BPE tokenizer trained on
 * it, and the corpus as one token file (5% held out for validation). Written to DATA/tokenizer and
 * DATA/corpus.tokens; reused when the corpus files, the left-out PMIDs and the vocabulary size are unchanged.
 *
 * Left out: every document whose PMID (CorpusReader's document id) is in a test set that the reproduction
 * evaluates (PubMedQA's and HoC's full test sets), unless --allow-test-overlap; results.json says how many.
 */
final class CorpusStage {
    record Result(String key, BpeTokenizer tokenizer, TokenFile tokens, Map<String, Object> corpusJson,
                  Map<String, Object> tokenizerJson, Map<String, Object> dataJson) {}

    private CorpusStage() {}

    @SuppressWarnings("unchecked")
    static Result run(Path dir, List<Path> corpus, List<Object> corpusHashes, Set<String> excluded, boolean allowOverlap,
                      int vocab, Reproduction.Log log) throws IOException {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("stage", "corpus-v1");
        d.put("corpus", corpusHashes);
        d.put("excluded_pmids", StageCache.sha256(String.join("\n", new TreeSet<>(excluded)).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        d.put("vocab", (long) vocab);
        String key = StageCache.key(d);
        Path tokDir = dir.resolve("tokenizer"), tokFile = dir.resolve("corpus.tokens");
        Map<String, Object> done = StageCache.finished(dir, key);
        if (done != null) {
            try {
                BpeTokenizer tok = BpeTokenizer.load(tokDir);
                TokenFile tokens = TokenFile.read(tokFile);
                log.line(String.format("[data] tokenizer and %d tokens from an earlier run with the same corpus (reused)", tokens.tokens().length));
                return new Result(key, tok, tokens, (Map<String, Object>) done.get("corpus"), (Map<String, Object>) done.get("tokenizer"),
                        (Map<String, Object>) done.get("data"));
            } catch (InputException e) {
                log.line("[data] the earlier tokenizer or token file is unreadable (" + e.getMessage() + "); building them again");
            }
        }

        long t0 = System.nanoTime();
        List<String> docs = new ArrayList<>();
        CorpusReader.Stats stats = CorpusReader.forEachDocument(corpus, "text", excluded, doc -> docs.add(doc.text()));
        if (docs.isEmpty()) {
            throw new InputException(corpus + ": no documents left to pre-train on" + (stats.excludedDocuments > 0
                    ? " (all " + stats.excludedDocuments + " are test documents; pass --allow-test-overlap to keep them)" : ""));
        }
        long chars = docs.stream().mapToLong(String::length).sum();
        log.line(String.format("[data] %d documents (%.1f MB of text); %d test documents left out%s", docs.size(), chars / 1e6,
                stats.excludedDocuments, allowOverlap ? " (overlap allowed)" : ""));
        BpeTokenizer tok = BpeTrainer.train(docs, vocab, (phase, n, total) -> {});
        tok.save(tokDir);
        double tokSecs = (System.nanoTime() - t0) / 1e9;
        TokenFile tokens = CorpusTokenizer.tokenize(tok, corpus, TokenFile.DEFAULT_VALIDATION_FRACTION, excluded, null).file();
        tokens.write(tokFile);
        log.line(String.format("[data] %d-token BPE vocabulary in %.1f s; %d tokens: %d for training, %d held out for validation",
                tok.vocabSize(), tokSecs, tokens.tokens().length, tokens.trainCount(), tokens.validationCount()));

        Map<String, Object> c = new LinkedHashMap<>();
        c.put("documents", docs.size() + stats.excludedDocuments);
        c.put("pretraining_documents", (long) docs.size());
        c.put("excluded_test_documents", stats.excludedDocuments);
        c.put("allow_test_overlap", allowOverlap);
        c.put("characters", chars);
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("vocab_size", (long) tok.vocabSize());
        t.put("documents", (long) docs.size());
        t.put("characters", chars);
        t.put("seconds", tokSecs);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tokens", (long) tokens.tokens().length);
        m.put("train_tokens", (long) tokens.trainCount());
        m.put("validation_tokens", (long) tokens.validationCount());
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("corpus", c);
        result.put("tokenizer", t);
        result.put("data", m);
        StageCache.finish(dir, key, result);
        return new Result(key, tok, tokens, c, t, m);
    }

}
