package mediswift4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import mediswift4j.util.InputException;

/** Every corpus format, directories, gzip, and the bad-input rules (invalid UTF-8 with byte offset, bad records). */
class CorpusReaderTest {
    @TempDir
    Path dir;

    private List<String> read(Path... paths) {
        List<String> docs = new ArrayList<>();
        CorpusReader.forEachDocument(List.of(paths), docs::add);
        return docs;
    }

    private Path write(String name, String text) throws IOException {
        return write(name, text.getBytes(StandardCharsets.UTF_8));
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        if (name.endsWith(".gz")) {
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
                out.write(bytes);
            }
        } else Files.write(p, bytes);
        return p;
    }

    @Test
    void plainTextDocumentsAreSeparatedByBlankLines() throws IOException {
        Path p = write("a.txt", "\uFEFFfirst line\r\nsecond line\n\n  \t\nsecond doc\n\n\n\nthird\n");
        assertEquals(List.of("first line\nsecond line", "second doc", "third"), read(p));
        assertEquals(List.of(), read(write("empty.txt", "")));
    }

    @Test
    void jsonlReadsTheNamedField() throws IOException {
        Path p = write("c.jsonl", "{\"text\": \"one\", \"id\": 1}\n\n{\"text\": \"two\\nlines\"}\n");
        assertEquals(List.of("one", "two\nlines"), read(p));
        Path q = write("d.jsonl", "{\"body\": \"x\"}\n");
        List<String> docs = new ArrayList<>();
        CorpusReader.forEachDocument(List.of(q), "body", docs::add);
        assertEquals(List.of("x"), docs);
        String msg = assertThrows(InputException.class, () -> read(q)).getMessage();
        assertTrue(msg.contains("d.jsonl:1") && msg.contains("\"text\""), msg);
        Path bad = write("e.jsonl", "{\"text\": \"ok\"}\n{\"text\": 5}\n");
        msg = assertThrows(InputException.class, () -> read(bad)).getMessage();
        assertTrue(msg.contains("e.jsonl:2"), msg);
        Path broken = write("f.jsonl", "{\"text\": \"ok\"}\n{\"text\": \n");
        msg = assertThrows(InputException.class, () -> read(broken)).getMessage();
        assertTrue(msg.contains("f.jsonl:2"), msg);
    }

    static final String PUBMED = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
            + "<!DOCTYPE PubmedArticleSet PUBLIC \"-//NLM//DTD PubMedArticle, 1st January 2025//EN\" "
            + "\"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd\">\n"
            + "<PubmedArticleSet>\n<PubmedArticle><MedlineCitation><PMID Version=\"1\">1</PMID><Article>\n"
            + "<ArticleTitle>Effect of <i>metformin</i> on Ca<sup>2+</sup> &amp; HbA1c.</ArticleTitle>\n"
            + "<Abstract><AbstractText Label=\"BACKGROUND\">Background text &#x3b1;.</AbstractText>\n"
            + "<AbstractText Label=\"RESULTS\"> Results: p &lt; 0.05. </AbstractText></Abstract>\n"
            + "</Article><OtherAbstract><AbstractText>Not this one.</AbstractText></OtherAbstract>"
            + "</MedlineCitation></PubmedArticle>\n"
            + "<PubmedArticle><MedlineCitation><Article><ArticleTitle>No abstract here.</ArticleTitle></Article>"
            + "</MedlineCitation></PubmedArticle>\n"
            + "<PubmedArticle><MedlineCitation><Article><ArticleTitle>Second.</ArticleTitle>"
            + "<Abstract><AbstractText>Only section.</AbstractText></Abstract></Article></MedlineCitation></PubmedArticle>\n"
            + "</PubmedArticleSet>\n";

    @Test
    void pubmedXmlTitlePlusAbstract() throws IOException {
        List<String> want = List.of("Effect of metformin on Ca2+ & HbA1c.\nBackground text α.\nResults: p < 0.05.",
                "Second.\nOnly section.");
        assertEquals(want, read(write("pubmed25n0001.xml", PUBMED)));
        assertEquals(want, read(write("pubmed25n0002.xml.gz", PUBMED)));
        CorpusReader.Stats s = CorpusReader.forEachDocument(List.of(dir.resolve("pubmed25n0001.xml")), "text", d -> { });
        assertEquals(1, s.skippedArticles);
        assertEquals(2, s.documents);
    }

    @Test
    void malformedXmlNamesLine() throws IOException {
        Path p = write("bad.xml", "<PubmedArticleSet>\n<PubmedArticle>\n<ArticleTitle>x</Title>\n");
        String msg = assertThrows(InputException.class, () -> read(p)).getMessage();
        assertTrue(msg.contains("bad.xml:3:"), msg);
    }

    @Test
    void pubmedQaQuestionAndContexts() throws IOException {
        Path p = write("q.json", "{\"123\": {\"QUESTION\": \"Does it work?\", \"CONTEXTS\": [\"Ctx one.\", \"Ctx two.\"],"
                + " \"LONG_ANSWER\": \"Secret.\", \"final_decision\": \"yes\"}, \"7\": {\"QUESTION\": \"Q2?\", \"CONTEXTS\": []}}");
        assertEquals(List.of("Does it work?\nCtx one.\nCtx two.", "Q2?"), read(p));
        Path bad = write("r.json", "{\"9\": {\"QUESTION\": \"x\"}}");
        String msg = assertThrows(InputException.class, () -> read(bad)).getMessage();
        assertTrue(msg.contains("r.json: record 9") && msg.contains("CONTEXTS"), msg);
    }

    @Test
    void realPubmedQaWhenPresent() {
        Path file = mediswift4j.TaskTestSupport.realDataRoot().resolve("pubmedqa/ori_pqal.json");
        mediswift4j.TaskTestSupport.requireRealData(Files.isRegularFile(file), "no PubMedQA data at " + file);
        List<String> docs = read(file);
        assertEquals(1000, docs.size());
        for (String d : docs) assertTrue(d.contains("?") || d.length() > 50);
    }

    @Test
    void invalidUtf8IsRejectedWithByteOffset() throws IOException {
        byte[] text = "good text\n\nmore é text".getBytes(StandardCharsets.UTF_8);
        byte[] bad = new byte[text.length + 3];
        System.arraycopy(text, 0, bad, 0, text.length);
        bad[14] = (byte) 0xC3; // a lead byte followed by ASCII: malformed at offset 14
        bad[15] = 'x';
        bad[text.length] = (byte) 0xE2; // truncated 3-byte sequence at the end
        bad[text.length + 1] = (byte) 0x82;
        bad[text.length + 2] = (byte) 0xAC;
        for (String name : List.of("u.txt", "u.txt.gz", "u.jsonl", "u.xml", "u.json")) {
            Path p = write(name, bad);
            String msg = assertThrows(InputException.class, () -> read(p)).getMessage();
            assertTrue(msg.contains(name + ": invalid UTF-8 at byte offset 14"), msg);
        }
        byte[] truncated = {'a', 'b', (byte) 0xE2, (byte) 0x82};
        String msg = assertThrows(InputException.class, () -> read(write("t.txt", truncated))).getMessage();
        assertTrue(msg.contains("invalid UTF-8 at byte offset 2"), msg);
    }

    @Test
    void largeFileOffsetsAcrossBufferBoundaries() throws IOException {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < 200_000) sb.append("αβγ plain text ").append(sb.length()).append('\n');
        byte[] good = sb.toString().getBytes(StandardCharsets.UTF_8);
        byte[] bad = java.util.Arrays.copyOf(good, good.length);
        int at = 150_001;
        while ((bad[at] & 0xC0) == 0x80) at++; // a character start
        bad[at] = (byte) 0xFF;
        final int offset = at;
        assertEquals(1, read(write("big.txt", good)).size());
        String msg = assertThrows(InputException.class, () -> read(write("big2.txt.gz", bad))).getMessage();
        assertTrue(msg.contains("byte offset " + offset), msg);
    }

    @Test
    void directoriesAreReadSortedAndSkipOtherFiles() throws IOException {
        Path sub = Files.createDirectory(dir.resolve("corpus"));
        Files.writeString(sub.resolve("b.txt"), "bee");
        Files.writeString(sub.resolve("a.jsonl"), "{\"text\": \"ay\"}\n");
        Files.writeString(sub.resolve("README.md"), "not a corpus");
        Files.writeString(sub.resolve(".hidden.txt"), "hidden");
        assertEquals(List.of("ay", "bee"), read(sub));
        Path empty = Files.createDirectory(dir.resolve("empty"));
        assertThrows(InputException.class, () -> read(empty));
        assertThrows(InputException.class, () -> read(sub.resolve("README.md")));
        assertThrows(InputException.class, () -> read(dir.resolve("missing.txt")));
    }

    @Test
    void corruptGzip() throws IOException {
        Path p = write("x.txt.gz".replace(".gz", ".raw"), "not gzip");
        Files.move(p, dir.resolve("x.txt.gz"));
        String msg = assertThrows(InputException.class, () -> read(dir.resolve("x.txt.gz"))).getMessage();
        assertTrue(msg.contains("x.txt.gz"), msg);
    }
}
