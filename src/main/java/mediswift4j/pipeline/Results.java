package mediswift4j.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Read-only access to the reproduction's results map (the JSON-like tree of Map, List, Number, String, Boolean
 * and null that results.json holds), and the number formats of the report.
 *
 * Every accessor is forgiving: a missing key, a null or a value of the wrong kind reads as an empty map, an empty
 * list, NaN or null, so a report can be written from a partial or older results map. Scores are fractions in
 * [0, 1] and are printed as percentages with one decimal; NaN prints as "n/a".
 */
final class Results {
    private Results() {}

    // ---------------------------------------------------------------- access

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object parent, String key) {
        Object v = get(parent, key);
        return v instanceof Map ? (Map<String, Object>) v : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object parent, String key) {
        Object v = get(parent, key);
        return v instanceof List ? (List<Object>) v : List.of();
    }

    /** The elements of a list that are objects (others are skipped). */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> maps(Object parent, String key) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : list(parent, key)) if (o instanceof Map) out.add((Map<String, Object>) o);
        return out;
    }

    static double num(Object parent, String key) {
        return get(parent, key) instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    static String str(Object parent, String key) {
        Object v = get(parent, key);
        return v == null ? null : v instanceof Double d ? number(d) : v.toString();
    }

    static boolean flag(Object parent, String key) {
        return Boolean.TRUE.equals(get(parent, key));
    }

    static Object get(Object parent, String key) {
        return parent instanceof Map<?, ?> m ? m.get(key) : null;
    }

    // ---------------------------------------------------------------- formats

    /** A score (fraction) as a percentage with one decimal and no sign, e.g. "58.0"; NaN is "n/a". */
    static String pct(double fraction) {
        return Double.isFinite(fraction) ? String.format(Locale.ROOT, "%.1f", 100 * fraction) : "n/a";
    }

    /** A difference of scores in percentage points with its sign, e.g. "+6.0". */
    static String points(double fraction) {
        return Double.isFinite(fraction) ? String.format(Locale.ROOT, "%+.1f", 100 * fraction) : "n/a";
    }

    /** A score summary {mean, std, low, high} as "mean ± std [low, high]" in percent. */
    static String scoreCell(Map<String, Object> s) {
        if (s.isEmpty()) return "n/a";
        return pct(num(s, "mean")) + " ± " + pct(num(s, "std")) + " [" + pct(num(s, "low")) + ", " + pct(num(s, "high")) + "]";
    }

    /** An interval {estimate, low, high} of a difference as "+6.0 points [1.2, 10.8]". */
    static String difference(Map<String, Object> d) {
        return points(num(d, "estimate")) + " points [" + points(num(d, "low")) + ", " + points(num(d, "high")) + "]";
    }

    static String fixed(double v, int decimals) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + decimals + "f", v) : "n/a";
    }

    /** A ratio as "1.80x"; NaN is "n/a". */
    static String times(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.2fx", v) : "n/a";
    }

    /** A number as written in the plan: integers without a decimal point, others in short form; null is "n/a". */
    static String number(Object v) {
        if (!(v instanceof Number n)) return v == null ? "n/a" : v.toString();
        double d = n.doubleValue();
        if (!Double.isFinite(d)) return "n/a";
        if (d == Math.rint(d) && Math.abs(d) < 1e15) return String.format(Locale.ROOT, "%d", (long) d);
        return String.format(Locale.ROOT, "%.4g", d).replaceAll("(\\.\\d*?)0+(e|$)", "$1$2").replaceAll("\\.(e|$)", "$1");
    }

    /** A count with thousands separators, e.g. "1,234,567"; NaN is "n/a". */
    static String count(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%,d", Math.round(v)) : "n/a";
    }

    /** A byte count in B, kB, MB or GB. */
    static String bytes(double b) {
        if (!Double.isFinite(b)) return "n/a";
        if (b < 1e3) return String.format(Locale.ROOT, "%.0f B", b);
        if (b < 1e6) return String.format(Locale.ROOT, "%.1f kB", b / 1e3);
        if (b < 1e9) return String.format(Locale.ROOT, "%.1f MB", b / 1e6);
        return String.format(Locale.ROOT, "%.2f GB", b / 1e9);
    }

    /** Joins as "a", "a and b", "a, b and c". */
    static String and(List<String> items) {
        if (items.isEmpty()) return "";
        if (items.size() == 1) return items.get(0);
        return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
    }

    /** The name of a score: "PubMedQA accuracy", "PubMedQA macro-F1", "HoC micro-F1" (or the key as given). */
    static String metricName(String key) {
        if (key == null) return "?";
        return switch (key) {
            case "pubmedqa_accuracy" -> "PubMedQA accuracy";
            case "pubmedqa_macro_f1" -> "PubMedQA macro-F1";
            case "hoc_micro_f1" -> "HoC micro-F1";
            case "accuracy" -> "accuracy";
            case "macro_f1" -> "macro-F1";
            case "micro_f1" -> "micro-F1";
            default -> key;
        };
    }

    // ---------------------------------------------------------------- sanitizing

    /**
     * A deep copy that JSON can hold and that reads back equal: non-finite numbers become null, integers become
     * Long, floats Double, primitive arrays lists, map keys strings.
     */
    static Object sanitize(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (var e : m.entrySet()) out.put(String.valueOf(e.getKey()), sanitize(e.getValue()));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object x : l) out.add(sanitize(x));
            return out;
        }
        if (v instanceof double[] a) return sanitize(java.util.Arrays.stream(a).boxed().toList());
        if (v instanceof long[] a) return sanitize(java.util.Arrays.stream(a).boxed().toList());
        if (v instanceof int[] a) return sanitize(java.util.Arrays.stream(a).boxed().toList());
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            return Double.isFinite(d) ? (Object) d : null;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) return ((Number) v).longValue();
        return v;
    }
}
