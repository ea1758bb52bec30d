package mediswift4j.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import mediswift4j.autograd.Autograd;
import mediswift4j.io.Npy;
import mediswift4j.nn.Gpt;
import mediswift4j.nn.ModelConfig;
import mediswift4j.nn.SequenceScorer;
import mediswift4j.optim.AdamW;
import mediswift4j.train.Checkpoint;
import mediswift4j.train.Models;
import mediswift4j.train.TrainSettings;
import mediswift4j.train.TrainState;
import mediswift4j.util.InputException;

/** `score`'s windows and numbers against the training loss (a different code path), its .npy file and its input errors. */
class ScoringTest {
    @TempDir
    Path dir;

    static final ModelConfig CFG = new ModelConfig("score-test", 1, 8, 2, 4, 13);

    static Gpt model() {
        Gpt m = new Gpt(CFG);
        m.initialize(7);
        return m;
    }

    /** The training loss (LossOps.crossEntropy) of ids[start..start+t) predicting one chosen position only. */
    static float trainingLoss(Gpt m, int[] ids, int start, int t, int position) {
        int[] in = Arrays.copyOfRange(ids, start, start + t);
        int[] tg = new int[t];
        Arrays.fill(tg, -1);
        tg[position] = ids[start + position + 1];
        try (var g = Autograd.noGrad()) {
            return m.loss(in, tg, 1, t).data[0];
        }
    }

    @Test
    void windowsAreNonOverlappingOfTheContextAndEachTokenIsScoredOnce() throws Exception {
        Gpt m = model();
        int[] ids = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5}; // N = 11: 10 scored, windows of 4, 4, 2
        SequenceScorer.Result r = SequenceScorer.score(m, ids, null);
        assertEquals(10, r.tokens());
        assertEquals(3, r.windows());
        int[][] windows = {{0, 4}, {4, 4}, {8, 2}};
        double sum = 0;
        for (int[] w : windows) {
            for (int p = 0; p < w[1]; p++) {
                float expected = trainingLoss(m, ids, w[0], w[1], p);
                assertEquals(expected, r.losses()[w[0] + p], Math.ulp(expected) * 2, "window at " + w[0] + " position " + p);
            }
        }
        for (float l : r.losses()) sum += l;
        assertEquals(sum / 10, r.meanLoss(), 0);
        assertEquals(Math.exp(sum / 10), r.perplexity(), 0);
        // the first token of the second window (ids[4]) is predicted from ids[4] alone: equal to scoring [ids[4], ids[5]]
        SequenceScorer.Result alone = SequenceScorer.score(m, new int[] {ids[4], ids[5]}, null);
        assertEquals(alone.losses()[0], r.losses()[4], 0);
    }

    @Test
    void logitsFileIsAnNpyArrayOfTheScoredPositions() throws Exception {
        Gpt m = model();
        Path run = dir.resolve("run");
        Checkpoint.save(run, m, Models.newOptimizer(m, AdamW.DEFAULTS), TrainSettings.defaults(1, 2, 4, 6e-4, 0, 1L, 0), new TrainState());
        Path ids = dir.resolve("ids.txt");
        Files.writeString(ids, "3\n1\n\n 4 \n1\n5\n9\n");
        Path npy = dir.resolve("l.npy");
        Scoring.Scored s = Scoring.score(run, ids, true, null, npy);
        assertArrayEquals(new int[] {3, 1, 4, 1, 5, 9}, s.ids());
        byte[] b = Files.readAllBytes(npy);
        byte[] header = Npy.header(5, 13);
        assertEquals(0, header.length % 64);
        String text = new String(header, 10, header.length - 10, StandardCharsets.US_ASCII);
        assertEquals("{'descr': '<f4', 'fortran_order': False, 'shape': (5, 13), }", text.strip());
        assertTrue(text.endsWith("\n"));
        assertEquals(header.length + 5 * 13 * 4, b.length);
        assertArrayEquals(header, Arrays.copyOf(b, header.length));
        // row 0 holds the logits after token 3; its log-softmax at id 1 is minus the first loss
        ByteBuffer f = ByteBuffer.wrap(b, header.length, 13 * 4).order(ByteOrder.LITTLE_ENDIAN);
        double[] row = new double[13];
        double max = Double.NEGATIVE_INFINITY, z = 0;
        for (int j = 0; j < 13; j++) max = Math.max(max, row[j] = f.getFloat());
        for (int j = 0; j < 13; j++) z += Math.exp(row[j] - max);
        assertEquals(s.result().losses()[0], -(row[1] - max - Math.log(z)), 1e-6);
    }

    @Test
    void badIdsNameTheLine() throws Exception {
        Path f = dir.resolve("ids.txt");
        Files.writeString(f, "1\n2\nx7\n");
        InputException e = assertThrows(InputException.class, () -> Scoring.readIds(f, 13));
        assertTrue(e.getMessage().contains("line 3"), e.getMessage());
        Files.writeString(f, "1\n13\n");
        e = assertThrows(InputException.class, () -> Scoring.readIds(f, 13));
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("0..12"), e.getMessage());
    }

    @Test
    void npyHeaderOfAVectorHasTheTrailingComma() {
        String t = new String(Npy.header(7), StandardCharsets.US_ASCII);
        assertTrue(t.contains("'shape': (7,)"), t);
        assertEquals(List.of((byte) 0x93, (byte) 'N'), List.of(Npy.header(7)[0], Npy.header(7)[1]));
    }
}
