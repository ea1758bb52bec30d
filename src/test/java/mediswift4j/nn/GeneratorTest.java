package mediswift4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import mediswift4j.util.Rng;

class GeneratorTest {
    @Test
    void greedyTopOneAndSeededSamplingAreDeterministic() {
        Gpt m = ModelGradientTest.tinyModel(4, 0.5);
        int[] prompt = {1, 2};
        int[] greedy = Generator.generate(m, prompt, 9, 0, 0, new Rng(1), -1);
        assertEquals(11, greedy.length); // runs past the context of 6: the window slides
        assertArrayEquals(greedy, Generator.generate(m, prompt, 9, 1.0, 1, new Rng(2), -1));
        int[] a = Generator.generate(m, prompt, 9, 1.0, 3, new Rng(3), -1);
        assertArrayEquals(a, Generator.generate(m, prompt, 9, 1.0, 3, new Rng(3), -1));
        for (int id : a) assertTrue(id >= 0 && id < 7);
        int[] stopped = Generator.generate(m, prompt, 9, 0, 0, new Rng(1), greedy[2]);
        assertEquals(3, stopped.length);
    }

    @Test
    void samplingRespectsTopK() {
        float[] z = {0f, 5f, 4.5f, -1f, 5f};
        Rng rng = new Rng(7);
        for (int i = 0; i < 200; i++) {
            int id = Generator.sample(z, 1.0, 2, rng);
            assertTrue(id == 1 || id == 4, "top-2 of ties keeps ids 1 and 4, got " + id);
        }
        assertEquals(1, Generator.sample(z, 0, 0, rng));
    }
}
