package mediswift4j.golden;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import mediswift4j.data.Batches;
import mediswift4j.data.TokenFile;
import mediswift4j.interop.CheckpointExport;
import mediswift4j.io.Json;
import mediswift4j.io.SafeTensors;
import mediswift4j.nn.Gpt;
import mediswift4j.nn.ModelMasks;
import mediswift4j.optim.AdamW;
import mediswift4j.train.Checkpoint;
import mediswift4j.train.Models;
import mediswift4j.train.TrainSettings;
import mediswift4j.util.Rng;

/**
 * Inputs of TrainerGoldenTest, the real training loop (train.Trainer.run) against PyTorch: the tiny GPT of
 * {@link GoldenFixtures#CONFIG} at sparsity 0 (no masks), 0.5 (masked, dense kernel) and 0.75 (masked, compressed
 * kernels), trained for {@link #STEPS} steps on a small synthetic token file. This class writes
 *
 *   FIXTURE_DIR/trainer_inputs.json      settings, the batch of every step (as Trainer.run samples it from the
 *                                        data stream derive(seed, "data", 0)), and per sparsity the parameter hash
 *                                        of the model Trainer.fresh starts from
 *   SCRATCH_DIR/trainer_s{0,50,75}.safetensors   those starting models (GPT-2 names, Conv1D layout, masks);
 *                                        not committed: they are regenerated from the seed
 *
 * and tools/torch_gpt.py trainer trains the PyTorch twin from them, writing FIXTURE_DIR/trainer_torch.safetensors.
 * tools/trainer_golden.sh runs both steps.
 */
public final class TrainerGoldenFixtures {
    private TrainerGoldenFixtures() {}

    public static final double[] SPARSITIES = {0.0, 0.5, 0.75};
    public static final int STEPS = 8, BATCH = 2, WARMUP = 2, TOKENS = 400, VALIDATION_TOKENS = 8;
    public static final long SEED = 4321;
    /** lr high enough that eight steps move every weight visibly; clip 0.5 so that clipping is active. */
    public static final double LR = 3e-3, CLIP = 0.5;

    /** "s0", "s50", "s75": the key of a sparsity in the files. */
    public static String key(double sparsity) {
        return "s" + Math.round(sparsity * 100);
    }

    /** Tokens drawn from derive(SEED, "trainer-golden.tokens", 0); the last VALIDATION_TOKENS (fewer than T + 1) are validation, so the loop never validates. */
    public static TokenFile data() {
        Rng r = Rng.derive(SEED, "trainer-golden.tokens", 0);
        int[] ids = new int[TOKENS];
        for (int i = 0; i < TOKENS; i++) ids[i] = r.nextInt(GoldenFixtures.CONFIG.vocabSize());
        return new TokenFile(GoldenFixtures.CONFIG.vocabSize(), ids, TOKENS - VALIDATION_TOKENS);
    }

    public static TrainSettings settings(double sparsity) {
        return new TrainSettings(STEPS, BATCH, GoldenFixtures.SEQ, 1, LR, WARMUP, CLIP, 0f, 0, 16, 0, SEED, sparsity,
                new AdamW.Settings(0.9f, 0.95f, 1e-8f, 0.1f));
    }

    /** The starting model of Trainer.fresh: masks drawn, then initialised, from SEED. */
    public static Gpt freshModel(double sparsity) {
        Gpt m = Models.newModel(GoldenFixtures.CONFIG);
        ModelMasks.draw(m, SEED, sparsity);
        m.initialize(SEED);
        return m;
    }

    public static void main(String[] args) throws IOException {
        Path fixtures = Path.of(args[0]), scratch = Path.of(args[1]);
        Files.createDirectories(fixtures);
        Files.createDirectories(scratch);
        TokenFile data = data();
        Rng stream = Rng.derive(SEED, "data", 0);
        int t = GoldenFixtures.SEQ;
        List<Object> ids = new ArrayList<>(), targets = new ArrayList<>();
        for (int s = 0; s < STEPS; s++) {
            int[] in = new int[BATCH * t], tg = new int[BATCH * t];
            Batches.sample(data.tokens(), data.trainCount(), BATCH, t, stream, in, tg);
            ids.add(list(in));
            targets.add(list(tg));
        }
        Map<String, Object> hashes = new LinkedHashMap<>();
        for (double s : SPARSITIES) {
            Gpt m = freshModel(s);
            hashes.put(key(s), Checkpoint.parameterHash(m));
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("format", "pt");
            meta.put(CheckpointExport.META_LAYOUT, "hf");
            meta.put(CheckpointExport.META_HEADS, Integer.toString(GoldenFixtures.CONFIG.heads()));
            SafeTensors.write(scratch.resolve("trainer_" + key(s) + ".safetensors"),
                    CheckpointExport.tensors(m, null, new CheckpointExport.Options(CheckpointExport.Layout.HF, false, true)), meta);
        }
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("config", Checkpoint.configJson(GoldenFixtures.CONFIG));
        in.put("seed", SEED);
        List<Object> sp = new ArrayList<>();
        for (double s : SPARSITIES) sp.add(key(s));
        in.put("cases", sp);
        in.put("start_hashes", hashes);
        in.put("batch", (long) BATCH);
        in.put("seq_len", (long) t);
        GoldenFixtures.putSchedule(in, STEPS, LR, WARMUP, CLIP);
        in.put("step_ids", ids);
        in.put("step_targets", targets);
        Files.writeString(fixtures.resolve("trainer_inputs.json"), Json.write(in, 1, true) + "\n", StandardCharsets.UTF_8);
    }

    private static List<Object> list(int[] a) {
        List<Object> l = new ArrayList<>();
        for (int x : a) l.add((long) x);
        return l;
    }
}
