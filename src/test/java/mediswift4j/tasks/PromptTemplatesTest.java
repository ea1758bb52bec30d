package mediswift4j.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The prompt templates of SPEC.md section 12, character for character. */
class PromptTemplatesTest {
    static PubmedqaRecord record(PubmedqaLabel label) {
        return new PubmedqaRecord("123", " Does X cause Y?\n", List.of("Background text. ", "\tMethods:\n  more"),
                List.of("BACKGROUND", "METHODS"), " X causes Y.  ", label, "yes", "no", Map.of());
    }

    @Test
    void pubmedqaReasoningRequired() {
        PubmedqaRecord r = record(PubmedqaLabel.MAYBE);
        assertEquals("question: Does X cause Y? context: Background text. Methods: more answer:",
                PubmedqaPrompt.prompt(r, PubmedqaPrompt.Setting.REASONING_REQUIRED));
        assertEquals("question: Does X cause Y? context: Background text. Methods: more answer:"
                        + " the answer to the question given the context is maybe.",
                PubmedqaPrompt.trainingText(r, PubmedqaPrompt.Setting.REASONING_REQUIRED));
        assertEquals(List.of(" the answer to the question given the context is yes.",
                " the answer to the question given the context is no.",
                " the answer to the question given the context is maybe."), PubmedqaPrompt.candidates());
    }

    @Test
    void pubmedqaReasoningFreeUsesTheLongAnswerOnly() {
        assertEquals("question: Does X cause Y? context: X causes Y. answer:",
                PubmedqaPrompt.prompt(record(PubmedqaLabel.YES), PubmedqaPrompt.Setting.REASONING_FREE));
    }

    @Test
    void pubmedqaParseAnswer() {
        for (PubmedqaLabel l : PubmedqaLabel.values()) assertEquals(l, PubmedqaPrompt.parseAnswer(PubmedqaPrompt.candidate(l)));
        assertEquals(PubmedqaLabel.NO, PubmedqaPrompt.parseAnswer(" The answer to the question given the context is No."));
        assertEquals(PubmedqaLabel.YES, PubmedqaPrompt.parseAnswer("yes, clearly"));
        assertNull(PubmedqaPrompt.parseAnswer(" unclear"));
    }

    @Test
    void hocTemplate() {
        HocSentence s = new HocSentence("9_s0", "9", 0, "VEGF  drives vessel growth . ", (1 << 6) | (1 << 8));
        assertEquals("sentence: VEGF drives vessel growth . hallmarks: inducing angiogenesis; sustaining proliferative signaling",
                HocPrompt.trainingText(s));
        assertEquals(" none", HocPrompt.target(0));
        assertEquals(0, HocPrompt.parseTarget(" none"));
        assertEquals(1 << 7, HocPrompt.parseTarget(" resisting cell death; made-up label"));
    }
}
