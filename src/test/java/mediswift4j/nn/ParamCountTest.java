package mediswift4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import mediswift4j.tensor.Tensor;

class ParamCountTest {
    /** The paper's non-embedding sizes: 302M, 679M, 1.21B (GPT-3-shaped, 24 layers). */
    @Test
    void paperSizedPresetsMatchPublishedSizes() {
        assertSize("mediswift-med", 302e6, 0.5e6);
        assertSize("mediswift-large", 679e6, 0.5e6);
        assertSize("mediswift-xl", 1.21e9, 0.005e9);
    }

    private static void assertSize(String name, double published, double halfUnit) {
        ModelConfig c = ModelConfig.preset(name).withVocab(ModelConfig.GPT2_VOCAB);
        ParamCount pc = ParamCount.of(c);
        // The published figure is the weight matrices (12 L C^2), rounded; biases and norms add under 0.2%.
        assertTrue(Math.abs(pc.sparsifiable() - published) <= halfUnit, name + ": sparsifiable " + pc.sparsifiable());
        assertTrue(Math.abs(pc.nonEmbedding() - published) / published < 0.002, name + ": non-embedding " + pc.nonEmbedding());
        assertEquals(pc.total(), pc.embedding() + pc.nonEmbedding());
        assertEquals(2048, c.contextLength());
    }

    @Property(tries = 30)
    void countMatchesAllocatedModel(@ForAll @IntRange(min = 1, max = 3) int layers, @ForAll @IntRange(min = 1, max = 4) int heads,
                                    @ForAll @IntRange(min = 1, max = 4) int headSize, @ForAll @IntRange(min = 1, max = 30) int vocab,
                                    @ForAll @IntRange(min = 1, max = 9) int ctx) {
        ModelConfig c = new ModelConfig("t", layers, heads * headSize, heads, ctx, vocab);
        Gpt m = new Gpt(c);
        long total = 0, emb = m.wte.size() + m.wpe.size(), sparse = 0;
        for (Tensor p : m.parameters()) total += p.size();
        for (MaskedLinear l : m.maskedLayers()) sparse += l.weight.size();
        ParamCount pc = ParamCount.of(c);
        assertEquals(total, pc.total());
        assertEquals(emb, pc.embedding());
        assertEquals(sparse, pc.sparsifiable());
    }
}
