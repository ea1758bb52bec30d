package mediswift4j.hoc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The HoC prompt template of SPEC.md section 12, character for character, and its lenient reader. */
class HocPromptTest {
    @Test
    void hocTemplate() {
        HocSentence s = new HocSentence("9_s0", "9", 0, "VEGF  drives vessel growth . ", (1 << 6) | (1 << 8));
        assertEquals("sentence: VEGF drives vessel growth . hallmarks: inducing angiogenesis; sustaining proliferative signaling",
                String.join("", HocPrompt.promptPieces(s.text())) + HocPrompt.target(s.labels()));
        assertEquals(" none", HocPrompt.target(0));
        assertEquals(0, HocPrompt.parseTarget(" none"));
        assertEquals(1 << 7, HocPrompt.parseTarget(" resisting cell death; made-up label"));
    }
}
