package mediswift4j.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import mediswift4j.data.TokenFile;
import mediswift4j.nn.ModelConfig;
import mediswift4j.tensor.Parallel;
import mediswift4j.tensor.Tensor;
import mediswift4j.train.Trainer;

/**
 * Issue item 4: the same seed gives the same parameters, bit for bit, with 1 and with 2 threads (and 3, an odd
 * split). The model is just large enough that the kernels really split their rows and heads over threads:
 * B*T = 4*24 = 96 rows, C = 128, MLP 512 wide, NH = 4 heads. Dense and 50% sparse runs, with gradient
 * accumulation, so the masked path and the accumulated gradients are covered too.
 */
class ThreadCountTrainingTest {
    static final ModelConfig SPLITTING = new ModelConfig("reliability-threads", 2, 128, 4, 24, 61);

    /** Every parameter, Adam moment and the per-step losses after a few steps. */
    static List<float[]> train(int threads, double sparsity) {
        int saved = Parallel.threads();
        Parallel.setThreads(threads);
        try {
            TokenFile data = TinyRuns.tokens(61, 3000, 9);
            var s = new mediswift4j.train.TrainSettings(3, 4, 24, 2, 3e-3, 1, 1.0, 0f, 0, 2, 0, 21, sparsity,
                    mediswift4j.optim.AdamW.DEFAULTS);
            Trainer t = Trainer.fresh(SPLITTING, data, s, null);
            List<Float> losses = new ArrayList<>();
            try {
                t.run(3, null, new Trainer.Progress() {
                    @Override
                    public void step(Trainer.StepReport r) {
                        losses.add(r.loss());
                    }
                });
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            List<float[]> out = new ArrayList<>();
            for (Tensor p : t.model().parameters()) out.add(p.data);
            for (int i = 0; i < t.model().parameters().size(); i++) {
                out.add(t.optimizer().firstMoment(i));
                out.add(t.optimizer().secondMoment(i));
            }
            float[] l = new float[losses.size()];
            for (int i = 0; i < l.length; i++) l[i] = losses.get(i);
            out.add(l);
            return out;
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    void parametersAreBitIdenticalForOneTwoAndThreeThreads() {
        for (double sparsity : new double[] {0.0, 0.5}) {
            List<float[]> one = train(1, sparsity);
            for (int threads : new int[] {2, 3}) {
                List<float[]> many = train(threads, sparsity);
                assertEquals(one.size(), many.size());
                for (int i = 0; i < one.size(); i++) {
                    // assertArrayEquals on float[] compares bits (floatToIntBits), so NaN patterns and -0 count too
                    assertArrayEquals(one.get(i), many.get(i), "array " + i + ", " + threads + " threads, sparsity " + sparsity);
                }
            }
        }
    }
}
