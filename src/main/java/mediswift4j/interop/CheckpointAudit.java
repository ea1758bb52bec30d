package mediswift4j.interop;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import mediswift4j.io.SafeTensors;
import mediswift4j.io.TensorEntry;
import mediswift4j.nn.Masks;

/**
 * Checks the invariants of a statically sparse GPT-2 checkpoint written by any implementation (the `verify`
 * command; SPEC.md section 14 lists the rules and the tensor naming).
 *
 * Tensors are classified by name: parameters (GPT-2 names, optional "transformer." prefix), masks "<param>.mask"
 * (U8 or BOOL, 1 keep / 0 masked), Adam moments "<param>.exp_avg" / "<param>.exp_avg_sq" or
 * "optimizer.<param>.exp_avg" / "optimizer.<param>.exp_avg_sq". With masks present ("masks" mode) a sparse
 * matrix's sparsity is its mask's zero fraction and masked weights must be exactly zero; without masks ("zeros"
 * mode) the sparsity is the weight's exact-zero fraction and the zeros stand in for the mask. Only the attention
 * and MLP projection matrices may be sparse; any other float tensor with more than `denseZeroLimit` zeros is a
 * violation (biases that are entirely zero are allowed: that is their initial value). Moments must be zero at
 * masked positions. The library returns a report; printing and exit codes are the CLI's business.
 */
public final class CheckpointAudit {
    private CheckpointAudit() {}

    public static final double DEFAULT_TOLERANCE = 0.01;
    public static final double DEFAULT_DENSE_ZERO_LIMIT = 0.01;

    /** One checked tensor (parameters only; masks and moments are folded into their parameter's row). */
    public static final class Row {
        public final String name;
        public final Gpt2Names.Kind kind;
        public final String dtype;
        public final long[] shape;
        public double zeroFraction = Double.NaN;
        /** Mask zero fraction (masks mode) or zero fraction (zeros mode) for sparse matrices; NaN for dense ones. */
        public double sparsity = Double.NaN;
        /** For c_attn.weight: sparsity of the Q, K and V thirds; null otherwise. */
        public double[] qkvSparsity;
        public long maskedNonzero;
        public final List<String> moments = new ArrayList<>();
        public final List<String> notes = new ArrayList<>();
        public boolean ok = true;

        Row(String name, Gpt2Names.Kind kind, TensorEntry t) {
            this.name = name;
            this.kind = kind;
            this.dtype = t.dtype().name();
            this.shape = t.shape();
        }
    }

    public static final class Report {
        public final String file;
        public final String mode;
        public final Double expectedSparsity;
        public final double tolerance;
        public final List<Row> rows = new ArrayList<>();
        public final List<String> violations = new ArrayList<>();
        public final List<String> ignored = new ArrayList<>();

        Report(String file, String mode, Double expectedSparsity, double tolerance) {
            this.file = file;
            this.mode = mode;
            this.expectedSparsity = expectedSparsity;
            this.tolerance = tolerance;
        }

        public boolean ok() {
            return violations.isEmpty();
        }

        void violation(Row row, String what) {
            if (row != null) row.ok = false;
            violations.add(what);
        }
    }

    private static final String[] MOMENT_SUFFIXES = {".exp_avg_sq", ".exp_avg"}; // longest first

    public static Report audit(String file, Map<String, TensorEntry> tensors, Double expectedSparsity, double tolerance, double denseZeroLimit) {
        return audit(file, tensors, null, expectedSparsity, tolerance, denseZeroLimit);
    }

