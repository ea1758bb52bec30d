package mediswift4j.pipeline;

import static mediswift4j.pipeline.ReportFixtures.cmp;
import static mediswift4j.pipeline.ReportFixtures.obj;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The closing section says what the numbers say: checked on a shipped-samples map and a real-data map. */
class NarrativeTest {
    /** The bullet that starts with `prefix` (exactly one must). */
    private static String bullet(String md, String prefix) {
        List<String> lines = md.lines().filter(l -> l.startsWith(prefix)).toList();
        assertEquals(1, lines.size(), () -> "bullets starting with " + prefix + " in\n" + md);
        return lines.get(0);
    }

    @Test
    void shippedSamplesAreNamedAsSyntheticAndTheAgreementWithThePaperIsStated() {
        String md = Narrative.write(ReportFixtures.synthetic());
        assertTrue(md.startsWith("## What this run shows, and what it does not"));
        assertTrue(md.contains("The inputs are the synthetic samples shipped with the project: corpus `corpus-samples/pubmed.txt` (2.5 MB)"), md);
        assertTrue(md.contains("7 of the corpus's 1,000 documents overlap PubMedQA or HoC test items and were left out of pre-training"), md);
        assertTrue(md.contains("at equal tokens (512,000 per run): dense 3.300; 50% 3.410 (+0.110); 75% 3.520 (+0.220)"), md);
        assertTrue(md.contains("This run agrees at 50% and 75%."), md);
        assertFalse(md.contains("does not agree"), md);
        assertTrue(md.contains("With one pre-training seed per sparsity, the seed-to-seed spread is not measured."), md);
        assertTrue(md.contains("All 3 pre-training runs with a verdict are \"stable\"."), md);
        assertTrue(md.contains("At 75% the counted FLOP reduction is 1.80x, the CS-2 model predicts 1.60x and this CPU measured 1.20x, "
                + "67% of the counted reduction. Its masked layers ran on the compressed sparse kernels."), md);
        assertTrue(md.contains("The paper models' counted reduction at this sparsity is 2.05x to 2.44x"), md);
        assertTrue(bullet(md, "- **75% / dense**").contains(
                "PubMedQA accuracy 66.0% beats always 'yes' (+11.0 points [+4.0, +18.0])"), md);
        assertTrue(md.contains("- 75% / dense is indistinguishable from dense / dense on PubMedQA accuracy (-4.0 points [-9.0, +1.0])."), md);
        assertTrue(md.contains("Each row is a single fine-tuning run"), md);
        assertFalse(md.contains("no hallmark"), md);
    }

    @Test
    void realDataNeverMentionsSyntheticAndSaysPlainlyWhenSparseBeatsDense() {
        Map<String, Object> r = ReportFixtures.real();
        String md = Narrative.write(r);
        assertFalse(md.toLowerCase().contains("synthetic"), md);
        assertFalse(ReportWriter.markdown(r, Set.of()).toLowerCase().contains("synthetic"));
        assertTrue(md.contains("The inputs are your files: corpus `/data/pubmed.txt` (2.5 MB); PubMedQA `/data/pubmedqa/ori_pqal.json` (1.2 MB); "
                + "HoC `/data/hoc/test.tsv` (300.0 kB)."), md);
        assertTrue(md.contains("(mean ± std over pre-training seeds) at equal tokens (512,000 per run): dense 3.800 ± 0.141; 75% 3.610 ± 0.014 (-0.190)"), md);
        assertTrue(md.contains("It does not agree at 75%: that sparsity ended below dense."), md);
        assertTrue(md.contains("stability verdicts (dense: loss spikes, stable; 75%: stable, stable)"), md);
        assertTrue(md.contains("the learning rate (a peak of 0.003 after 40 warm-up steps, the same for every sparsity)"), md);
        assertTrue(md.contains("- Unstable pre-training run **dense seed 1**: loss spikes, 3 step(s)"), md);
        assertFalse(md.contains("run **dense seed 2**"), md);
        assertTrue(md.contains("Its masked layers ran as dense matrices holding zeros") || md.contains("compressed sparse kernels"), md);
    }

