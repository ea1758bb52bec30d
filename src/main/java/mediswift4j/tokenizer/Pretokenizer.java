package mediswift4j.tokenizer;

/**
 * GPT-2's pre-tokenization rule as a hand-written scanner (an order of magnitude faster than the regex; the regex
 * twin is {@link PretokenizerRegex}, and tests check that both agree on arbitrary strings).
 *
 * Text is cut into pre-tokens; BPE never merges across a cut. Alternatives are tried in this order at each
 * position, the first that matches wins (as in the regex):
 *   1. a contraction: 's 't 're 've 'm 'll 'd (lower case only)
 *   2. an optional ' ' (U+0020) then one or more letters (\p{L}, Unicode 16.0 as in tiktoken: Java's tables
 *      plus {@link UnicodeExtras})
 *   3. an optional ' ' then one or more numbers (\p{N})
 *   4. an optional ' ' then one or more "other" characters (neither White_Space nor letter nor number)
 *   5. a run of White_Space that is followed by the end of text or by more White_Space; in practice: a run of
 *      whitespace of length k followed by a non-space gives its first k-1 characters here, so that the last one
 *      (if it is a ' ') can prefix the next word
 *   6. a single run of White_Space (the k = 1 case of 5)
 * Lone surrogates count as "other", like any unassigned or private-use code point.
 */
public final class Pretokenizer {
    private Pretokenizer() {}

    static final int LETTER = 0, NUMBER = 1, SPACE = 2, OTHER = 3;
    private static final byte[] ASCII = new byte[128];

    static {
        for (int c = 0; c < 128; c++) ASCII[c] = (byte) classifySlow(c);
    }

    /** The class of a code point: LETTER, NUMBER, SPACE (Unicode White_Space) or OTHER. */
    static int classOf(int cp) {
        return cp < 128 ? ASCII[cp] : classifySlow(cp);
    }

    private static int classifySlow(int cp) {
        if (isWhiteSpace(cp)) return SPACE;
        switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER: case Character.LOWERCASE_LETTER: case Character.TITLECASE_LETTER:
            case Character.MODIFIER_LETTER: case Character.OTHER_LETTER:
                return LETTER;
            case Character.DECIMAL_DIGIT_NUMBER: case Character.LETTER_NUMBER: case Character.OTHER_NUMBER:
                return NUMBER;
            default:
                // code points that became letters or numbers after Java 17's Unicode 13.0 (see UnicodeExtras)
                if (cp >= 0x870 && UnicodeExtras.in(UnicodeExtras.LETTERS, cp)) return LETTER;
                if (cp >= 0x870 && UnicodeExtras.in(UnicodeExtras.NUMBERS, cp)) return NUMBER;
                return OTHER;
        }
    }

    /** The Unicode White_Space property (what \s means in the reference engines; not Java's isWhitespace). */
    static boolean isWhiteSpace(int cp) {
        return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680
                || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F
                || cp == 0x3000;
    }

    /** End (exclusive) of the pre-token that starts at `pos` (pos < end). */
    public static int next(CharSequence s, int pos, int end) {
        char c = s.charAt(pos);
        // 1. contractions
        if (c == '\'' && pos + 1 < end) {
            char d = s.charAt(pos + 1);
            if (d == 's' || d == 't' || d == 'm' || d == 'd') return pos + 2;
            if (pos + 2 < end) {
                char e = s.charAt(pos + 2);
                if ((d == 'r' && e == 'e') || (d == 'v' && e == 'e') || (d == 'l' && e == 'l')) return pos + 3;
            }
        }
        int start = pos;
        int cp = Character.codePointAt(s, pos);
        int cls = classOf(cp);
        if (c == ' ' && pos + 1 < end) {
            // rules 2-4 with the optional leading space
            int cp2 = Character.codePointAt(s, pos + 1);
            int cls2 = classOf(cp2);
            if (cls2 != SPACE) return runOf(s, pos + 1, end, cls2);
        }
        if (cls != SPACE) return runOf(s, start, end, cls);
        // rules 5 and 6: a whitespace run [pos, j)
        int j = pos;
        int lastStart = pos;
        while (j < end) {
            int q = Character.codePointAt(s, j);
            if (!isWhiteSpace(q)) break;
            lastStart = j;
            j += Character.charCount(q);
        }
        if (j == end || lastStart == start) return j; // at end of text, or a single whitespace character
        return lastStart;                               // leave the last whitespace character for the next token
    }

    /** End of the run of characters of class `cls` starting at pos. */
    private static int runOf(CharSequence s, int pos, int end, int cls) {
        int j = pos;
        while (j < end) {
            char ch = s.charAt(j);
            if (ch < 128) {
                if (ASCII[ch] != cls) break;
                j++;
            } else {
                int q = Character.codePointAt(s, j);
                if (classifySlow(q) != cls) break;
                j += Character.charCount(q);
            }
        }
        return j;
    }

    /** All pre-tokens of a string (convenience for tests and training). */
    public static java.util.List<String> split(String text) {
        java.util.List<String> out = new java.util.ArrayList<>();
        int pos = 0;
        while (pos < text.length()) {
            int e = next(text, pos, text.length());
            out.add(text.substring(pos, e));
            pos = e;
        }
        return out;
    }
}
