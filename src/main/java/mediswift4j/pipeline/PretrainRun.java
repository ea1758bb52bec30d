package mediswift4j.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import mediswift4j.io.AtomicFiles;
import mediswift4j.io.Json;
import mediswift4j.train.Trainer;

/**
 * What one pre-training run of the reproduction recorded: the loss curves, speed, stability and where its
 * checkpoint is. The curves are also appended to RUN/curve.jsonl as they come (one line per step, one per
 * validation), so a run killed and resumed from its checkpoint keeps the part of its curves before that point.
 */
final class PretrainRun {
    static final String CURVE_FILE = "curve.jsonl";

    final double sparsity;
    final long seed;
    final String stageKey;
    final Path checkpoint;
    final List<double[]> train = new ArrayList<>();      // step, loss, dense-equivalent FLOPs, actual FLOPs, elapsed s
    final List<double[]> validation = new ArrayList<>(); // step, val loss, actual FLOPs
    double wallSeconds;
    /** Whether the masked layers ran on the compressed sparse kernels (else dense matrices with zeros). */
    boolean sparseKernel;
    /** Set when the divergence guard stopped the run (its message in `divergence`); such a run is not fine-tuned. */
    boolean diverged;
    String divergence;
    /** Steps whose time is not a fair speed sample: the first of each (re)started session (JIT warm-up). */
    private final List<Long> warmupSteps = new ArrayList<>();
    private Map<String, Object> finished;

    PretrainRun(double sparsity, long seed, String stageKey, Path checkpoint) {
        this.sparsity = sparsity;
        this.seed = seed;
        this.stageKey = stageKey;
        this.checkpoint = checkpoint;
    }

    static String label(double sparsity) {
        return sparsity == 0 ? "dense" : Math.round(sparsity * 100) + "%";
    }

    String label() {
        return label(sparsity);
    }

    /** The run's directory name under the output folder, e.g. pretrain-75-seed1234. */
    String dirName() {
        return "pretrain-" + label().replace("%", "") + "-seed" + seed;
    }

    /** A finished run, as stored in its stage.json (the JSON of {@link #toJson}). */
    static PretrainRun finished(double sparsity, long seed, String key, Path dir, Map<String, Object> json) {
        PretrainRun r = new PretrainRun(sparsity, seed, key, dir);
        r.finished = json;
        return r;
    }

    // ---------------------------------------------------------------- recording

    /** Starts recording a session: from scratch (step 0) or after a resume at `fromStep`, keeping earlier lines. */
    void begin(long fromStep) throws IOException {
        Path f = checkpoint.resolve(CURVE_FILE);
        List<String> kept = new ArrayList<>();
        if (fromStep > 0 && Files.isRegularFile(f)) {
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                Map<String, Object> m;
                try {
                    m = Json.asObject(Json.parse(line, f.toString()), f.toString());
                } catch (RuntimeException e) {
                    break; // a line cut by the kill: everything after it is redone
                }
                long step = Json.asLong(m.get("step"), f.toString());
                if (step > fromStep) break;
                kept.add(line);
                if (m.containsKey("val_loss")) validation.add(new double[] {step, Json.asNumber(m.get("val_loss"), f.toString()), Json.asNumber(m.get("flops"), f.toString())});
                else train.add(new double[] {step, Json.asNumber(m.get("loss"), f.toString()), Json.asNumber(m.get("flops_dense"), f.toString()),
                        Json.asNumber(m.get("flops"), f.toString()), Json.asNumber(m.get("elapsed_s"), f.toString())});
            }
        }
        Files.createDirectories(checkpoint);
        AtomicFiles.writeString(f, kept.isEmpty() ? "" : String.join("\n", kept) + "\n");
        warmupSteps.add(fromStep + 1);
    }

    void addStep(Trainer.StepReport r) throws IOException {
        train.add(new double[] {r.step(), r.loss(), r.flopsDense(), r.flopsActual(), r.elapsedSeconds()});
        append(String.format(Locale.ROOT, "{\"step\":%d,\"loss\":%s,\"flops_dense\":%s,\"flops\":%s,\"elapsed_s\":%s}", r.step(),
                Float.toString(r.loss()), Double.toString(r.flopsDense()), Double.toString(r.flopsActual()), Double.toString(r.elapsedSeconds())));
    }

    void addValidation(long step, double loss) throws IOException {
        double flops = train.isEmpty() ? 0 : train.get(train.size() - 1)[3];
        validation.add(new double[] {step, loss, flops});
        append(String.format(Locale.ROOT, "{\"step\":%d,\"val_loss\":%s,\"flops\":%s}", step, Double.toString(loss), Double.toString(flops)));
    }

    private void append(String line) throws IOException {
        AtomicFiles.beforeCommit();
        Files.writeString(checkpoint.resolve(CURVE_FILE), line + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    double finalValidationLoss() {
        if (finished != null) return Json.asNumber(finished.get("final_validation_loss"), "stage");
        return validation.isEmpty() ? Double.NaN : validation.get(validation.size() - 1)[1];
    }

    /**
     * Training tokens per second: tokens per step over the median step time, leaving out the first step of each
     * session (JIT warm-up). The median keeps validation pauses and other programs' bursts out of the figure.
     */
    double tokensPerSecond(long tokensPerStep) {
        if (finished != null) return Json.asNumber(finished.get("tokens_per_s"), "stage");
        List<Double> dt = new ArrayList<>();
        for (int i = 1; i < train.size(); i++) {
            if (warmupSteps.contains((long) train.get(i)[0])) continue;
            dt.add(train.get(i)[4] - train.get(i - 1)[4]);
        }
        if (dt.isEmpty()) return Double.NaN;
        double[] s = dt.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double median = s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        return tokensPerStep / median;
    }

    // ---------------------------------------------------------------- results

    Map<String, Object> toJson(long tokensPerStep) {
        if (finished != null) return finished;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sparsity", sparsity);
        m.put("label", label());
        m.put("seed", seed);
        m.put("steps", (long) train.size());
        m.put("tokens", (long) train.size() * tokensPerStep);
        m.put("wall_seconds", wallSeconds);
        m.put("tokens_per_s", tokensPerSecond(tokensPerStep));
        m.put("sparse_kernel", sparseKernel);
        m.put("final_train_loss", train.isEmpty() ? null : train.get(train.size() - 1)[1]);
        double v = finalValidationLoss();
        m.put("final_validation_loss", Double.isNaN(v) ? null : v);
        m.put("training_flops_actual", train.isEmpty() ? 0.0 : train.get(train.size() - 1)[3]);
        m.put("training_flops_dense_equivalent", train.isEmpty() ? 0.0 : train.get(train.size() - 1)[2]);
        List<Object> val = new ArrayList<>();
        for (double[] p : validation) {
            Map<String, Object> point = new LinkedHashMap<>();
            point.put("step", (long) p[0]);
            point.put("validation_loss", p[1]);
            point.put("flops", p[2]);
            val.add(point);
        }
        m.put("validation_curve", val);
        List<Object> tr = new ArrayList<>();
        for (double[] p : train) tr.add(List.of((long) p[0], p[1]));
        m.put("train_curve", tr);
        m.put("stability", diverged ? Stability.diverged(divergence) : Stability.of(train, validation));
        m.put("checkpoint", checkpoint.toString());
        return m;
    }
}
