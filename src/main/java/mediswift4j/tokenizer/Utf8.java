package mediswift4j.tokenizer;

/**
 * UTF-8 encoding of Java strings for the tokenizer. A lone surrogate (a char that is not half of a valid pair,
 * which a Java String can hold but Unicode text cannot) is encoded as U+FFFD (EF BF BD), the same as Java's own
 * encoder does with a replacement; so decode(encode(s)) == s for every string without lone surrogates.
 */
final class Utf8 {
    private Utf8() {}

    static byte[] encode(CharSequence s) {
        int len = s.length();
        byte[] out = new byte[len * 3];
        int n = 0;
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                out[n++] = (byte) c;
            } else if (c < 0x800) {
                out[n++] = (byte) (0xC0 | (c >> 6));
                out[n++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                out[n++] = (byte) (0xF0 | (cp >> 18));
                out[n++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                out[n++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                out[n++] = (byte) (0x80 | (cp & 0x3F));
            } else {
                if (Character.isSurrogate(c)) c = '\uFFFD';
                out[n++] = (byte) (0xE0 | (c >> 12));
                out[n++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                out[n++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }
}
