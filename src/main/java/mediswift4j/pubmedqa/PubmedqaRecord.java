package mediswift4j.pubmedqa;

import java.util.List;
import java.util.Map;

/**
 * One PubMedQA item as published in ori_pqal.json (PQA-L), keyed by PMID.
 *
 * question = QUESTION, contexts = CONTEXTS (the abstract without its conclusion), sectionLabels = LABELS (one
 * heading per context), longAnswer = LONG_ANSWER (the conclusion), label = final_decision (the gold answer).
 * The annotator's own answers (reasoning_required_pred, reasoning_free_pred) are kept as written, or null when
 * absent. `raw` is the record's JSON object exactly as read, so split files can be written back unchanged.
 */
public record PubmedqaRecord(
        String pmid,
        String question,
        List<String> contexts,
        List<String> sectionLabels,
        String longAnswer,
        PubmedqaLabel label,
        String reasoningRequiredPred,
        String reasoningFreePred,
        Map<String, Object> raw) {
}