    /** As above, with the file's metadata (may be null): its config, when present, fixes every shape (AuditShapes). */
    public static Report audit(String file, Map<String, TensorEntry> tensors, Map<String, String> metadata, Double expectedSparsity,
                               double tolerance, double denseZeroLimit) {
        Sorted t = sort(tensors);
        Report report = new Report(file, t.masks().isEmpty() ? "zeros" : "masks", expectedSparsity, tolerance);
        for (String d : t.duplicates()) report.violation(null, d + ": a second tensor with the same canonical name");
        for (var e : tensors.keySet()) {
            if (e.startsWith("optimizer.") && !endsWithMoment(e)) report.ignored.add(e + " (optimizer state other than Adam moments)");
        }
        boolean anySparse = false;
        for (var e : t.params().entrySet()) {
            String name = e.getKey();
            TensorEntry w = e.getValue();
            Gpt2Names.Kind kind = Gpt2Names.kind(name);
            if (kind == Gpt2Names.Kind.ATTN_BUFFER) {
                report.ignored.add(t.paramSource().get(name) + " (attention buffer, not a parameter)");
                continue;
            }
            if (!isFloat(w)) {
                if (kind == Gpt2Names.Kind.OTHER) {
                    report.ignored.add(t.paramSource().get(name) + " (" + w.dtype() + ", not a float parameter)");
                } else {
                    Row row = new Row(name, kind, w);
                    report.rows.add(row);
                    report.violation(row, name + ": parameter has dtype " + w.dtype() + ", expected a float type");
                }
                continue;
            }
            anySparse |= kind.sparsifiable;
            byte[] keep = checkParameter(report, name, kind, w, t.masks().remove(name), expectedSparsity, tolerance, denseZeroLimit);
            Map<String, TensorEntry> m = t.moments().remove(name);
            if (m != null) checkMoments(report, report.rows.get(report.rows.size() - 1), name, w, keep, m);
        }
        for (String orphan : t.masks().keySet()) report.violation(null, orphan + ".mask: mask of a parameter that is not in the file");
        for (String orphan : t.moments().keySet()) report.violation(null, orphan + ": optimizer moments of a parameter that is not in the file");
        if (!anySparse) report.violation(null, "no attention or MLP weight with a GPT-2 name (h.{i}.attn.c_attn.weight, ...) in the file");
        else AuditShapes.check(report, t.params(), metadata);
        return report;
    }

    /** A file's tensors by canonical parameter name: parameters, masks, Adam moments; names seen twice in duplicates. */
    private record Sorted(Map<String, TensorEntry> params, Map<String, String> paramSource, Map<String, TensorEntry> masks,
                          Map<String, Map<String, TensorEntry>> moments, List<String> duplicates) {}

    private static Sorted sort(Map<String, TensorEntry> tensors) {
        Map<String, String> paramSource = new LinkedHashMap<>();
        Map<String, TensorEntry> params = new LinkedHashMap<>();
        Map<String, TensorEntry> masks = new LinkedHashMap<>();
        Map<String, Map<String, TensorEntry>> moments = new LinkedHashMap<>();
        List<String> duplicates = new ArrayList<>();
        for (var e : tensors.entrySet()) {
            String n = e.getKey();
            boolean optimizer = n.startsWith("optimizer.");
            String base = Gpt2Names.canonical(optimizer ? n.substring("optimizer.".length()) : n);
            String suffix = null;
            for (String s : MOMENT_SUFFIXES) if (base.endsWith(s)) suffix = s;
            if (suffix != null) {
                String p = base.substring(0, base.length() - suffix.length());
                if (moments.computeIfAbsent(p, k -> new LinkedHashMap<>()).put(suffix.substring(1), e.getValue()) != null) duplicates.add(n);
            } else if (!optimizer && base.endsWith(".mask")) {
                if (masks.put(base.substring(0, base.length() - 5), e.getValue()) != null) duplicates.add(n);
            } else if (!optimizer) {
                if (params.put(base, e.getValue()) != null) duplicates.add(n);
                paramSource.put(base, n);
            }
        }
        return new Sorted(params, paramSource, masks, moments, duplicates);
    }

