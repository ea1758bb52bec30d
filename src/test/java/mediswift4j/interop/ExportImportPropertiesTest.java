package mediswift4j.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import mediswift4j.io.SafeTensors;
import mediswift4j.io.TensorEntry;
import mediswift4j.nn.Gpt;
import mediswift4j.nn.MaskedLinear;
import mediswift4j.nn.ModelConfig;
import mediswift4j.nn.ModelMasks;
import mediswift4j.optim.AdamW;
import mediswift4j.train.Checkpoint;
import mediswift4j.train.Models;
import mediswift4j.train.TrainSettings;
import mediswift4j.train.TrainState;
import mediswift4j.util.Rng;

/** In-memory export -> import round trips on random shapes (size-1 dims included), sparsities and layouts. */
class ExportImportPropertiesTest {
    static final double[] SPARSITIES = {0.0, 0.3, 0.5, 0.75};

    @Property(tries = 40)
    void roundTripKeepsEverything(@ForAll @IntRange(min = 1, max = 3) int layers, @ForAll @IntRange(min = 1, max = 3) int heads,
                                  @ForAll @IntRange(min = 1, max = 5) int headSize, @ForAll @IntRange(min = 1, max = 7) int context,
                                  @ForAll @IntRange(min = 1, max = 13) int vocab, @ForAll @IntRange(min = 0, max = 3) int sparsityIndex,
                                  @ForAll boolean hfLayout, @ForAll boolean boolMasks, @ForAll @LongRange(min = 0, max = 1000) long seed) {
        ModelConfig cfg = new ModelConfig("prop", layers, heads * headSize, heads, context, vocab);
        double s = SPARSITIES[sparsityIndex];
        Gpt model = new Gpt(cfg);
        ModelMasks.draw(model, seed, s);
        model.initialize(seed);
        AdamW opt = Models.newOptimizer(model, AdamW.DEFAULTS);
        Rng rng = new Rng(seed + 1);
        float[][] m1 = new float[model.parameters().size()][], m2 = new float[m1.length][];
        for (int i = 0; i < m1.length; i++) {
            int n = model.parameters().get(i).size();
            m1[i] = new float[n];
            m2[i] = new float[n];
            MaskedLinear layer = ModelMasks.layer(model, model.parameters().get(i).name);
            for (int j = 0; j < n; j++) {
                if (layer != null && layer.keep() != null && layer.keep()[j] == 0) continue;
                m1[i][j] = (float) rng.nextGaussian();
                m2[i][j] = rng.nextFloat();
            }
        }
        opt.restore(1 + rng.nextInt(100), m1, m2);
        TrainSettings settings = TrainSettings.defaults(50, 2, context, 3e-4, 5, seed, s);
        TrainState state = new TrainState();
        state.step = 17;
        state.dataRngState = rng.nextLong();
        state.data.add("x.tokens");
        Checkpoint.Loaded ck = new Checkpoint.Loaded(model, Map.of(), opt, settings, state, Map.of());

        CheckpointExport.Options o = new CheckpointExport.Options(hfLayout ? CheckpointExport.Layout.HF : CheckpointExport.Layout.TORCH_LINEAR, boolMasks, false);
        LinkedHashMap<String, TensorEntry> tensors = CheckpointExport.tensors(model, opt, o);
        CheckpointImport.Imported back = CheckpointImport.fromContents("mem", new SafeTensors.Contents(tensors, CheckpointExport.metadata(ck, o)), null);

        assertEquals(cfg, back.model().config());
        assertEquals(o.layout(), back.layout());
        assertEquals(Checkpoint.parameterHash(model), Checkpoint.parameterHash(back.model()));
        assertEquals(opt.stepCount(), back.optimizer().stepCount());
        for (int i = 0; i < m1.length; i++) {
            assertArrayEquals(m1[i], back.optimizer().firstMoment(i));
            assertArrayEquals(m2[i], back.optimizer().secondMoment(i));
        }
        assertEquals(settings, back.settings());
        assertEquals(state.step, back.state().step);
        assertEquals(state.dataRngState, back.state().dataRngState);
        assertEquals(state.data, back.state().data);
        for (MaskedLinear l : model.maskedLayers()) {
            assertArrayEquals(l.keep(), ModelMasks.layer(back.model(), l.weight.name).keep(), l.weight.name);
        }
    }
}
