package mediswift4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import mediswift4j.io.Json;

/**
 * corpus-samples/ (synthetic, from tools/make_corpus_samples.py) has the formats the loaders expect: PubMedQA's
 * ori_pqal.json fields and types as in the shared data MANIFEST, test_ground_truth.json a subset of it, HoC TSVs
 * in BLURB's layout, the pre-training text as title + paragraph documents, and the folder under 5 MB.
 */
class CorpusSamplesTest {
    static final Path DIR = Path.of("corpus-samples");
    static final List<String> FIELDS = List.of("QUESTION", "CONTEXTS", "LABELS", "MESHES", "YEAR",
            "reasoning_required_pred", "reasoning_free_pred", "final_decision", "LONG_ANSWER");
    static final List<String> ANSWERS = List.of("yes", "no", "maybe");

    @Test
    void pubmedqaSampleHasTheOfficialFields() {
        Map<String, Object> items = Json.asObject(Json.read(DIR.resolve("pubmedqa/ori_pqal.json")), "ori_pqal.json");
        assertEquals(400, items.size());
        for (var e : items.entrySet()) {
            String where = "ori_pqal.json: " + e.getKey();
            assertTrue(e.getKey().matches("\\d+"), where);
            Map<String, Object> v = Json.asObject(e.getValue(), where);
            assertEquals(FIELDS, List.copyOf(v.keySet()), where);
            Json.asString(v.get("QUESTION"), where);
            Json.asString(v.get("LONG_ANSWER"), where);
            List<Object> contexts = Json.asArray(v.get("CONTEXTS"), where), labels = Json.asArray(v.get("LABELS"), where);
            assertEquals(contexts.size(), labels.size(), where);
            for (Object c : contexts) Json.asString(c, where);
            for (Object m : Json.asArray(v.get("MESHES"), where)) Json.asString(m, where);
            assertTrue(v.get("YEAR") == null || v.get("YEAR") instanceof String, where);
            for (String f : List.of("reasoning_required_pred", "reasoning_free_pred", "final_decision")) {
                assertTrue(ANSWERS.contains(v.get(f)), where + " " + f);
            }
        }
        Map<String, Object> truth = Json.asObject(Json.read(DIR.resolve("pubmedqa/test_ground_truth.json")), "truth");
        assertEquals(150, truth.size());
        for (var e : truth.entrySet()) {
            assertEquals(Json.asObject(items.get(e.getKey()), e.getKey()).get("final_decision"), e.getValue(), e.getKey());
        }
    }

    @Test
    void hocSampleHasBlurbLayout() throws IOException {
        Pattern flags = Pattern.compile("0_[01],1_[01],2_[01],3_[01],4_[01],5_[01],6_[01],7_[01],8_[01],9_[01]");
        for (String split : List.of("train", "dev", "test")) {
            List<String> lines = Files.readAllLines(DIR.resolve("hoc/" + split + ".tsv"));
            assertEquals("labels\tsentence\tindex", lines.get(0));
            assertTrue(lines.size() > 100, split);
            for (int i = 1; i < lines.size(); i++) {
                String[] f = lines.get(i).split("\t", -1);
                assertEquals(3, f.length, split + ":" + (i + 1));
                assertTrue(flags.matcher(f[0]).matches(), split + ":" + (i + 1));
                assertTrue(!f[1].isBlank() && f[2].matches("\\d+_s\\d+"), split + ":" + (i + 1));
            }
        }
    }

    @Test
    void pretrainingTextIsTitleAndParagraphDocuments() throws IOException {
        String text = Json.readUtf8(DIR.resolve("pubmed-sample.txt"));
        String[] docs = text.split("\n\n");
        assertTrue(docs.length > 2000, "documents: " + docs.length);
        for (String d : docs) assertEquals(2, d.strip().split("\n").length, d);
        long total;
        try (Stream<Path> files = Files.walk(DIR)) {
            total = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
        assertTrue(total < 5_000_000, "corpus-samples is " + total + " bytes");
    }
}
