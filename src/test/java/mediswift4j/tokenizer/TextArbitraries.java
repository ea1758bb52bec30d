package mediswift4j.tokenizer;

import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/** Generators of awkward text for tokenizer properties: every code point range, plus the characters that matter. */
final class TextArbitraries {
    private TextArbitraries() {}

    private static final List<String> PIECES = List.of(" ", "  ", "\t", "\n", "\r\n", "\u000b", "\u00a0", "\u0085",
            "\u3000", "\u2009", "\u001c", "'", "'s", "'S", "'ll", "'re", "'ve", "'d", "'t", "'m", "a", "Z", "é", "α",
            "中", "7", "42", "²", "½", "٣", "-", ".", "!", "\u0301", "\u200d", "😀", "🧬", "𝔸", "<|endoftext|>", "\u0000");

    /** Valid Unicode (no lone surrogates): any code point, often a piece from the list above. */
    static Arbitrary<String> unicode() {
        Arbitrary<String> anyCodePoint = Arbitraries.integers().between(0, 0x10FFFF)
                .filter(cp -> cp < 0xD800 || cp > 0xDFFF).map(Character::toString);
        Arbitrary<String> bmp = Arbitraries.integers().between(0, 0x2FFF).filter(cp -> cp < 0xD800).map(Character::toString);
        Arbitrary<String> ascii = Arbitraries.integers().between(0, 127).map(Character::toString);
        Arbitrary<String> piece = Arbitraries.of(PIECES);
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(3, piece), net.jqwik.api.Tuple.of(3, ascii),
                        net.jqwik.api.Tuple.of(2, bmp), net.jqwik.api.Tuple.of(1, anyCodePoint))
                .list().ofMinSize(0).ofMaxSize(40).map(l -> String.join("", l));
    }

    /** Like unicode() but may also hold lone surrogates (which Java strings allow). */
    static Arbitrary<String> javaStrings() {
        Arbitrary<String> lone = Arbitraries.of("\ud800", "\udfff", "\udbff", "\udc00");
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(5, unicode()), net.jqwik.api.Tuple.of(1, lone))
                .list().ofMaxSize(4).map(l -> String.join("", l));
    }
}
