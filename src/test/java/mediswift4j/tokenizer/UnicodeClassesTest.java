package mediswift4j.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * Our letter / number classes must equal tiktoken's on every code point from U+0080 up (the table was written by
 * tools/unicode_classes_tiktoken.mjs from tiktoken itself); whitespace and everything else count as "other" there.
 */
class UnicodeClassesTest {
    @Test
    void classesMatchTiktokenOnEveryCodePoint() throws IOException {
        char[] want = new char[0x110000];
        java.util.Arrays.fill(want, 'O');
        for (String line : Files.readAllLines(Path.of("src/test/resources/tokenizer/tiktoken-unicode-classes.txt"))) {
            if (line.isBlank()) continue;
            String[] f = line.split(" ");
            for (int cp = Integer.parseInt(f[1], 16); cp <= Integer.parseInt(f[2], 16); cp++) want[cp] = f[0].charAt(0);
        }
        int mismatches = 0;
        StringBuilder examples = new StringBuilder();
        for (int cp = 0x80; cp < 0x110000; cp++) {
            if (cp >= 0xD800 && cp <= 0xDFFF) continue;
            int c = Pretokenizer.classOf(cp);
            char got = c == Pretokenizer.LETTER ? 'L' : c == Pretokenizer.NUMBER ? 'N' : 'O';
            if (got != want[cp]) {
                if (mismatches++ < 10) examples.append(String.format(" U+%04X ours %c tiktoken %c;", cp, got, want[cp]));
            }
        }
        assertEquals(0, mismatches, examples.toString());
    }
}
