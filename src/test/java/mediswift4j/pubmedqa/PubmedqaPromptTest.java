package mediswift4j.pubmedqa;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The PubMedQA prompt template of SPEC.md section 12, character for character. */
class PubmedqaPromptTest {
    static PubmedqaRecord record(PubmedqaLabel label) {
        return new PubmedqaRecord("123", " Does X cause Y?\n", List.of("Background text. ", "\tMethods:\n  more"),
                List.of("BACKGROUND", "METHODS"), " X causes Y.  ", label, "yes", "no", Map.of());
    }

    static String prompt(PubmedqaRecord r, PubmedqaPrompt.Setting setting) {
        return String.join("", PubmedqaPrompt.promptPieces(r, setting));
    }

    @Test
    void pubmedqaReasoningRequired() {
        PubmedqaRecord r = record(PubmedqaLabel.MAYBE);
        assertEquals(List.of("question: Does X cause Y? context:", " Background text. Methods: more", " answer:"),
                PubmedqaPrompt.promptPieces(r, PubmedqaPrompt.Setting.REASONING_REQUIRED));
        assertEquals("question: Does X cause Y? context: Background text. Methods: more answer:"
                        + " the answer to the question given the context is maybe.",
                prompt(r, PubmedqaPrompt.Setting.REASONING_REQUIRED) + PubmedqaPrompt.candidate(r.label()));
        assertEquals(" the answer to the question given the context is yes.", PubmedqaPrompt.candidate(PubmedqaLabel.YES));
        assertEquals(" the answer to the question given the context is no.", PubmedqaPrompt.candidate(PubmedqaLabel.NO));
    }

    @Test
    void pubmedqaReasoningFreeUsesTheLongAnswerOnly() {
        assertEquals("question: Does X cause Y? context: X causes Y. answer:",
                prompt(record(PubmedqaLabel.YES), PubmedqaPrompt.Setting.REASONING_FREE));
    }
}
