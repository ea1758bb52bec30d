package mediswift4j.pipeline;

import static mediswift4j.pipeline.ReportFixtures.obj;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

import mediswift4j.io.Json;

/** ReportWriter writes results.json, well-formed charts and a report.md that shows the intervals and the inputs' hashes. */
class ReportWriterTest {
    private static final List<String> FILES = List.of("results.json", "report.md", "loss_vs_step.svg", "loss_vs_flops.svg", "speedup.svg",
            "downstream_pubmedqa_accuracy.svg", "downstream_pubmedqa_macro_f1.svg", "downstream_hoc_micro_f1.svg");

    @Test
    void writesEveryFileAndResultsJsonRoundTrips(@TempDir Path out) throws Exception {
        Map<String, Object> r = ReportFixtures.real();
        ReportWriter.write(out, r);
        for (String f : FILES) assertTrue(Files.size(out.resolve(f)) > 100, f);
        assertEquals(r, Json.read(out.resolve("results.json")));
        try (Stream<Path> s = Files.list(out)) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file left");
        }
    }

    @Test
    void reportShowsIntervalsHashesAndEverySection(@TempDir Path out) throws Exception {
        ReportWriter.write(out, ReportFixtures.real());
        String md = Files.readString(out.resolve("report.md"));
        for (String heading : List.of("## Inputs", "## Setup", "## Pre-training", "## Where sparsity pays", "## Evaluation data",
                "## Baselines without a model", "## Downstream", "## The paper's models", "## What this run shows, and what it does not")) {
            assertTrue(md.contains(heading), heading);
        }
        assertTrue(md.contains("| corpus | `/data/pubmed.txt` | 2.5 MB | `" + ReportFixtures.CORPUS_SHA.substring(0, 12) + "` | no |"), md);
        assertTrue(md.contains("`" + ReportFixtures.PQ_SHA.substring(0, 12) + "`") && md.contains("`" + ReportFixtures.HOC_SHA.substring(0, 12) + "`"));
        assertFalse(md.contains(ReportFixtures.CORPUS_SHA.substring(0, 13)), "only the first 12 hex digits");
        assertTrue(md.contains("7 of them overlap the PubMedQA or HoC test items and were left out of pre-training."), md);
        assertTrue(md.contains("| 75% / dense | 6 | 61.0 ± 1.2 [56.0, 66.0] | 42.0 ± 1.2 [37.0, 47.0] | 0.0 ± 1.2 [0.0, 5.0] |"), md);
        assertTrue(md.contains("| dense | 2 | 3.800 ± 0.141 |"), md);
        assertTrue(md.contains("loss spikes (seed 1), stable (seed 2)"), md);
        assertTrue(md.contains("Test: a seeded stratified sample of 150 of the 500 test questions (sample seed 1234)"), md);
        assertTrue(md.contains("| yes | 83 (55.3%) | 276 (55.2%) |"), md);
        assertTrue(md.contains("| none | 40 (40.0%) | 127 (40.3%) |"), md);
        assertTrue(md.contains("| PubMedQA | always 'yes' (most frequent training label) | accuracy | 55.3 [47.3, 63.3] | 55.2 |"), md);
        for (String f : FILES) if (f.endsWith(".svg")) assertTrue(md.contains("](" + f + ")"), f);
    }

    @Test
    void theFullTestSetIsSaidToBeFull() {
        String md = ReportWriter.markdown(ReportFixtures.synthetic(), java.util.Set.of());
        assertTrue(md.contains("Test: the full test set, 500 questions."), md);
        assertTrue(md.contains("Test: the full test set, 315 abstracts, 1,000 sentences evaluated."), md);
        assertTrue(md.contains("yes (synthetic)"), md);
    }

    @Test
    void chartsAreWellFormedXml(@TempDir Path out) throws Exception {
        ReportWriter.write(out, ReportFixtures.real());
        var factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        for (String f : FILES) {
            if (!f.endsWith(".svg")) continue;
            Document doc = factory.newDocumentBuilder().parse(new ByteArrayInputStream(Files.readAllBytes(out.resolve(f))));
            assertEquals("svg", doc.getDocumentElement().getLocalName(), f);
        }
        String acc = Files.readString(out.resolve("downstream_pubmedqa_accuracy.svg"), StandardCharsets.UTF_8);
        assertEquals(2, acc.split("<circle").length - 1, "one dot per row");
        assertTrue(acc.contains("always &apos;yes&apos;") || acc.contains("always 'yes'"), acc);
        String hoc = Files.readString(out.resolve("downstream_hoc_micro_f1.svg"), StandardCharsets.UTF_8);
        assertEquals(2, hoc.split("stroke-dasharray").length - 1 - 2, "two baselines: a dashed line and a legend swatch each");
    }

    @Test
    void aReportRegeneratedFromResultsJsonIsTheSame(@TempDir Path out) throws Exception {
        ReportWriter.write(out.resolve("a"), ReportFixtures.synthetic());
        Map<String, Object> read = Json.asObject(Json.read(out.resolve("a/results.json")), "results.json");
        ReportWriter.write(out.resolve("b"), read);
        assertEquals(Files.readString(out.resolve("a/report.md")), Files.readString(out.resolve("b/report.md")));
    }

    @Test
    void nonFiniteNumbersBecomeNullAndPartialMapsStillWrite(@TempDir Path out) throws Exception {
        Map<String, Object> r = ReportFixtures.synthetic();
        @SuppressWarnings("unchecked")
        Map<String, Object> speed = (Map<String, Object>) ((List<Object>) r.get("speedups")).get(1);
        speed.put("cpu_measured_speedup", Double.NaN);
        ReportWriter.write(out.resolve("nan"), r);
        Map<String, Object> read = Json.asObject(Json.read(out.resolve("nan/results.json")), "results.json");
        assertNull(((Map<?, ?>) ((List<?>) read.get("speedups")).get(1)).get("cpu_measured_speedup"));
        assertTrue(Files.readString(out.resolve("nan/report.md")).contains("and no CPU speedup was recorded"));

        assertDoesNotThrow(() -> ReportWriter.write(out.resolve("empty"), obj("mode", "quick")));
        assertTrue(Files.readString(out.resolve("empty/report.md")).contains("## What this run shows, and what it does not"));
        Map<String, Object> old = obj("mode", "quick", "pretrain", List.of(obj("sparsity", 0.0, "label", "dense", "final_validation_loss", 3.0)),
                "downstream", List.of(obj("pretraining", "majority baseline", "pubmedqa_accuracy", 0.5)));
        assertDoesNotThrow(() -> ReportWriter.write(out.resolve("old"), old));
    }
}
