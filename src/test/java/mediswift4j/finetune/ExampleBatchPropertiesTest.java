package mediswift4j.finetune;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import mediswift4j.nn.Gpt;
import mediswift4j.nn.ModelConfig;
import mediswift4j.util.Rng;

/** Batch layout invariants and batching independence of scores, on random example shapes. */
class ExampleBatchPropertiesTest {
    static final ModelConfig CFG = new ModelConfig("batch-prop", 1, 8, 2, 24, 13);
    static final Gpt MODEL = model();

    static Gpt model() {
        Gpt m = new Gpt(CFG);
        m.initialize(5);
        return m;
    }

    static List<TaskExample> examples(long seed, int count) {
        Rng rng = new Rng(seed);
        List<TaskExample> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int[] prompt = new int[1 + rng.nextInt(6)], target = new int[1 + rng.nextInt(4)];
            for (int j = 0; j < prompt.length; j++) prompt[j] = rng.nextInt(13);
            for (int j = 0; j < target.length; j++) target[j] = rng.nextInt(13);
            out.add(new TaskExample("e" + i, prompt, target));
        }
        return out;
    }

    @Property(tries = 60)
    void everyTargetTokenIsPredictedOnceFromThePositionBeforeIt(@ForAll @IntRange(min = 0, max = 1000) int seed,
                                                                 @ForAll @IntRange(min = 1, max = 5) int count,
                                                                 @ForAll @IntRange(min = 0, max = 3) int p) {
        List<TaskExample> ex = examples(seed, count);
        ExampleBatch b = ExampleBatch.of(ex, p);
        int counted = 0, longest = 0;
        for (int i = 0; i < count; i++) {
            TaskExample e = ex.get(i);
            int m = e.prompt().length, k = e.target().length;
            longest = Math.max(longest, m + p + k - 1);
            for (int pos = 0; pos < b.t; pos++) {
                int flat = i * b.t + pos, j = pos - (m + p - 1);
                int expected = j >= 0 && j < k ? e.target()[j] : -1;
                assertEquals(expected, b.targets[flat], "example " + i + " position " + pos);
                if (expected >= 0) counted++;
                if (pos < m) assertEquals(e.prompt()[pos], b.ids[flat]);
                else if (pos >= m + p && pos < m + p + k - 1) assertEquals(e.target()[pos - m - p], b.ids[flat]);
            }
        }
        assertEquals(longest, b.t);
        assertEquals(counted, b.rows.length);
    }

    @Property(tries = 25)
    void scoresDoNotDependOnWhatElseIsInTheBatch(@ForAll @IntRange(min = 0, max = 1000) int seed,
                                                 @ForAll @IntRange(min = 0, max = 2) int p) {
        List<TaskExample> ex = examples(seed, 4);
        SoftPrompt sp = SoftPrompt.initialize(MODEL, p, "normal", null, seed);
        double[] together = LikelihoodScorer.score(MODEL, sp, ex);
        for (int i = 0; i < ex.size(); i++) {
            double alone = LikelihoodScorer.score(MODEL, sp, List.of(ex.get(i)))[0];
            assertEquals(alone, together[i], 1e-4 * Math.max(1, Math.abs(alone)), "example " + i);
        }
    }
}
