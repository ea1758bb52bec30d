package mediswift4j.train;

import java.util.LinkedHashMap;
import java.util.Map;

import mediswift4j.io.Json;
import mediswift4j.optim.AdamW;
import mediswift4j.util.InputException;

/**
 * Everything that defines a pre-training run besides the model shape and the data (SPEC.md section 8).
 *
 * steps is the schedule's total N (the cosine reaches its floor there). Each optimizer step consumes
 * accum micro-batches of batch sequences of seqLen tokens; the loss of each micro-batch is multiplied by 1/accum
 * before backward, so the accumulated gradient is the gradient of the mean loss over all accum * batch sequences.
 */
public record TrainSettings(int steps, int batch, int seqLen, int accum, double lr, int warmup, double clipNorm,
                            float dropout, int evalEvery, int evalWindows, int checkpointEvery, long seed,
                            double sparsity, AdamW.Settings adam) {

    public TrainSettings {
        if (steps < 1) throw new IllegalArgumentException("steps must be at least 1, got " + steps);
        if (batch < 1) throw new IllegalArgumentException("batch must be at least 1, got " + batch);
        if (seqLen < 1) throw new IllegalArgumentException("seq-len must be at least 1, got " + seqLen);
        if (accum < 1) throw new IllegalArgumentException("accum must be at least 1, got " + accum);
        if (!(lr > 0)) throw new IllegalArgumentException("lr must be positive, got " + lr);
        if (warmup < 0) throw new IllegalArgumentException("warmup must be >= 0, got " + warmup);
        if (!(sparsity >= 0 && sparsity < 1)) throw new IllegalArgumentException("sparsity must be in [0, 1), got " + sparsity);
        if (dropout < 0 || dropout >= 1) throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
    }

    /** Defaults for everything not given on the command line. */
    public static TrainSettings defaults(int steps, int batch, int seqLen, double lr, int warmup, long seed, double sparsity) {
        return new TrainSettings(steps, batch, seqLen, 1, lr, warmup, 1.0, 0f, 0, 16, 0, seed, sparsity, AdamW.DEFAULTS);
    }

    public TrainSettings withSchedule(int newSteps, int newEvalEvery, int newCheckpointEvery) {
        return new TrainSettings(newSteps, batch, seqLen, accum, lr, warmup, clipNorm, dropout, newEvalEvery, evalWindows,
                newCheckpointEvery, seed, sparsity, adam);
    }

    public long tokensPerStep() {
        return (long) batch * seqLen * accum;
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("steps", (long) steps);
        m.put("batch", (long) batch);
        m.put("seq_len", (long) seqLen);
        m.put("accum", (long) accum);
        m.put("lr", lr);
        m.put("warmup", (long) warmup);
        m.put("clip_norm", clipNorm);
        m.put("dropout", f2d(dropout));
        m.put("eval_every", (long) evalEvery);
        m.put("eval_windows", (long) evalWindows);
        m.put("checkpoint_every", (long) checkpointEvery);
        m.put("seed", exactLong(seed));
        m.put("sparsity", sparsity);
        m.put("beta1", f2d(adam.beta1()));
        m.put("beta2", f2d(adam.beta2()));
        m.put("eps", f2d(adam.eps()));
        m.put("weight_decay", f2d(adam.weightDecay()));
        return m;
    }

    public static TrainSettings fromJson(Map<String, Object> m, String where) {
        return new TrainSettings(
                Json.asInt(Json.field(m, "steps", where), where + ".steps"),
                Json.asInt(Json.field(m, "batch", where), where + ".batch"),
                Json.asInt(Json.field(m, "seq_len", where), where + ".seq_len"),
                Json.asInt(Json.field(m, "accum", where), where + ".accum"),
                Json.asNumber(Json.field(m, "lr", where), where + ".lr"),
                Json.asInt(Json.field(m, "warmup", where), where + ".warmup"),
                Json.asNumber(Json.field(m, "clip_norm", where), where + ".clip_norm"),
                (float) Json.asNumber(Json.field(m, "dropout", where), where + ".dropout"),
                Json.asInt(Json.field(m, "eval_every", where), where + ".eval_every"),
                Json.asInt(Json.field(m, "eval_windows", where), where + ".eval_windows"),
                Json.asInt(Json.field(m, "checkpoint_every", where), where + ".checkpoint_every"),
                readExactLong(Json.field(m, "seed", where), where + ".seed"),
                Json.asNumber(Json.field(m, "sparsity", where), where + ".sparsity"),
                new AdamW.Settings(
                        (float) Json.asNumber(Json.field(m, "beta1", where), where + ".beta1"),
                        (float) Json.asNumber(Json.field(m, "beta2", where), where + ".beta2"),
                        (float) Json.asNumber(Json.field(m, "eps", where), where + ".eps"),
                        (float) Json.asNumber(Json.field(m, "weight_decay", where), where + ".weight_decay")));
    }

    /**
     * A 64-bit integer for JSON: a number when it has fewer than 18 digits, else a decimal string (our JSON reader,
     * like many, turns longer integers into doubles and would lose bits).
     */
    /** A float written as its shortest decimal (0.9f as 0.9), which reads back to the same float. */
    private static double f2d(float f) {
        return Double.parseDouble(Float.toString(f));
    }

    public static Object exactLong(long v) {
        return Math.abs(v) < 100_000_000_000_000_000L ? (Object) v : Long.toString(v);
    }

    public static long readExactLong(Object v, String where) {
        if (v instanceof String) {
            try {
                return Long.parseLong((String) v);
            } catch (NumberFormatException e) {
                throw new InputException(where + ": expected a 64-bit integer, found \"" + v + "\"");
            }
        }
        return Json.asLong(v, where);
    }
}