    /**
     * One float parameter's row: zeros, non-finite values, its mask, and then the rules of its kind (a sparse
     * matrix: masked entries zero, the sparsity as stated, QKV thirds alike; anything else: dense). Returns the
     * keep bits the checks used (null when the parameter has neither mask nor sparsity).
     */
    private static byte[] checkParameter(Report report, String name, Gpt2Names.Kind kind, TensorEntry w, TensorEntry mask,
                                         Double expectedSparsity, double tolerance, double denseZeroLimit) {
        Row row = new Row(name, kind, w);
        report.rows.add(row);
        long n = w.numel();
        long zeros = 0, nonFinite = 0;
        for (long i = 0; i < n; i++) {
            float x = at(w, i);
            if (x == 0f) zeros++;
            if (!Float.isFinite(x)) nonFinite++;
        }
        row.zeroFraction = n == 0 ? 0 : (double) zeros / n;
        if (nonFinite > 0) report.violation(row, name + ": " + nonFinite + " non-finite values");

        byte[] keep = null; // 1 keep, 0 masked; null when this parameter has no mask
        if (mask != null) keep = maskBits(report, row, name, mask, w);

        if (kind.sparsifiable) {
            if (report.mode.equals("masks") && mask == null) report.violation(row, name + ": sparse matrix without a mask (other matrices have masks)");
            if (keep == null && !report.mode.equals("masks")) {
                keep = new byte[Math.toIntExact(n)];
                for (int i = 0; i < keep.length; i++) keep[i] = (byte) (at(w, i) == 0f ? 0 : 1);
            }
            if (keep != null) {
                long masked = 0, nonzero = 0, first = -1;
                for (int i = 0; i < keep.length; i++) {
                    if (keep[i] != 0) continue;
                    masked++;
                    if (at(w, i) != 0f) {
                        nonzero++;
                        if (first < 0) first = i;
                    }
                }
                row.sparsity = n == 0 ? 0 : (double) masked / n;
                row.maskedNonzero = nonzero;
                if (nonzero > 0) report.violation(row, name + ": " + nonzero + " masked entries are not zero (first at flat index " + first + ")");
                checkSparsity(report, row, name, row.sparsity, expectedSparsity, tolerance);
                if (kind == Gpt2Names.Kind.ATTN_QKV_WEIGHT) qkvThirds(report, row, name, w, keep, expectedSparsity, tolerance);
            }
        } else {
            if (keep != null) {
                long masked = Masks.zeros(keep);
                if (masked > 0) report.violation(row, name + ": has a mask with " + masked + " masked entries, but " + kind + " must be dense");
            }
            boolean allZeroBias = kind.isBias() && zeros == n;
            if (allZeroBias) row.notes.add("all zero (the initial value of a bias)");
            else if (row.zeroFraction > denseZeroLimit) {
                report.violation(row, name + ": " + pct(row.zeroFraction) + " zeros, but " + kind + " must be dense (limit " + pct(denseZeroLimit) + ")");
            }
        }
        return keep;
    }

    private static boolean endsWithMoment(String n) {
        for (String s : MOMENT_SUFFIXES) if (n.endsWith(s)) return true;
        return false;
    }

    static boolean isFloat(TensorEntry t) {
        switch (t.dtype()) {
            case F32: case F16: case BF16: case F64: return true;
            default: return false;
        }
    }

    static float at(TensorEntry t, long i) {
        return t.dtype() == SafeTensors.DType.F32 ? t.floats()[(int) i] : (float) t.value(i);
    }