    @Test
    void aRowWithoutHallmarksIsCalledOutAndOnlyThatRow() {
        String md = Narrative.write(ReportFixtures.real());
        String sparse = bullet(md, "- **75% / dense**"), dense = bullet(md, "- **dense / dense**");
        assertTrue(sparse.contains("It predicts (almost) no hallmark: it gave a label to 2.0% of the evaluated HoC abstracts (first run) "
                + "and scores 0.0% micro-F1, i.e. it learned the majority answer (no label, the most frequent label set of the full test set: "
                + "127 abstracts) rather than the task."), sparse);
        assertTrue(sparse.contains("HoC micro-F1 0.0% is worse than all ten labels (-26.0 points [-30.0, -22.0])"), sparse);
        assertFalse(dense.contains("no hallmark"), dense);

        Map<String, Object> r = ReportFixtures.real();
        @SuppressWarnings("unchecked")
        Map<String, Object> test = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) r.get("downstream")).get("hoc")).get("test");
        test.put("labels_full", obj("sustaining proliferative signaling", 200L, "none", 100L));
        assertTrue(bullet(Narrative.write(r), "- **75% / dense**").contains("i.e. it collapsed to answering no label, although on the full "
                + "test set 200 abstracts carry the most frequent label and 100 have none."));
    }

    @Test
    void aComparisonThatIsNotRealIsNeverCalledBetter() {
        String md = Narrative.write(ReportFixtures.real());
        String dense = bullet(md, "- **dense / dense**");
        assertTrue(dense.contains("PubMedQA accuracy 58.0% is indistinguishable from always 'yes'"), dense);
        assertTrue(dense.contains("HoC micro-F1 31.0% beats all ten labels (+5.0 points [+1.0, +9.0])"), dense);
        String pair = bullet(md, "- 75% / dense ");
        // macro-F1's interval excludes 0 but the comparison is marked not real: still indistinguishable
        assertTrue(pair.startsWith("- 75% / dense is indistinguishable from dense / dense on PubMedQA accuracy (+3.0 points [-1.0, +7.0]) "
                + "and PubMedQA macro-F1 (+2.0 points [+0.5, +4.0]); is worse than it on HoC micro-F1 (-31.0 points [-35.0, -27.0])."), pair);
        assertFalse(pair.contains("beats"), pair);
        assertTrue(md.contains("- Of the 3 sparse-against-dense (same fine-tuning) comparisons, 0 favour sparse pre-training, 1 favour dense "
                + "and 2 are indistinguishable."), md);
    }

    @Test
    void verdictsFollowTheRealMarkAndTheInterval() {
        assertEquals(DownstreamNarrative.Verdict.BEATS, DownstreamNarrative.verdict(cmp("a", "b", "m", 0.1, 0.05, 0.2, true)));
        assertEquals(DownstreamNarrative.Verdict.SAME, DownstreamNarrative.verdict(cmp("a", "b", "m", 0.1, 0.05, 0.2, false)));
        assertEquals(DownstreamNarrative.Verdict.SAME, DownstreamNarrative.verdict(cmp("a", "b", "m", 0.1, -0.05, 0.2, true)));
        assertEquals(DownstreamNarrative.Verdict.WORSE, DownstreamNarrative.verdict(obj("difference", obj("estimate", -0.1, "low", -0.2, "high", -0.01))));
        assertEquals(DownstreamNarrative.Verdict.SAME, DownstreamNarrative.verdict(obj()));
    }

    @Test
    void theTestSizeResolutionIsTheMedianIntervalHalfWidth() {
        String md = Narrative.write(ReportFixtures.real());
        String line = bullet(md, "- What the test sets can resolve");
        // dense/dense: [53, 63] -> 5.0; 75%/dense: [56, 66] -> 5.0; HoC 75% row: [0, 5] -> 2.5, dense [26, 36] -> 5.0: median 3.75, just below in binary
        assertTrue(line.contains("with 150 PubMedQA questions and 100 HoC abstracts evaluated, a row's 95% interval typically spans "
                + "±5.0 points on PubMedQA accuracy, ±5.0 points on PubMedQA macro-F1 and ±3.7 points on HoC micro-F1"), line);
        assertTrue(line.contains("seeded sample of 150 of the 500 PubMedQA test questions and 100 of the 315 HoC test abstracts"), line);
        assertTrue(md.contains("- The ± is the standard deviation over a row's runs (6 per row)"), md);
    }

    @Test
    void aNearConstantPubmedqaAnswerIsCalledOutAsTheMajorityAnswer() {
        Map<String, Object> r = ReportFixtures.real();
        @SuppressWarnings("unchecked")
        Map<String, Object> row = (Map<String, Object>) ((List<Object>) ((Map<String, Object>) r.get("downstream")).get("rows")).get(1);
        row.put("pubmedqa_predicted", obj("yes", 148L, "no", 2L, "maybe", 0L));
        String sparse = bullet(Narrative.write(r), "- **75% / dense**");
        assertTrue(sparse.contains("It answers 'yes' to 98.7% of the evaluated PubMedQA questions (first run), the majority baseline's answer"), sparse);
    }

    @Test
    void mixedInputsNameOnlyTheShippedFilesAsSynthetic() {
        Map<String, Object> r = ReportFixtures.real();
        @SuppressWarnings("unchecked")
        Map<String, Object> in = (Map<String, Object>) r.get("inputs");
        in.put("kind", "mixed");
        in.put("hoc", List.of(obj("path", "corpus-samples/hoc/test.tsv", "bytes", 1000L, "sha256", "ab", "shipped_sample", true)));
        String line = bullet(Narrative.write(r), "- The inputs");
        assertTrue(line.contains("mix your files (corpus `/data/pubmed.txt` (2.5 MB); PubMedQA `/data/pubmedqa/ori_pqal.json` (1.2 MB)) "
                + "with synthetic samples shipped with the project (HoC `corpus-samples/hoc/test.tsv` (1.0 kB))"), line);
    }

    @Test
    void missingSectionsAreSaidToBeMissingNotInvented() {
        String md = assertDoesNotThrow(() -> Narrative.write(Map.of()));
        assertTrue(md.contains("do not record which input files were used"), md);
        assertTrue(md.contains("do not record whether corpus documents overlapping the test sets"), md);
        assertFalse(md.toLowerCase().contains("synthetic"), md);
        Map<String, Object> overlap = ReportFixtures.real();
        overlap.put("corpus", obj("documents", 1000L, "excluded_test_documents", 0L, "allow_test_overlap", true));
        assertTrue(Narrative.write(overlap).contains("Overlap between the corpus and the PubMedQA/HoC test items was allowed"));
    }
}
