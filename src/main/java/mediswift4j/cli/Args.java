package mediswift4j.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small command-line parser: positional words, `--name value`, `--name v1 v2 ...` (a list runs until the next
 * option), and bare `--flag`s. A command reads what it knows, then calls {@link #finish()}, which rejects any option
 * that nothing read, so a typo never passes silently.
 */
public final class Args {
    private final List<String> positional = new ArrayList<>();
    private final Map<String, List<String>> options = new LinkedHashMap<>();
    private final Map<String, Boolean> used = new LinkedHashMap<>();

    public Args(String[] argv) {
        String current = null;
        for (String word : argv) {
            if (word.startsWith("--") && word.length() > 2 && !isNegativeNumber(word)) {
                String name = word.substring(2);
                String value = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                if (options.containsKey(name)) throw new UsageException("option --" + name + " given twice");
                options.put(name, new ArrayList<>());
                used.put(name, false);
                if (value != null) {
                    options.get(name).add(value);
                    current = null;
                } else {
                    current = name;
                }
            } else if (current != null) {
                options.get(current).add(word);
            } else {
                positional.add(word);
            }
        }
    }

    private static boolean isNegativeNumber(String w) {
        return w.length() > 1 && w.charAt(0) == '-' && Character.isDigit(w.charAt(1));
    }

    /** Positional words (a sub-command, a path). Options' values are never positional. */
    public List<String> positional() {
        return positional;
    }

    public String positional(int i, String what) {
        if (i >= positional.size()) throw new UsageException("missing " + what);
        return positional.get(i);
    }

    public boolean has(String name) {
        if (options.containsKey(name)) used.put(name, true);
        return options.containsKey(name);
    }

    public boolean flag(String name) {
        if (!options.containsKey(name)) return false;
        used.put(name, true);
        if (!options.get(name).isEmpty()) throw new UsageException("--" + name + " takes no value");
        return true;
    }

    public List<String> list(String name) {
        if (!options.containsKey(name)) return List.of();
        used.put(name, true);
        List<String> out = new ArrayList<>();
        for (String v : options.get(name)) {
            for (String part : v.split(",")) if (!part.isEmpty()) out.add(part);
        }
        if (out.isEmpty()) throw new UsageException("--" + name + " needs a value");
        return out;
    }

    /** Every value after --name, not split at commas (for file paths). */
    public List<String> words(String name) {
        if (!options.containsKey(name)) return List.of();
        used.put(name, true);
        if (options.get(name).isEmpty()) throw new UsageException("--" + name + " needs a value");
        return options.get(name);
    }

    public String string(String name, String dflt) {
        if (!options.containsKey(name)) return dflt;
        used.put(name, true);
        List<String> v = options.get(name);
        if (v.size() != 1) throw new UsageException("--" + name + " takes exactly one value, got " + v.size());
        return v.get(0);
    }

    public String require(String name) {
        String v = string(name, null);
        if (v == null) throw new UsageException("missing required option --" + name);
        return v;
    }

    public int integer(String name, int dflt) {
        String v = string(name, null);
        if (v == null) return dflt;
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " expects an integer, got '" + v + "'");
        }
    }

    /**
     * An integer option in [lo, hi], or `dflt` when not given (dflt need not be in range: it may mean "not given").
     * A value outside the range is a usage error that names the range.
     */
    public int integer(String name, int dflt, int lo, int hi) {
        if (!options.containsKey(name)) {
            used.put(name, true);
            return dflt;
        }
        int v = integer(name, dflt);
        if (v < lo || v > hi) throw new UsageException("--" + name + " must be in [" + lo + ", " + hi + "], got " + v);
        return v;
    }

    /** Like {@link #integer(String, int, int, int)}, null when not given. */
    public Integer optionalInteger(String name, int lo, int hi) {
        return has(name) ? integer(name, 0, lo, hi) : null;
    }

    /** A number option in [lo, hi] (hiOpen: [lo, hi)), or `dflt` when not given; out of range is a usage error. */
    public double number(String name, double dflt, double lo, double hi, boolean hiOpen) {
        if (!options.containsKey(name)) {
            used.put(name, true);
            return dflt;
        }
        double v = number(name, dflt);
        if (v < lo || v > hi || (hiOpen && v == hi)) {
            throw new UsageException("--" + name + " must be in [" + fmt(lo) + ", " + fmt(hi) + (hiOpen ? ")" : "]")
                    + ", got " + fmt(v));
        }
        return v;
    }

    /** Like {@link #number(String, double, double, double, boolean)}, null when not given. */
    public Double optionalNumber(String name, double lo, double hi, boolean hiOpen) {
        return has(name) ? number(name, 0, lo, hi, hiOpen) : null;
    }

    /** The largest --threads any command accepts: four per available processor (more only costs memory). */
    public static int maxThreads() {
        return 4 * Runtime.getRuntime().availableProcessors();
    }

    /** --threads in [1, {@link #maxThreads()}], or dflt when not given. */
    public int threads(int dflt) {
        return integer("threads", dflt, 1, maxThreads());
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    public long longValue(String name, long dflt) {
        String v = string(name, null);
        if (v == null) return dflt;
        try {
            return (long) parseNumber(name, v);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " expects an integer, got '" + v + "'");
        }
    }

    public double number(String name, double dflt) {
        String v = string(name, null);
        return v == null ? dflt : parseNumber(name, v);
    }

    public List<Double> numbers(String name) {
        List<Double> out = new ArrayList<>();
        for (String v : list(name)) out.add(parseNumber(name, v));
        return out;
    }

    private static double parseNumber(String name, String v) {
        try {
            double d = Double.parseDouble(v);
            if (!Double.isFinite(d)) throw new NumberFormatException();
            return d;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " expects a number, got '" + v + "'");
        }
    }

    /**
     * A shape written as numbers joined by 'x' (e.g. "768x3072"): exactly `count` whole numbers, else a usage error
     * naming the option, the expected form and an example. Ranges are the caller's to check.
     */
    static int[] dimensions(String name, String value, int count, String form, String example) {
        String[] parts = value.toLowerCase().split("x", -1);
        int[] dims = new int[count];
        try {
            if (parts.length != count) throw new NumberFormatException();
            for (int i = 0; i < count; i++) dims[i] = Integer.parseInt(parts[i]);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " expects " + form + ", e.g. " + example + ", got '" + value + "'");
        }
        return dims;
    }

    /** Rejects every option no accessor asked for. Call after reading all options. */
    public void finish() {
        for (var e : used.entrySet()) {
            if (!e.getValue()) throw new UsageException("unknown option --" + e.getKey());
        }
    }
}
