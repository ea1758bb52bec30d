package mediswift4j.hoc;

import java.util.ArrayList;
import java.util.List;

import mediswift4j.util.InputException;

/**
 * The ten Hallmarks of Cancer labels in BLURB's order (alphabetical; label k is bit k of a label mask) and the two
 * ways files write a label set:
 * - flags: ten comma-separated `k_v` items, k = 0..9 in order, v = 0 or 1 (BLURB's TSV), e.g. "0_0,1_1,...,9_0";
 * - names: label names joined by `|` (e.g. "inducing angiogenesis|resisting cell death"), "none" or "" for none.
 * A label set is an int mask with bits 0..9.
 */
public final class HocLabels {
    private HocLabels() {}

    public static final List<String> NAMES = List.of(
            "activating invasion and metastasis",
            "avoiding immune destruction",
            "cellular energetics",
            "enabling replicative immortality",
            "evading growth suppressors",
            "genomic instability and mutation",
            "inducing angiogenesis",
            "resisting cell death",
            "sustaining proliferative signaling",
            "tumor promoting inflammation");

    public static final int COUNT = 10;
    public static final int ALL = (1 << COUNT) - 1;

    /** Parses BLURB's ten `k_v` flags (exactly ten, in order k = 0..9). */
    public static int parseFlags(String s, String where) {
        String[] items = s.trim().split(",", -1);
        if (items.length != COUNT) {
            throw new InputException(where + ": expected ten label flags k_v, found " + items.length + " in \"" + s + "\"");
        }
        int mask = 0;
        for (int k = 0; k < COUNT; k++) {
            String item = items[k].trim();
            if (item.equals(k + "_1")) mask |= 1 << k;
            else if (!item.equals(k + "_0")) {
                throw new InputException(where + ": label flag " + (k + 1) + " is \"" + item + "\", expected " + k
                        + "_0 or " + k + "_1");
            }
        }
        return mask;
    }

    /** BLURB's flag form of a mask: "0_v,1_v,...,9_v". */
    public static String formatFlags(int mask) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < COUNT; k++) {
            if (k > 0) sb.append(',');
            sb.append(k).append('_').append((mask >> k) & 1);
        }
        return sb.toString();
    }

    /** The index of a label name (exact, lower case), or an InputException naming the unknown label. */
    public static int indexOf(String name, String where) {
        int k = NAMES.indexOf(name);
        if (k < 0) throw new InputException(where + ": unknown label \"" + name + "\" (expected one of " + NAMES + ")");
        return k;
    }

    /** Parses names joined by `|`; "none" or an empty string is the empty set. Surrounding spaces are ignored. */
    public static int parseNames(String s, String where) {
        String t = s.trim();
        if (t.isEmpty() || t.equals("none")) return 0;
        int mask = 0;
        for (String part : t.split("\\|", -1)) mask |= 1 << indexOf(part.trim(), where);
        return mask;
    }

    /** Either form: flags when the text starts with "0_", else names. */
    public static int parseEither(String s, String where) {
        return s.trim().startsWith("0_") ? parseFlags(s, where) : parseNames(s, where);
    }

    /** The names of a mask's labels, in label order. */
    public static List<String> names(int mask) {
        List<String> out = new ArrayList<>();
        for (int k = 0; k < COUNT; k++) if ((mask >> k & 1) != 0) out.add(NAMES.get(k));
        return out;
    }
}