    /** The mask as 1 keep / 0 masked, or null (with a violation) when it is not a usable mask for `w`. */
    private static byte[] maskBits(Report report, Row row, String name, TensorEntry mask, TensorEntry w) {
        if (mask.dtype() != SafeTensors.DType.U8 && mask.dtype() != SafeTensors.DType.BOOL) {
            report.violation(row, name + ".mask: dtype " + mask.dtype() + ", expected U8 or BOOL");
            return null;
        }
        if (!java.util.Arrays.equals(mask.shape(), w.shape())) {
            report.violation(row, name + ".mask: shape " + java.util.Arrays.toString(mask.shape()) + " differs from the parameter's " + java.util.Arrays.toString(w.shape()));
            return null;
        }
        byte[] b = mask.bytes();
        for (int i = 0; i < b.length; i++) {
            if (b[i] != 0 && b[i] != 1) {
                report.violation(row, name + ".mask: element " + i + " is " + (b[i] & 0xFF) + ", expected 0 (masked) or 1 (kept)");
                return null;
            }
        }
        return b;
    }

    private static void checkSparsity(Report report, Row row, String what, double measured, Double expected, double tol) {
        if (expected == null) return;
        if (Math.abs(measured - expected) > tol) {
            report.violation(row, what + ": sparsity " + fmt(measured) + " differs from the expected " + fmt(expected) + " by more than " + fmt(tol));
        }
    }

    /**
     * Sparsity of the Q, K and V parts of the packed c_attn weight. HF Conv1D layout (C, 3C) splits columns
     * [0,C), [C,2C), [2C,3C); our Linear layout (3C, C) splits rows the same way.
     */
    private static void qkvThirds(Report report, Row row, String name, TensorEntry w, byte[] keep, Double expected, double tol) {
        long[] s = w.shape();
        if (s.length != 2) {
            report.violation(row, name + ": rank " + s.length + ", expected a matrix");
            return;
        }
        boolean conv1d = s[1] == 3 * s[0], linear = s[0] == 3 * s[1];
        if (!conv1d && !linear) {
            report.violation(row, name + ": shape " + java.util.Arrays.toString(s) + " is neither (C, 3C) nor (3C, C)");
            return;
        }
        row.notes.add(conv1d ? "layout (C, 3C): Q|K|V are column thirds" : "layout (3C, C): Q|K|V are row thirds");
        int rows = (int) s[0], cols = (int) s[1];
        long c = conv1d ? s[0] : s[1];
        long[] masked = new long[3];
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < cols; k++) {
                if (keep[r * cols + k] == 0) masked[(int) ((conv1d ? k : r) / Math.max(c, 1))]++;
            }
        }
        row.qkvSparsity = new double[3];
        String[] part = {"Q", "K", "V"};
        for (int j = 0; j < 3; j++) {
            row.qkvSparsity[j] = c == 0 ? 0 : (double) masked[j] / (c * c);
            checkSparsity(report, row, name + " (" + part[j] + " third)", row.qkvSparsity[j], expected, tol);
        }
    }

    private static void checkMoments(Report report, Row row, String name, TensorEntry w, byte[] keep, Map<String, TensorEntry> m) {
        for (var e : m.entrySet()) {
            String what = name + "." + e.getKey();
            TensorEntry mo = e.getValue();
            row.moments.add(e.getKey());
            if (!isFloat(mo)) {
                report.violation(row, what + ": dtype " + mo.dtype() + ", expected a float type");
                continue;
            }
            if (!java.util.Arrays.equals(mo.shape(), w.shape())) {
                report.violation(row, what + ": shape " + java.util.Arrays.toString(mo.shape()) + " differs from the parameter's " + java.util.Arrays.toString(w.shape()));
                continue;
            }
            if (keep == null) continue; // a dense parameter: nothing is masked
            long bad = 0, first = -1;
            for (int i = 0; i < keep.length; i++) {
                if (keep[i] == 0 && at(mo, i) != 0f) {
                    bad++;
                    if (first < 0) first = i;
                }
            }
            if (bad > 0) report.violation(row, what + ": " + bad + " nonzero entries at masked positions (first at flat index " + first + ")");
        }
    }

    static String pct(double x) {
        return String.format(java.util.Locale.ROOT, "%.2f%%", 100 * x);
    }

    static String fmt(double x) {
        return String.format(java.util.Locale.ROOT, "%.4f", x);
    }
}
