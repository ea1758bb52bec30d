package mediswift4j.golden;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import mediswift4j.interop.CheckpointExport;
import mediswift4j.io.Json;
import mediswift4j.io.SafeTensors;
import mediswift4j.nn.Gpt;
import mediswift4j.nn.ModelConfig;
import mediswift4j.nn.ModelMasks;
import mediswift4j.train.Checkpoint;
import mediswift4j.util.Rng;

/**
 * The inputs of the PyTorch golden vectors (src/test/resources/golden/): a tiny sparse GPT (L 2, C 32, NH 2,
 * T 16, V 64, sparsity 0.5, seed 1234) initialised and masked by our code and exported in HF layout
 * (model.safetensors), and one batch plus the training hyper-parameters (inputs.json). tools/torch_gpt.py golden
 * reads both and writes torch_golden.safetensors; GoldenVectorsTest compares. Regenerate (only when the model's
 * initialisation or masks change on purpose) with
 *
 *   mvn -q test-compile && java -cp target/classes:target/test-classes mediswift4j.golden.GoldenFixtures src/test/resources/golden
 */
public final class GoldenFixtures {
    private GoldenFixtures() {}

    public static final ModelConfig CONFIG = new ModelConfig("golden-tiny", 2, 32, 2, 16, 64);
    public static final long SEED = 1234;
    public static final double SPARSITY = 0.5;
    public static final int BATCH = 2, SEQ = 16, STEPS = 10, WARMUP = 3;
    public static final double LR = 1e-2, CLIP = 1.0;
    /** One target is the ignore index, so the loss's "mean over counted rows" is exercised too. */
    public static final int IGNORED_POSITION = 5;

    /** The model exactly as pretrain would start it. */
    public static Gpt model() {
        Gpt m = new Gpt(CONFIG);
        ModelMasks.draw(m, SEED, SPARSITY);
        m.initialize(SEED);
        return m;
    }

    /** ids and targets, B*T each: windows of B*(T+1) tokens drawn from derive(SEED, "golden.tokens", 0). */
    public static int[][] batch() {
        Rng rng = Rng.derive(SEED, "golden.tokens", 0);
        int[] ids = new int[BATCH * SEQ], targets = new int[BATCH * SEQ];
        for (int b = 0; b < BATCH; b++) {
            int[] w = new int[SEQ + 1];
            for (int i = 0; i <= SEQ; i++) w[i] = rng.nextInt(CONFIG.vocabSize());
            for (int i = 0; i < SEQ; i++) {
                ids[b * SEQ + i] = w[i];
                targets[b * SEQ + i] = w[i + 1];
            }
        }
        targets[IGNORED_POSITION] = -1;
        return new int[][] {ids, targets};
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "src/test/resources/golden");
        Files.createDirectories(dir);
        Gpt m = model();
        CheckpointExport.Options o = new CheckpointExport.Options(CheckpointExport.Layout.HF, false, true);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put(CheckpointExport.META_LAYOUT, "hf");
        meta.put(CheckpointExport.META_HEADS, Integer.toString(CONFIG.heads()));
        meta.put(CheckpointExport.META_CONFIG, Json.write(Checkpoint.configJson(CONFIG)));
        SafeTensors.write(dir.resolve("model.safetensors"), CheckpointExport.tensors(m, null, o), meta);

        int[][] bt = batch();
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("config", Checkpoint.configJson(CONFIG));
        in.put("seed", SEED);
        in.put("sparsity", SPARSITY);
        in.put("batch", (long) BATCH);
        in.put("seq_len", (long) SEQ);
        in.put("ids", list(bt[0]));
        in.put("targets", list(bt[1]));
        in.put("ignore_index", -1L);
        putSchedule(in, STEPS, LR, WARMUP, CLIP);
        Files.writeString(dir.resolve("inputs.json"), Json.write(in, 1, true) + "\n", StandardCharsets.UTF_8);
    }

    /** The schedule and AdamW settings torch_gpt.py reads, in the order the fixture files hold them. */
    static void putSchedule(Map<String, Object> in, int steps, double lr, int warmup, double clip) {
        in.put("steps", (long) steps);
        in.put("lr", lr);
        in.put("warmup", (long) warmup);
        in.put("total_steps", (long) steps);
        in.put("lr_floor_fraction", 0.1);
        in.put("clip_norm", clip);
        in.put("beta1", 0.9);
        in.put("beta2", 0.95);
        in.put("eps", 1e-8);
        in.put("weight_decay", 0.1);
    }

    private static List<Object> list(int[] a) {
        List<Object> l = new ArrayList<>();
        for (int x : a) l.add((long) x);
        return l;
    }
}
