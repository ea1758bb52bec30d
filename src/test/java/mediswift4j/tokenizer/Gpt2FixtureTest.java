package mediswift4j.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import mediswift4j.io.Json;

/**
 * GPT-2's published files (encoder.json + vocab.bpe) must give exactly tiktoken's "gpt2" ids on every fixture text
 * (tools/gpt2_fixture.mjs), and decode back to the text.
 */
class Gpt2FixtureTest {
    static final Path DIR = Path.of("src/test/resources/tokenizer/gpt2");

    static BpeTokenizer gpt2() {
        return BpeTokenizer.load(DIR);
    }

    @Test
    void encodesLikeTiktoken() {
        BpeTokenizer tok = gpt2();
        assertEquals(50257, tok.vocabSize());
        assertEquals(50256, tok.endOfTextId());
        assertEquals(Map.of("<|endoftext|>", 50256), tok.specialTokens());
        List<Object> cases = Json.asArray(Json.read(DIR.resolve("fixture.json")), "fixture");
        int n = 0;
        for (Object c : cases) {
            Map<String, Object> m = Json.asObject(c, "case");
            String text = (String) m.get("text");
            List<Object> idList = Json.asArray(m.get("ids"), "ids");
            int[] want = idList.stream().mapToInt(o -> ((Long) o).intValue()).toArray();
            assertArrayEquals(want, tok.encode(text), () -> "text: " + Json.write(text));
            assertEquals(text, tok.decode(want), () -> "decode of: " + Json.write(text));
            n++;
        }
        assertEquals(202, n);
    }

    @Test
    void specialTokensOnlyWhereAllowed() {
        BpeTokenizer tok = gpt2();
        String text = "a<|endoftext|>b";
        int[] plain = tok.encode(text);
        int[] special = tok.encode(text, Set.of("<|endoftext|>"));
        assertArrayEquals(new int[] {64, 50256, 65}, special);
        assertEquals(true, plain.length > 3);
        for (int id : plain) assertEquals(true, id != 50256);
        assertEquals(text, tok.decode(plain));
        assertEquals(text, tok.decode(special));
    }
}
