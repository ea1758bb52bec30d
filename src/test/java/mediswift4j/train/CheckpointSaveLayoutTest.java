package mediswift4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import mediswift4j.io.Json;
import mediswift4j.nn.Gpt;
import mediswift4j.nn.MaskedLinear;
import mediswift4j.nn.ModelConfig;
import mediswift4j.nn.ModelMasks;
import mediswift4j.optim.AdamW;
import mediswift4j.tensor.Tensor;

/**
 * Checkpoint.save against SPEC.md section 9's layout, read back here byte by byte (not by Checkpoint.load): the
 * preamble, every tensor payload as little-endian float32 or mask bytes in table order, and the SHA-256 of all
 * preceding bytes. The vocabulary (2100 x 8 = 16,800 floats in wte) makes one tensor larger than the writer's and
 * the reader's 64 KB chunks, so the chunk boundaries are crossed both ways. Also: save removes the temporary
 * files a killed writer leaves (".checkpoint.bin.*.tmp") and nothing else.
 */
class CheckpointSaveLayoutTest {
    @TempDir
    Path dir;

    static final ModelConfig WIDE = new ModelConfig("wide-vocab", 1, 8, 2, 4, 2100);

    /** A sparse model with initialised parameters and hand-set moments (m = -w / 8, v = w^2 + j / 2^20). */
    record Saved(Gpt model, AdamW optimizer, TrainSettings settings, TrainState state) {}

    static Saved wideModel() {
        Gpt model = Models.newModel(WIDE);
        ModelMasks.draw(model, 9, 0.5);
        model.initialize(9);
        AdamW opt = Models.newOptimizer(model, AdamW.DEFAULTS);
        List<Tensor> ps = model.parameters();
        float[][] m = new float[ps.size()][], v = new float[ps.size()][];
        for (int i = 0; i < ps.size(); i++) {
            float[] w = ps.get(i).data;
            m[i] = new float[w.length];
            v[i] = new float[w.length];
            for (int j = 0; j < w.length; j++) {
                m[i][j] = w[j] / -8f;
                v[i][j] = w[j] * w[j] + j / 1048576f;
            }
        }
        opt.restore(4, m, v);
        TrainSettings settings = new TrainSettings(10, 1, 4, 1, 1e-3, 1, 1.0, 0f, 5, 1, 5, 9, 0.5, AdamW.DEFAULTS);
        TrainState state = new TrainState();
        state.step = 4;
        state.tokensSeen = 16;
        state.data.add("tokens.bin");
        return new Saved(model, opt, settings, state);
    }

    static byte[] le(float[] f) {
        ByteBuffer b = ByteBuffer.allocate(4 * f.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : f) b.putFloat(x);
        return b.array();
    }

    @Test
    void savedBytesFollowTheDocumentedLayout() throws Exception {
        Saved s = wideModel();
        assertTrue(s.model().parameter("wte.weight").size() > (1 << 16) / 4, "wte must span more than one 64 KB chunk");
        Checkpoint.save(dir, s.model(), s.optimizer(), s.settings(), s.state());
        byte[] b = Files.readAllBytes(dir.resolve("checkpoint.bin"));
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals("MSW4JCKP", new String(b, 0, 8, StandardCharsets.US_ASCII));
        assertEquals(1, bb.getInt(8));
        int h = bb.getInt(12);
        @SuppressWarnings("unchecked")
        Map<String, Object> header = (Map<String, Object>) Json.parse(new String(b, 16, h, StandardCharsets.UTF_8), "header");
        assertEquals(4L, ((Number) header.get("step")).longValue());

        // the payloads in the documented order: params, masks (block order), adam_m, adam_v
        List<Tensor> ps = s.model().parameters();
        int at = 16 + h;
        for (Tensor p : ps) at = expectAt(b, at, le(p.data), "param " + p.name);
        int masks = 0;
        for (MaskedLinear l : s.model().maskedLayers()) {
            at = expectAt(b, at, l.keep(), "mask " + l.weight.name);
            masks++;
        }
        assertEquals(4, masks);
        for (int i = 0; i < ps.size(); i++) at = expectAt(b, at, le(s.optimizer().firstMoment(i)), "adam_m " + ps.get(i).name);
        for (int i = 0; i < ps.size(); i++) at = expectAt(b, at, le(s.optimizer().secondMoment(i)), "adam_v " + ps.get(i).name);
        assertEquals(b.length - 32, at, "the checksum follows the last tensor");
        assertArrayEquals(HandMadeCheckpoint.sha256(Arrays.copyOf(b, b.length - 32)), Arrays.copyOfRange(b, b.length - 32, b.length));
    }

    static int expectAt(byte[] file, int at, byte[] want, String what) {
        assertArrayEquals(want, Arrays.copyOfRange(file, at, at + want.length), what + " at byte " + at);
        return at + want.length;
    }

    /** What was saved loads back with the same values, through the reader's chunked float path. */
    @Test
    void wideCheckpointLoadsBackItsValues() throws Exception {
        Saved s = wideModel();
        Checkpoint.save(dir, s.model(), s.optimizer(), s.settings(), s.state());
        Checkpoint.Loaded c = Checkpoint.load(dir);
        List<Tensor> want = s.model().parameters(), got = c.model().parameters();
        for (int i = 0; i < want.size(); i++) {
            assertArrayEquals(want.get(i).data, got.get(i).data, want.get(i).name);
            assertArrayEquals(s.optimizer().firstMoment(i), c.optimizer().firstMoment(i), want.get(i).name);
            assertArrayEquals(s.optimizer().secondMoment(i), c.optimizer().secondMoment(i), want.get(i).name);
        }
    }

    @Test
    void saveDeletesTheTemporaryFilesOfAKilledWriterAndNothingElse() throws Exception {
        Files.createDirectories(dir);
        List<String> stale = List.of(".checkpoint.bin.12345.tmp", ".checkpoint.bin.x.tmp");
        List<String> kept = List.of("checkpoint.bin.12345.tmp", ".checkpoint.bin.12345.tmp.bak", ".checkpoint.bin.12345", ".other.bin.1.tmp",
                "notes.txt");
        for (String n : stale) Files.write(dir.resolve(n), new byte[] {1, 2, 3});
        for (String n : kept) Files.write(dir.resolve(n), new byte[] {4});
        Path subdir = dir.resolve(".checkpoint.bin.dir.tmp");
        Files.createDirectories(subdir); // a directory of that name is not a writer's file
        Files.write(subdir.resolve("inside"), new byte[] {5});
        Saved s = wideModel();
        Checkpoint.save(dir, s.model(), s.optimizer(), s.settings(), s.state());
        for (String n : stale) assertFalse(Files.exists(dir.resolve(n)), n + " should be deleted");
        for (String n : kept) assertArrayEquals(new byte[] {4}, Files.readAllBytes(dir.resolve(n)), n + " should be kept");
        assertTrue(Files.isDirectory(subdir) && Files.exists(subdir.resolve("inside")));
        assertTrue(Files.isRegularFile(dir.resolve("checkpoint.bin")));
    }
}
