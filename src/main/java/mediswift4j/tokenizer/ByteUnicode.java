package mediswift4j.tokenizer;

/**
 * GPT-2's reversible map between the 256 byte values and 256 printable Unicode characters, used only to write
 * token byte strings as text in vocab.json and merges.txt (so that a space byte shows as 'Ġ' and the files never
 * hold raw control characters or broken UTF-8).
 *
 * Rule: the bytes '!'..'~' (33..126), '¡'..'¬' (161..172) and '®'..'ÿ' (174..255) map to the character with the
 * same code; the remaining 68 bytes (0..32, 127..160, 173), in increasing order, map to U+0100, U+0101, ...
 * The same order, printable bytes first, gives the ids 0..255 of the base byte tokens in GPT-2's vocabulary, and
 * in ours.
 */
public final class ByteUnicode {
    private ByteUnicode() {}

    private static final char[] BYTE_TO_CHAR = new char[256];
    private static final int[] CHAR_TO_BYTE = new int[512];
    /** BYTE_ORDER[i] is the byte whose base token has id i (GPT-2's order). */
    private static final int[] BYTE_ORDER = new int[256];
    private static final int[] BASE_ID = new int[256];

    static {
        java.util.Arrays.fill(CHAR_TO_BYTE, -1);
        int next = 0;
        for (int b = 0; b < 256; b++) {
            if (isPrintable(b)) {
                BYTE_TO_CHAR[b] = (char) b;
                BYTE_ORDER[next++] = b;
            }
        }
        int extra = 0;
        for (int b = 0; b < 256; b++) {
            if (!isPrintable(b)) {
                BYTE_TO_CHAR[b] = (char) (256 + extra++);
                BYTE_ORDER[next++] = b;
            }
        }
        for (int b = 0; b < 256; b++) CHAR_TO_BYTE[BYTE_TO_CHAR[b]] = b;
        for (int i = 0; i < 256; i++) BASE_ID[BYTE_ORDER[i]] = i;
    }

    private static boolean isPrintable(int b) {
        return (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
    }

    public static char charOf(int b) {
        return BYTE_TO_CHAR[b & 0xFF];
    }

    /** The byte a character stands for, or -1 when it is not one of the 256 mapped characters. */
    public static int byteOf(char c) {
        return c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
    }

    /** The byte of the base token with id i (0 <= i < 256) in GPT-2's order. */
    public static int byteOfBaseId(int i) {
        return BYTE_ORDER[i];
    }

    /** Id of the base token of byte b in GPT-2's order (inverse of byteOfBaseId). */
    public static int baseIdOfByte(int b) {
        return BASE_ID[b & 0xFF];
    }

    /** Token bytes as vocab.json / merges.txt text. */
    public static String encode(byte[] bytes) {
        char[] out = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) out[i] = BYTE_TO_CHAR[bytes[i] & 0xFF];
        return new String(out);
    }

    /** vocab.json / merges.txt text back to bytes, or null when a character is not a mapped one. */
    public static byte[] decode(String s) {
        byte[] out = new byte[s.length()];
        for (int i = 0; i < s.length(); i++) {
            int b = byteOf(s.charAt(i));
            if (b < 0) return null;
            out[i] = (byte) b;
        }
        return out;
    }
}
