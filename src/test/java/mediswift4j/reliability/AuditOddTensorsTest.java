package mediswift4j.reliability;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;

import org.junit.jupiter.api.Test;

import mediswift4j.interop.CheckpointAudit;
import mediswift4j.io.SafeTensors;
import mediswift4j.io.TensorEntry;

/**
 * Structurally valid safetensors whose contents are odd for a GPT-2 export (byte mutations rarely produce these,
 * since the header's offsets must still tile the buffer): the audit must report a violation, never throw.
 */
class AuditOddTensorsTest {
    static final String W = "transformer.h.0.attn.c_attn.weight";

    static CheckpointAudit.Report audit(LinkedHashMap<String, TensorEntry> t) {
        return CheckpointAudit.audit("odd.safetensors", t, 0.5, CheckpointAudit.DEFAULT_TOLERANCE, CheckpointAudit.DEFAULT_DENSE_ZERO_LIMIT);
    }

    static LinkedHashMap<String, TensorEntry> weight(long... shape) {
        LinkedHashMap<String, TensorEntry> t = new LinkedHashMap<>();
        int n = 1;
        for (long d : shape) n *= (int) d;
        float[] w = new float[n];
        for (int i = 0; i < n; i += 2) w[i] = 1f;
        t.put(W, TensorEntry.f32(w, shape));
        return t;
    }

    @Test
    void maskOfAnotherShape() {
        var t = weight(4, 12);
        t.put(W + ".mask", TensorEntry.u8(new byte[7], 7));
        assertFalse(audit(t).ok());
    }

    @Test
    void maskWithValuesOtherThanZeroAndOne() {
        var t = weight(4, 12);
        byte[] m = new byte[48];
        java.util.Arrays.fill(m, (byte) 2);
        t.put(W + ".mask", TensorEntry.u8(m, 4, 12));
        assertFalse(audit(t).ok());
    }

    @Test
    void maskOfAFloatType() {
        var t = weight(4, 12);
        t.put(W + ".mask", TensorEntry.f32(new float[48], 4, 12));
        assertFalse(audit(t).ok());
    }

    @Test
    void momentsOfAnotherShapeOrType() {
        var t = weight(4, 12);
        t.put("optimizer." + W + ".exp_avg", TensorEntry.f32(new float[3], 3));
        t.put("optimizer." + W + ".exp_avg_sq", TensorEntry.raw(SafeTensors.DType.I64, new byte[48 * 8], 4, 12));
        CheckpointAudit.Report r = audit(t);
        assertFalse(r.ok());
        assertViolation(r, "exp_avg: shape [3] differs from the parameter's [4, 12]");
        assertViolation(r, "exp_avg_sq: dtype I64, expected a float type");
    }

    @Test
    void sparsifiableNameWithOddRank() {
        assertViolation(audit(weight(2, 3, 8)), "h.0.attn.c_attn.weight: rank 3, expected a matrix");
        assertViolation(audit(weight(48)), "h.0.attn.c_attn.weight: rank 1, expected a matrix");
        assertViolation(audit(weight(0, 12)), "h.0.attn.c_attn.weight: shape [0, 12] is neither (C, 3C) nor (3C, C)");
        var t = weight(0);
        t.put(W + ".mask", TensorEntry.u8(new byte[0], 0));
        assertViolation(audit(t), "h.0.attn.c_attn.weight: rank 1, expected a matrix");
    }

    /** The report is not ok and one violation contains the text (which names the tensor and the problem). */
    static void assertViolation(CheckpointAudit.Report r, String text) {
        assertFalse(r.ok(), "no violation, expected: " + text);
        assertTrue(r.violations.stream().anyMatch(v -> v.contains(text)), "no violation contains \"" + text + "\": " + r.violations);
    }

    @Test
    void aDamagedBlockIndexIsReportedWithoutExpectingThatManyLayers() {
        // found by LoaderFuzzTest.verifyExport: "h.0" turned into "h.65537" in one name made the audit infer 65538
        // layers and build their expected shapes (510 MB for a 4 KB file). Now L is capped by the block tensors
        // present, the name is reported, and the audit allocates little.
        var t = weight(4, 12);
        t.put("transformer.h.65537.ln_1.weight", TensorEntry.f32(new float[4], 4));
        t.put("transformer.ln_f.weight", TensorEntry.f32(new float[4], 4));
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        CheckpointAudit.Report r = audit(t);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertFalse(r.ok());
        assertTrue(r.violations.stream().anyMatch(v -> v.contains("h.65537.ln_1.weight") && v.contains("not a parameter")),
                String.join("\n", r.violations));
        assertTrue(allocated < (16L << 20), "the audit allocated " + allocated + " bytes");
    }
}
