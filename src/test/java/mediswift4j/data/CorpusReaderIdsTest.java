package mediswift4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import mediswift4j.util.InputException;

/** Document ids per format (the PMID, or null) and leaving documents out by id. */
class CorpusReaderIdsTest {
    @TempDir
    Path dir;

    static final String PUBMEDQA = "{\"21645374\": {\"QUESTION\": \"Do mitochondria play a role?\", \"CONTEXTS\": [\"Ctx A.\"],"
            + " \"LONG_ANSWER\": \"Never read.\"}, \"16418930\": {\"QUESTION\": \"Is it safe?\", \"CONTEXTS\": [\"Ctx B.\", \"Ctx C.\"]}}";

    static final String JSONL = "{\"pmid\": \"101\", \"text\": \"string pmid\"}\n"
            + "{\"pmid\": 102, \"text\": \"number pmid\"}\n"
            + "{\"text\": \"no pmid\"}\n"
            + "{\"pmid\": null, \"text\": \"null pmid\"}\n";

    /** Two articles with PMIDs, in the shape PubmedXml reads (the real files also carry a DOCTYPE and PubmedData). */
    static final String PUBMED = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<PubmedArticleSet>\n"
            + "<PubmedArticle><MedlineCitation Status=\"MEDLINE\"><PMID Version=\"1\">\n  201 \n</PMID><Article>"
            + "<ArticleTitle>First.</ArticleTitle><Abstract><AbstractText>Abstract one.</AbstractText></Abstract></Article>"
            + "<CommentsCorrectionsList><CommentsCorrections RefType=\"CommentIn\"><PMID Version=\"1\">999</PMID>"
            + "</CommentsCorrections></CommentsCorrectionsList></MedlineCitation>"
            + "<PubmedData><ArticleIdList><ArticleId IdType=\"pubmed\">201</ArticleId></ArticleIdList></PubmedData></PubmedArticle>\n"
            + "<PubmedArticle><MedlineCitation><PMID Version=\"1\">202</PMID><Article>"
            + "<ArticleTitle>Second.</ArticleTitle><Abstract><AbstractText>Abstract two.</AbstractText></Abstract></Article>"
            + "</MedlineCitation></PubmedArticle>\n"
            + "</PubmedArticleSet>\n";

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private List<Document> read(Set<String> excluded, CorpusReader.Stats[] stats, Path... paths) {
        List<Document> docs = new ArrayList<>();
        CorpusReader.Stats s = CorpusReader.forEachDocument(List.of(paths), "text", excluded, docs::add);
        if (stats != null) stats[0] = s;
        return docs;
    }

    private List<Document> read(Path... paths) {
        return read(Set.of(), null, paths);
    }

    @Test
    void pubmedQaIdIsTheRecordKey() throws IOException {
        assertEquals(List.of(new Document("21645374", "Do mitochondria play a role?\nCtx A."),
                new Document("16418930", "Is it safe?\nCtx B.\nCtx C.")), read(write("ori_pqal.json", PUBMEDQA)));
    }

    @Test
    void jsonlIdIsThePmidFieldAsStringOrInteger() throws IOException {
        assertEquals(List.of(new Document("101", "string pmid"), new Document("102", "number pmid"),
                new Document(null, "no pmid"), new Document(null, "null pmid")), read(write("c.jsonl", JSONL)));
        for (String bad : List.of("1.5", "1e3", "true", "[1]", "{}", "12345678901234567890")) {
            Path p = write("bad.jsonl", "{\"text\": \"ok\"}\n{\"pmid\": " + bad + ", \"text\": \"x\"}\n");
            String msg = assertThrows(InputException.class, () -> read(p), bad).getMessage();
            assertTrue(msg.contains("bad.jsonl:2") && msg.contains("\"pmid\""), msg);
        }
    }

    @Test
    void pubmedXmlIdIsTheCitationsOwnPmid() throws IOException {
        assertEquals(List.of(new Document("201", "First.\nAbstract one."), new Document("202", "Second.\nAbstract two.")),
                read(write("pubmed25n0001.xml", PUBMED)));
        // Only a PMID naming another article (inside CommentsCorrections): no id. An empty PMID: no id.
        String other = "<PubmedArticleSet><PubmedArticle><MedlineCitation><Article><ArticleTitle>T.</ArticleTitle>"
                + "<Abstract><AbstractText>A.</AbstractText></Abstract></Article><CommentsCorrectionsList><CommentsCorrections>"
                + "<PMID>999</PMID></CommentsCorrections></CommentsCorrectionsList></MedlineCitation></PubmedArticle>"
                + "<PubmedArticle><MedlineCitation><PMID> </PMID><Article><ArticleTitle>U.</ArticleTitle>"
                + "<Abstract><AbstractText>B.</AbstractText></Abstract></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>";
        assertEquals(List.of(new Document(null, "T.\nA."), new Document(null, "U.\nB.")), read(write("other.xml", other)));
        // The format CorpusReaderTest already covers (DOCTYPE, inline markup, an article without abstract).
        List<Document> docs = read(write("pubmed25n0002.xml", CorpusReaderTest.PUBMED));
        assertEquals(java.util.Arrays.asList("1", null), docs.stream().map(Document::id).toList());
    }

    @Test
    void plainTextHasNoIds() throws IOException {
        assertEquals(List.of(new Document(null, "one\nline"), new Document(null, "two")), read(write("a.txt", "one\nline\n\ntwo\n")));
    }

    @Test
    void exclusionDropsExactlyTheListedIdsAndCountsThem() throws IOException {
        Path qa = write("ori_pqal.json", PUBMEDQA);
        Path jsonl = write("c.jsonl", JSONL);
        Path xml = write("pubmed25n0001.xml", PUBMED);
        Path txt = write("a.txt", "plain\n");
        // "102" matches the integer pmid; "0201", " 202" and "999" (a CommentsCorrections PMID) match nothing;
        // "1" names an article that has no abstract (never a document, so never counted as excluded).
        Path skipped = write("pubmed25n0002.xml", CorpusReaderTest.PUBMED);
        Set<String> excluded = Set.of("21645374", "102", "201", "0201", " 202", "999", "1", "no such id");
        CorpusReader.Stats[] stats = new CorpusReader.Stats[1];
        List<Document> kept = read(excluded, stats, qa, jsonl, xml, txt, skipped);
        List<String> want = List.of("Is it safe?\nCtx B.\nCtx C.", "string pmid", "no pmid", "null pmid",
                "Second.\nAbstract two.", "plain", "Second.\nOnly section.");
        assertEquals(want, kept.stream().map(Document::text).toList());
        CorpusReader.Stats s = stats[0];
        assertEquals(4, s.excludedDocuments); // 21645374, 102, 201 and article 1 of the second XML file
        assertEquals(want.size(), s.documents);
        assertEquals(want.stream().mapToLong(String::length).sum(), s.chars);
        assertEquals(5, s.files);
        assertEquals(1, s.skippedArticles);

        CorpusReader.Stats none = CorpusReader.forEachDocument(List.of(qa, jsonl, xml, txt), "text", d -> { });
        assertEquals(0, none.excludedDocuments);
        assertEquals(9, none.documents);
    }

    @Test
    void textOnlyOverloadsStillSeeEveryDocument() throws IOException {
        Path jsonl = write("c.jsonl", JSONL);
        List<String> texts = new ArrayList<>();
        CorpusReader.forEachDocument(List.of(jsonl), texts::add);
        assertEquals(List.of("string pmid", "number pmid", "no pmid", "null pmid"), texts);
    }
}
