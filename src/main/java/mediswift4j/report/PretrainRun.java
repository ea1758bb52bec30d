package mediswift4j.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import mediswift4j.train.Trainer;

/** What one pre-training run of the reproduction recorded: the loss curves, speed and where its checkpoint is. */
final class PretrainRun {
    final double sparsity;
    final List<double[]> train = new ArrayList<>();      // step, loss, dense-equivalent FLOPs, actual FLOPs
    final List<double[]> validation = new ArrayList<>(); // step, val loss, actual FLOPs
    double wallSeconds, finalValLoss;
    long tokensSeen;
    private long tokensPerStep;
    private double lastElapsed;
    private final List<Double> stepSeconds = new ArrayList<>();
    double flopsPerStep;
    /** Whether the masked layers ran on the compressed sparse kernels (else dense matrices with zeros). */
    boolean sparseKernel;
    Path checkpoint;

    PretrainRun(double sparsity) {
        this.sparsity = sparsity;
    }

    static String label(double sparsity) {
        return sparsity == 0 ? "dense" : Math.round(sparsity * 100) + "%";
    }

    void addStep(Trainer.StepReport r) {
        train.add(new double[] {r.step(), r.loss(), r.flopsDense(), r.flopsActual()});
        if (r.step() > 1) stepSeconds.add(r.elapsedSeconds() - lastElapsed); // step 1 includes JIT warm-up
        lastElapsed = r.elapsedSeconds();
        tokensPerStep = r.step() > 0 ? r.tokensSeen() / r.step() : 0;
        tokensSeen = r.tokensSeen();
        flopsPerStep = r.step() > 0 ? r.flopsActual() / r.step() : 0;
    }

    void addValidation(long step, double loss, long tokens) {
        validation.add(new double[] {step, loss, flopsPerStep * step});
    }

    double lastValidation() {
        return validation.isEmpty() ? Double.NaN : validation.get(validation.size() - 1)[1];
    }

    /**
     * Training tokens per second: tokens per step over the median step time. The median keeps validation pauses
     * and moments when other programs took the CPU out of the figure, which a running average would include.
     */
    double tokensPerSecond() {
        if (stepSeconds.isEmpty()) return Double.NaN;
        double[] s = stepSeconds.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double median = s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        return tokensPerStep / median;
    }

    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sparsity", sparsity);
        m.put("label", label(sparsity));
        m.put("steps", (long) train.size());
        m.put("tokens", tokensSeen);
        m.put("wall_seconds", wallSeconds);
        m.put("tokens_per_s", tokensPerSecond());
        m.put("sparse_kernel", sparseKernel);
        m.put("final_train_loss", train.isEmpty() ? null : train.get(train.size() - 1)[1]);
        m.put("final_validation_loss", Double.isNaN(finalValLoss) ? null : finalValLoss);
        m.put("training_flops_actual", train.isEmpty() ? 0.0 : train.get(train.size() - 1)[3]);
        m.put("training_flops_dense_equivalent", train.isEmpty() ? 0.0 : train.get(train.size() - 1)[2]);
        List<Object> val = new ArrayList<>();
        for (double[] v : validation) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("step", (long) v[0]);
            p.put("validation_loss", v[1]);
            p.put("flops", v[2]);
            val.add(p);
        }
        m.put("validation_curve", val);
        List<Object> tr = new ArrayList<>();
        for (double[] v : train) tr.add(List.of((long) v[0], v[1]));
        m.put("train_curve", tr);
        m.put("checkpoint", checkpoint == null ? null : checkpoint.toString());
        return m;
    }
}
