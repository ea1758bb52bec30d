package mediswift4j.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The reference pre-tokenizer: GPT-2's splitting rule written as one Java regex. {@link Pretokenizer} is the fast
 * hand-written twin; tests check that both cut every string at the same places.
 *
 * GPT-2's pattern (Python `regex` / Rust `fancy-regex` syntax):
 *     's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
 * Two Java traps: plain \s in Java is ASCII-only [ \t\n\x0B\f\r], while the reference engines mean the Unicode
 * White_Space property (which adds U+0085, U+00A0, U+1680, U+2000..U+200A, U+2028, U+2029, U+202F, U+205F, U+3000);
 * so \s is written as \p{IsWhite_Space} below. \p{L} and \p{N} are Unicode general categories in both, but Java
 * follows the Unicode version of the JDK (13.0 for Java 17) and tiktoken 16.0, so the letters and numbers added
 * since are listed explicitly ({@link UnicodeExtras}). Contractions are lower-case only, as in GPT-2:
 * "DON'T" splits as "DON", "'", "T".
 */
public final class PretokenizerRegex {
    private PretokenizerRegex() {}

    static final String WS = "\\p{IsWhite_Space}";
    static final String L = "\\p{L}" + UnicodeExtras.regexClass(UnicodeExtras.LETTERS);
    static final String N = "\\p{N}" + UnicodeExtras.regexClass(UnicodeExtras.NUMBERS);
    static final Pattern GPT2 = Pattern.compile(
            "'s|'t|'re|'ve|'m|'ll|'d"
                    + "| ?[" + L + "]+"
                    + "| ?[" + N + "]+"
                    + "| ?[^" + WS + L + N + "]+"
                    + "|" + WS + "+(?!" + "[^" + WS + "])"
                    + "|" + WS + "+");

    /** The pre-tokens of `text`, in order; they concatenate back to `text`. */
    public static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = GPT2.matcher(text);
        int end = 0;
        while (m.find()) {
            if (m.start() != end) throw new IllegalStateException("pattern skipped text at " + end);
            out.add(m.group());
            end = m.end();
        }
        if (end != text.length()) throw new IllegalStateException("pattern left text at " + end);
        return out;
    }
}
