package mediswift4j.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import mediswift4j.interop.CheckpointAudit;
import mediswift4j.interop.HfFolderImport;
import mediswift4j.io.Json;
import mediswift4j.io.SafeTensors;

/**
 * `verify --checkpoint FILE.safetensors [--sparsity S] [--tolerance T] [--json]`: checks the static-sparsity
 * invariants of a GPT-2-named checkpoint from any implementation (rules in {@link CheckpointAudit} and SPEC.md
 * section 14). Prints a table (or JSON) and exits 1 on any violation, 0 when every check passes.
 */
final class VerifyCommand implements Command {
    private final PrintStream out;

    VerifyCommand() {
        this(System.out);
    }

    VerifyCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public String name() {
        return "verify";
    }

    @Override
    public String summary() {
        return "check the sparsity invariants of any safetensors checkpoint";
    }

    @Override
    public String help() {
        return "usage: verify --checkpoint FILE.safetensors|FOLDER [--sparsity S] [--tolerance T] [--dense-limit D] [--json]\n\n"
                + "FOLDER: a Hugging Face folder from `export --hf-dir` (model, sparsity and optimizer files read together).\n"
                + "Checks a sparse GPT-2-named checkpoint from any implementation (names as in GPT-2, optional\n"
                + "'transformer.' prefix):\n"
                + "  - masks '<param>.mask' (U8/BOOL, 0 = masked): masked weights must be exactly 0; without masks the\n"
                + "    weights' zero fraction is taken as the sparsity\n"
                + "  - attention and MLP matrices: sparsity within T (default 0.01) of S when --sparsity is given;\n"
                + "    c_attn is also checked per Q, K, V third\n"
                + "  - every other float tensor must be dense: at most D (default 0.01) zeros (all-zero biases allowed)\n"
                + "  - Adam moments '<param>.exp_avg(_sq)' or 'optimizer.<param>.exp_avg(_sq)' are 0 at masked positions\n"
                + "Exit code 0 when everything passes, 1 on any violation or unreadable file.";
    }

    @Override
    public int run(Args args) throws Exception {
        String file = args.require("checkpoint");
        Double sparsity = args.has("sparsity") ? args.number("sparsity", 0) : null;
        double tolerance = args.number("tolerance", CheckpointAudit.DEFAULT_TOLERANCE);
        double denseLimit = args.number("dense-limit", CheckpointAudit.DEFAULT_DENSE_ZERO_LIMIT);
        boolean json = args.flag("json");
        args.finish();
        if (sparsity != null && !(sparsity >= 0 && sparsity <= 1)) throw new UsageException("--sparsity must be in [0, 1], got " + sparsity);
        if (!(tolerance >= 0)) throw new UsageException("--tolerance must be >= 0, got " + tolerance);
        if (!(denseLimit >= 0 && denseLimit <= 1)) throw new UsageException("--dense-limit must be in [0, 1], got " + denseLimit);

        SafeTensors.Contents contents = HfFolderImport.isFolder(Path.of(file)) ? HfFolderImport.contents(Path.of(file)) : SafeTensors.read(Path.of(file));
        CheckpointAudit.Report report = CheckpointAudit.audit(file, contents.tensors, sparsity, tolerance, denseLimit);
        PrintStream o = Main.utf8(out);
        if (json) o.println(Json.write(toJson(report), 2, false));
        else printTable(o, report);
        return report.ok() ? 0 : 1;
    }

    static Map<String, Object> toJson(CheckpointAudit.Report r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", r.file);
        m.put("ok", r.ok());
        m.put("mode", r.mode);
        m.put("expected_sparsity", r.expectedSparsity);
        m.put("tolerance", r.tolerance);
        List<Object> rows = new ArrayList<>();
        for (CheckpointAudit.Row row : r.rows) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("name", row.name);
            t.put("kind", row.kind.name().toLowerCase(Locale.ROOT));
            t.put("sparsifiable", row.kind.sparsifiable);
            t.put("dtype", row.dtype);
            List<Object> shape = new ArrayList<>();
            for (long d : row.shape) shape.add(d);
            t.put("shape", shape);
            t.put("zero_fraction", finiteOrNull(row.zeroFraction));
            t.put("sparsity", finiteOrNull(row.sparsity));
            if (row.qkvSparsity != null) t.put("qkv_sparsity", List.of(row.qkvSparsity[0], row.qkvSparsity[1], row.qkvSparsity[2]));
            if (row.kind.sparsifiable) t.put("masked_nonzero", row.maskedNonzero);
            t.put("moments", new ArrayList<Object>(row.moments));
            t.put("notes", new ArrayList<Object>(row.notes));
            t.put("ok", row.ok);
            rows.add(t);
        }
        m.put("tensors", rows);
        m.put("ignored", new ArrayList<Object>(r.ignored));
        m.put("violations", new ArrayList<Object>(r.violations));
        return m;
    }

    private static Object finiteOrNull(double x) {
        return Double.isFinite(x) ? x : null;
    }

    private static void printTable(PrintStream o, CheckpointAudit.Report r) {
        o.printf("checkpoint %s  (mode: %s%s)%n", r.file, r.mode.equals("masks") ? "masks given" : "no masks, zeros taken as the mask",
                r.expectedSparsity == null ? "" : String.format(Locale.ROOT, ", expected sparsity %.4f +- %.4f", r.expectedSparsity, r.tolerance));
        o.printf("%-34s %-18s %-5s %-16s %8s %9s  %-23s %s%n", "tensor", "kind", "dtype", "shape", "zeros", "sparsity", "Q / K / V", "status");
        for (CheckpointAudit.Row row : r.rows) {
            String qkv = row.qkvSparsity == null ? "" : String.format(Locale.ROOT, "%.4f/%.4f/%.4f", row.qkvSparsity[0], row.qkvSparsity[1], row.qkvSparsity[2]);
            String sp = Double.isNaN(row.sparsity) ? "-" : String.format(Locale.ROOT, "%.4f", row.sparsity);
            String zf = Double.isNaN(row.zeroFraction) ? "-" : String.format(Locale.ROOT, "%.4f", row.zeroFraction);
            String status = (row.ok ? "ok" : "VIOLATION") + (row.moments.isEmpty() ? "" : " (moments: " + String.join(", ", row.moments) + ")")
                    + (row.notes.isEmpty() ? "" : " " + String.join("; ", row.notes));
            o.printf("%-34s %-18s %-5s %-16s %8s %9s  %-23s %s%n", row.name, row.kind.name().toLowerCase(Locale.ROOT), row.dtype,
                    java.util.Arrays.toString(row.shape).replace(" ", ""), zf, sp, qkv, status);
        }
        for (String i : r.ignored) o.println("ignored: " + i);
        if (r.ok()) {
            o.println("OK: all checks passed");
        } else {
            o.println(r.violations.size() + " violation(s):");
            for (String v : r.violations) o.println("  " + v);
        }
    }
}
