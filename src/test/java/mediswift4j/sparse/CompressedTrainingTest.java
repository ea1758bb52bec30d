package mediswift4j.sparse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import mediswift4j.data.TokenFile;
import mediswift4j.nn.Gpt;
import mediswift4j.nn.MaskedLinear;
import mediswift4j.nn.ModelConfig;
import mediswift4j.nn.ModelMasks;
import mediswift4j.optim.AdamW;
import mediswift4j.tensor.Tensor;
import mediswift4j.train.Checkpoint;
import mediswift4j.train.Models;
import mediswift4j.train.TrainSettings;
import mediswift4j.train.Trainer;
import mediswift4j.util.Rng;

/**
 * Pre-training through the compressed kernels (CompressedKernel, installed by train.Models): the same run with the
 * compressed and the dense-masked kernel ends with parameters equal up to float rounding; resuming a run on the
 * compressed kernel is bit-exact; clearing the masks switches the kernel off.
 */
class CompressedTrainingTest {
    @TempDir
    Path dir;

    /** d_model 24 so that c_fc (96 x 24) spans several compressed tiles' worth of rows; T 9 B 3 = 27 tokens. */
    static final ModelConfig TINY = new ModelConfig("compressed-tiny", 2, 24, 3, 9, 29);

    static TokenFile data() {
        Rng rng = new Rng(5);
        int[] ids = new int[800];
        for (int i = 0; i < ids.length; i++) ids[i] = i % 5 == 0 ? rng.nextInt(29) : (ids[i - 1] * 7 + 3) % 29;
        return new TokenFile(29, ids, TokenFile.validationStart(ids.length, 0.1));
    }

    static TrainSettings settings(int steps, int accum, double sparsity) {
        return new TrainSettings(steps, 3, 9, accum, 3e-3, 1, 1.0, 0f, 0, 4, 0, 7, sparsity, AdamW.DEFAULTS);
    }

    static Trainer trainer(double sparsity, CompressedKernel.Mode mode, int steps) {
        Trainer t = Trainer.fresh(TINY, data(), settings(steps, 1, sparsity), null);
        t.model().setKernel(new CompressedKernel(mode));
        return t;
    }

    @Test
    void compressedTrainingMatchesDenseMasked() throws Exception {
        for (double s : new double[] {0.5, 0.75, 0.9}) {
            int steps = 4;
            Trainer sparse = trainer(s, CompressedKernel.Mode.SPARSE, steps);
            Trainer dense = trainer(s, CompressedKernel.Mode.DENSE, steps);
            List<Float> ls = new ArrayList<>(), ld = new ArrayList<>();
            sparse.run(steps, null, new Trainer.Progress() {
                @Override
                public void step(Trainer.StepReport r) {
                    ls.add(r.loss());
                }
            });
            dense.run(steps, null, new Trainer.Progress() {
                @Override
                public void step(Trainer.StepReport r) {
                    ld.add(r.loss());
                }
            });
            for (int i = 0; i < steps; i++) assertEquals(ld.get(i), ls.get(i), 1e-5, "loss at step " + (i + 1) + ", sparsity " + s);
            // Adam's first steps move each weight by about lr sign(g): rounding can only matter where |g| is tiny,
            // and then the step itself is small. lr = 3e-3, so 3e-4 is a tenth of one step.
            List<Tensor> ps = sparse.model().parameters(), pd = dense.model().parameters();
            for (int i = 0; i < ps.size(); i++) {
                float[] a = ps.get(i).data, b = pd.get(i).data;
                double max = 0;
                for (int k = 0; k < a.length; k++) max = Math.max(max, Math.abs(a[k] - b[k]));
                assertTrue(max <= 3e-4, ps.get(i).name + " differs by " + max + " at sparsity " + s);
            }
            // Masked weights stay exactly zero on the compressed path too.
            for (MaskedLinear l : sparse.model().maskedLayers()) {
                byte[] keep = l.keep();
                for (int k = 0; k < keep.length; k++) if (keep[k] == 0) assertEquals(0f, l.weight.data[k]);
            }
        }
    }

    @Test
    void autoModeUsesTheCompressedPathWhereItPaysAndClearSwitchesItOff() {
        Gpt m = Models.newModel(TINY);
        CompressedKernel k = (CompressedKernel) m.maskedLayers().get(0).kernel();
        assertEquals(CompressedKernel.Mode.AUTO, k.mode());
        ModelMasks.draw(m, 3, 0.5);
        for (MaskedLinear l : m.maskedLayers()) assertNull(k.compressed(l), "0.5 is below the threshold");
        ModelMasks.draw(m, 3, 0.75);
        for (MaskedLinear l : m.maskedLayers()) assertNotNull(k.compressed(l), "0.75 pays");
        ModelMasks.clear(m);
        for (MaskedLinear l : m.maskedLayers()) assertNull(k.compressed(l), "no masks: dense fine-tuning");
    }

    @Test
    void resumeOnTheCompressedKernelIsBitExact() throws Exception {
        for (int accum : new int[] {1, 2}) {
            int n = 4;
            TrainSettings st = settings(n, accum, 0.75);
            List<Float> oneLosses = new ArrayList<>(), splitLosses = new ArrayList<>();
            Trainer one = Trainer.fresh(TINY, data(), st, null);
            assertCompressed(one.model());
            one.run(n, dir.resolve("one" + accum), recorder(oneLosses));

            Trainer first = Trainer.fresh(TINY, data(), st, null);
            first.run(n / 2, dir.resolve("half" + accum), recorder(splitLosses));
            Checkpoint.Loaded ck = Checkpoint.load(dir.resolve("half" + accum));
            Trainer second = Trainer.resume(ck, data(), ck.settings());
            assertCompressed(second.model());
            second.run(n, dir.resolve("half" + accum), recorder(splitLosses));

            assertEquals(oneLosses, splitLosses, "losses, accum " + accum);
            assertEquals(Checkpoint.parameterHash(one.model()), Checkpoint.parameterHash(second.model()));
            for (int i = 0; i < one.model().parameters().size(); i++) {
                assertArrayEquals(one.optimizer().firstMoment(i), second.optimizer().firstMoment(i));
                assertArrayEquals(one.optimizer().secondMoment(i), second.optimizer().secondMoment(i));
            }
        }
    }

    private static void assertCompressed(Gpt m) {
        for (MaskedLinear l : m.maskedLayers()) assertNotNull(((CompressedKernel) l.kernel()).compressed(l), l.weight.name);
    }

    private static Trainer.Progress recorder(List<Float> losses) {
        return new Trainer.Progress() {
            @Override
            public void step(Trainer.StepReport r) {
                losses.add(r.loss());
            }
        };
    }
}
