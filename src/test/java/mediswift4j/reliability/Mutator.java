package mediswift4j.reliability;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import mediswift4j.util.Rng;

/**
 * Seeded mutations of a valid input, for fuzzing the loaders. Each mutant applies 1 to 4 of:
 *   bit flip, byte overwrite (interesting values 0x00 0xFF 0x7F 0x80 and structural ASCII), byte insertion,
 *   deletion of a range, truncation, splicing (a range copied over or into another place), duplication of a
 *   range, a little-endian 32- or 64-bit length field at a random (or a given) offset set to a huge or negative
 *   value, and, for text, a run of digits replaced by a huge number or a negative one.
 * The same (seed bytes, rng state) always gives the same mutant; {@link #describe} says what was done.
 */
final class Mutator {
    private final byte[] seed;
    /** Offsets of known binary length/count fields (may be empty): corrupted more often than random offsets. */
    private final int[] lengthFields;
    private final List<String> log = new ArrayList<>();

    private static final byte[] INTERESTING = {0, (byte) 0xFF, 0x7F, (byte) 0x80, '{', '}', '[', ']', '"', '\\', ',', ':',
            '\n', '\r', '\t', ' ', '<', '>', '/', '&', '_', '0', '9', '-', '.', 'e', (byte) 0xC3, (byte) 0xE2};
    private static final String[] HUGE_NUMBERS = {"99999999999", "2147483648", "4294967297", "-1", "-2147483649", "1e308",
            "9223372036854775807", "18446744073709551616", "0", "1000000000", "1.5", "65537"};

    Mutator(byte[] seed, int... lengthFields) {
        this.seed = seed;
        this.lengthFields = lengthFields;
    }

    String describe() {
        return String.join(", ", log);
    }

    byte[] mutate(Rng rng) {
        log.clear();
        byte[] b = seed.clone();
        int count = 1 + rng.nextInt(4);
        for (int i = 0; i < count; i++) b = once(b, rng);
        return b;
    }

    private byte[] once(byte[] b, Rng rng) {
        int n = b.length;
        int kind = rng.nextInt(11);
        if (n == 0) kind = 2;
        switch (kind) {
            case 0: { // bit flip
                int at = rng.nextInt(n), bit = rng.nextInt(8);
                b[at] ^= (byte) (1 << bit);
                log.add("flip bit " + bit + " at " + at);
                return b;
            }
            case 1: { // overwrite with an interesting byte
                int at = rng.nextInt(n);
                b[at] = INTERESTING[rng.nextInt(INTERESTING.length)];
                log.add("set byte " + at + " to " + (b[at] & 0xFF));
                return b;
            }
            case 2: { // insert 1..8 bytes
                int at = rng.nextInt(n + 1), len = 1 + rng.nextInt(8);
                byte[] ins = new byte[len];
                for (int i = 0; i < len; i++) ins[i] = rng.nextInt(2) == 0 ? INTERESTING[rng.nextInt(INTERESTING.length)] : (byte) rng.nextInt(256);
                log.add("insert " + len + " bytes at " + at);
                return splice(b, at, at, ins);
            }
            case 3: { // delete a range
                int at = rng.nextInt(n), len = 1 + rng.nextInt(Math.min(16, n - at));
                log.add("delete " + len + " bytes at " + at);
                return splice(b, at, at + len, new byte[0]);
            }
            case 4: { // truncate
                int len = rng.nextInt(n);
                log.add("truncate to " + len);
                return java.util.Arrays.copyOf(b, len);
            }
            case 5: { // splice: copy a range over another place
                int from = rng.nextInt(n), len = 1 + rng.nextInt(Math.min(32, n - from)), to = rng.nextInt(n);
                byte[] part = java.util.Arrays.copyOfRange(b, from, from + len);
                log.add("copy " + len + " bytes from " + from + " over " + to);
                return splice(b, to, Math.min(n, to + len), part);
            }
            case 6: { // duplicate a range in place
                int from = rng.nextInt(n), len = 1 + rng.nextInt(Math.min(64, n - from));
                byte[] part = java.util.Arrays.copyOfRange(b, from, from + len);
                log.add("duplicate " + len + " bytes at " + from);
                return splice(b, from, from, part);
            }
            case 7:
            case 8: { // a binary length field set to a huge, negative or off-by-one value
                if (n < 4) return b;
                int at = lengthFields.length > 0 && rng.nextInt(3) > 0 ? lengthFields[rng.nextInt(lengthFields.length)] : rng.nextInt(n - 3);
                if (at + 4 > n) at = rng.nextInt(n - 3); // the file was cut before the field
                boolean wide = at + 8 <= n && rng.nextInt(2) == 0;
                ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
                long v;
                switch (rng.nextInt(6)) {
                    case 0: v = 0xFFFFFFFFL; break;
                    case 1: v = 0x7FFFFFFFL; break;
                    case 2: v = 1L << 31; break;
                    case 3: v = -1L; break;
                    case 4: v = 1L << (30 + rng.nextInt(33)); break;
                    default: v = (wide ? bb.getLong(at) : bb.getInt(at)) + (rng.nextInt(2) == 0 ? 1 : -1);
                }
                if (wide) bb.putLong(at, v);
                else bb.putInt(at, (int) v);
                log.add((wide ? "int64" : "int32") + " at " + at + " set to " + v);
                return b;
            }
            default: { // text: replace a run of digits with a huge or negative number
                List<int[]> runs = new ArrayList<>();
                for (int i = 0; i < n; ) {
                    if (b[i] >= '0' && b[i] <= '9') {
                        int j = i;
                        while (j < n && b[j] >= '0' && b[j] <= '9') j++;
                        runs.add(new int[] {i, j});
                        i = j;
                    } else i++;
                }
                if (runs.isEmpty()) {
                    int at = rng.nextInt(n);
                    b[at] = (byte) rng.nextInt(256);
                    log.add("random byte at " + at);
                    return b;
                }
                int[] r = runs.get(rng.nextInt(runs.size()));
                String num = HUGE_NUMBERS[rng.nextInt(HUGE_NUMBERS.length)];
                log.add("number at " + r[0] + " set to " + num);
                return splice(b, r[0], r[1], num.getBytes(StandardCharsets.US_ASCII));
            }
        }
    }

    private static byte[] splice(byte[] b, int from, int to, byte[] ins) {
        byte[] out = new byte[b.length - (to - from) + ins.length];
        System.arraycopy(b, 0, out, 0, from);
        System.arraycopy(ins, 0, out, from, ins.length);
        System.arraycopy(b, to, out, from + ins.length, b.length - to);
        return out;
    }
}
