package mediswift4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import mediswift4j.tokenizer.BpeTokenizer;
import mediswift4j.tokenizer.BpeTrainer;
import mediswift4j.util.InputException;

/** Tokenizing with an exclusion set gives the tokens of a corpus that never held the excluded documents. */
class CorpusTokenizerTest {
    @TempDir
    Path dir;

    static final BpeTokenizer TOK = BpeTrainer.train(List.of("Do mitochondria play a role in the abstract?",
            "Is it safe? the second abstract, string pmid and number pmid"), 300, null);

    private static String xmlArticle(String pmid, String title, String text) {
        return "<PubmedArticle><MedlineCitation><PMID Version=\"1\">" + pmid + "</PMID><Article><ArticleTitle>" + title
                + "</ArticleTitle><Abstract><AbstractText>" + text + "</AbstractText></Abstract></Article></MedlineCitation></PubmedArticle>\n";
    }

    /** One corpus of every format; `withHeld` adds the documents with PMIDs 21645374, 102 and 201. */
    private List<Path> corpus(String name, boolean withHeld) throws IOException {
        Path d = Files.createDirectory(dir.resolve(name));
        Files.writeString(d.resolve("a.json"), "{" + (withHeld ? "\"21645374\": {\"QUESTION\": \"Do mitochondria play a role?\", \"CONTEXTS\": [\"Ctx A.\"]}, " : "")
                + "\"16418930\": {\"QUESTION\": \"Is it safe?\", \"CONTEXTS\": [\"Ctx B.\"]}}");
        Files.writeString(d.resolve("b.jsonl"), "{\"pmid\": \"101\", \"text\": \"string pmid\"}\n"
                + (withHeld ? "{\"pmid\": 102, \"text\": \"number pmid\"}\n" : "") + "{\"text\": \"no pmid\"}\n");
        Files.writeString(d.resolve("c.xml"), "<PubmedArticleSet>\n" + (withHeld ? xmlArticle("201", "First.", "Abstract one.") : "")
                + xmlArticle("202", "Second.", "Abstract two.") + "</PubmedArticleSet>\n");
        Files.writeString(d.resolve("d.txt"), "plain text\n\nmore text\n");
        return List.of(d);
    }

    @Test
    void excludingEqualsNeverHavingTheDocuments() throws IOException {
        List<Path> full = corpus("full", true);
        List<Path> clean = corpus("clean", false);
        Set<String> testSet = Set.of("21645374", "102", "201", "not in the corpus");

        CorpusTokenizer.Tokenized excluded = CorpusTokenizer.tokenize(TOK, full, 0.25, testSet, null);
        CorpusTokenizer.Tokenized reference = CorpusTokenizer.tokenize(TOK, clean, 0.25, Set.of(), null);
        assertArrayEquals(reference.file().tokens(), excluded.file().tokens());
        assertEquals(reference.file().validationStart(), excluded.file().validationStart());
        assertEquals(reference.file().vocabSize(), excluded.file().vocabSize());
        assertEquals(6, excluded.documents());
        assertEquals(3, excluded.excludedDocuments());
        assertEquals(6, reference.documents());
        assertEquals(0, reference.excludedDocuments());

        // The old signature is the empty exclusion set, and the full corpus really differs.
        TokenFile all = CorpusTokenizer.tokenize(TOK, full, 0.25, null);
        CorpusTokenizer.Tokenized none = CorpusTokenizer.tokenize(TOK, full, 0.25, Set.of(), null);
        assertArrayEquals(all.tokens(), none.file().tokens());
        assertEquals(9, none.documents());
        assertTrue(all.tokens().length > excluded.file().tokens().length);
    }

    @Test
    void progressCountsOnlyEncodedDocuments() throws IOException {
        long[] last = new long[2];
        CorpusTokenizer.Tokenized t = CorpusTokenizer.tokenize(TOK, corpus("p", true), 0.0, Set.of("102"),
                (docs, tokens) -> { last[0] = docs; last[1] = tokens; });
        assertEquals(8, last[0]);
        assertEquals(t.file().tokens().length, last[1]);
    }

    @Test
    void excludingEverythingIsAnInputError() throws IOException {
        Path p = Files.writeString(dir.resolve("only.jsonl"), "{\"pmid\": 7, \"text\": \"x\"}\n");
        String msg = assertThrows(InputException.class, () -> CorpusTokenizer.tokenize(TOK, List.of(p), 0.0, Set.of("7"), null))
                .getMessage();
        assertTrue(msg.contains("excluding 1"), msg);
    }
}
