package mediswift4j.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The hand-written pre-tokenizer must cut exactly where GPT-2's regex does. */
class PretokenizerTest {
    @Provide
    Arbitrary<String> texts() {
        return TextArbitraries.javaStrings();
    }

    @Property(tries = 2000)
    void scannerEqualsRegex(@ForAll("texts") String s) {
        assertEquals(PretokenizerRegex.split(s), Pretokenizer.split(s));
    }

    @Example
    void gpt2Examples() {
        assertEquals(List.of("Hello", ",", " world", "!"), Pretokenizer.split("Hello, world!"));
        assertEquals(List.of("I", "'m", " DON", "'", "T"), Pretokenizer.split("I'm DON'T"));
        assertEquals(List.of("a", "  ", " b", "\t", "\t", "c", "\n\n"), Pretokenizer.split("a   b\t\tc\n\n"));
        assertEquals(List.of("x", "\u00a0", "y", " 123", " α", "²"), Pretokenizer.split("x\u00a0y 123 α²"));
        assertEquals(List.of("  ", "\u3000", "z"), Pretokenizer.split("  \u3000z"));
    }
}
