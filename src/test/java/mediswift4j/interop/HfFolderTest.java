package mediswift4j.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import mediswift4j.TaskTestSupport;
import mediswift4j.io.Json;
import mediswift4j.io.SafeTensors;
import mediswift4j.train.Checkpoint;

/**
 * Hugging Face folders both ways, against numbers from outside: the committed fixtures in src/test/resources/hf
 * hold per-token losses computed by PyTorch (tools/check_hf_folder.py, tools/hf_style_fixture.py) from the very
 * files, so these tests need no Python. transformers-style/ is laid out as save_pretrained writes GPT-2 (prefix,
 * tied lm_head, attention buffers); golden-tiny/ is our `export --hf-dir` of the golden trained model.
 */
class HfFolderTest {
    @TempDir
    Path dir;

    static final Path HF = Path.of("src/test/resources/hf");

    /** {exit code, stdout, stderr} of one command line (TaskTestSupport.cli). */
    static Object[] run(String... argv) {
        TaskTestSupport.Result r = TaskTestSupport.cli(argv);
        return new Object[] {r.code(), r.out(), r.err()};
    }

    /** `score --json` on `model` with the fixture's ids agrees with torch to 1e-5 per token and 8 float32 ulps. */
    void scoresLikeTorch(String model, Path fixture) throws Exception {
        Path npy = dir.resolve("logits.npy");
        Files.deleteIfExists(npy); // score refuses to replace an existing file without --overwrite
        Object[] r = run("score", "--checkpoint", model, "--ids", "--input", fixture.resolve("ids.txt").toString(), "--json", "--logits", npy.toString());
        assertEquals(0, r[0], (String) r[2]);
        Map<?, ?> ours = (Map<?, ?>) Json.parse((String) r[1], "score");
        Map<?, ?> torch = (Map<?, ?>) Json.read(fixture.resolve("torch_scores.json"));
        List<?> a = (List<?>) ours.get("losses"), b = (List<?>) torch.get("losses");
        assertEquals(b.size(), a.size());
        assertEquals(3L, ((Number) ours.get("windows")).longValue());
        for (int i = 0; i < a.size(); i++) {
            float x = ((Number) a.get(i)).floatValue(), y = ((Number) b.get(i)).floatValue();
            assertEquals(y, x, 1e-5, "token " + (i + 1));
            assertTrue(Math.abs(x - y) <= 8 * Math.ulp(Math.max(Math.abs(x), Math.abs(y))), "token " + (i + 1) + ": " + x + " vs " + y);
        }
        double tm = ((Number) torch.get("mean_loss")).doubleValue();
        assertEquals(tm, ((Number) ours.get("mean_loss")).doubleValue(), 1e-5 * tm);
        List<?> row0 = torch.containsKey("logits_row0") ? (List<?>) torch.get("logits_row0") : (List<?>) ((List<?>) torch.get("logits_rows")).get(0);
        byte[] f = Files.readAllBytes(npy);
        ByteBuffer bb = ByteBuffer.wrap(f, 128, row0.size() * 4).order(ByteOrder.LITTLE_ENDIAN); // header of (39, 64) is 128 bytes
        assertEquals(128 + 39 * 64 * 4, f.length);
        for (Object o : row0) assertEquals(((Number) o).floatValue(), bb.getFloat(), 1e-5);
    }

    @Test
    void aTransformersStyleFolderScoresLikeTorchDirectlyAndAfterImport() throws Exception {
        Path fx = HF.resolve("transformers-style");
        scoresLikeTorch(fx.toString(), fx);
        Path imported = dir.resolve("imported");
        Object[] r = run("import", "--in", fx.toString(), "--out", imported.toString(), "--json");
        assertEquals(0, r[0], (String) r[2]);
        Map<?, ?> m = (Map<?, ?>) Json.parse((String) r[1], "import");
        assertEquals(2L, ((Number) ((Map<?, ?>) m.get("config")).get("heads")).longValue()); // from config.json
        assertEquals(5, ((List<?>) m.get("ignored")).size()); // 2 attn.bias, 2 attn.masked_bias, lm_head.weight
        scoresLikeTorch(imported.toString(), fx);
    }

    @Test
    void ourExportHasExactlyTheHfKeysAndScoresLikeTorch() throws Exception {
        Path fx = HF.resolve("golden-tiny");
        scoresLikeTorch(fx.toString(), fx);
        // exporting again gives the committed files byte for byte
        Path out = dir.resolve("hf");
        Object[] r = run("export", "--checkpoint", "src/test/resources/golden/torch_trained.safetensors", "--hf-dir", out.toString(), "--weights-only");
        assertEquals(0, r[0], (String) r[2]);
        for (String f : new String[] {"config.json", "model.safetensors", "sparsity.safetensors"}) {
            assertArrayEquals(Files.readAllBytes(fx.resolve(f)), Files.readAllBytes(out.resolve(f)), f);
        }
        TreeSet<String> want = new TreeSet<>(List.of("transformer.wte.weight", "transformer.wpe.weight", "transformer.ln_f.weight", "transformer.ln_f.bias"));
        for (int i = 0; i < 2; i++) {
            for (String p : new String[] {"ln_1", "attn.c_attn", "attn.c_proj", "ln_2", "mlp.c_fc", "mlp.c_proj"}) {
                want.add("transformer.h." + i + "." + p + ".weight");
                want.add("transformer.h." + i + "." + p + ".bias");
            }
        }
        SafeTensors.Contents c = SafeTensors.read(out.resolve("model.safetensors"));
        assertEquals(want, new TreeSet<>(c.tensors.keySet()));
        assertEquals("pt", c.metadata.get("format"));
        assertArrayEquals(new long[] {32, 96}, c.tensors.get("transformer.h.0.attn.c_attn.weight").shape()); // Conv1D (C, 3C)
        Map<?, ?> cfg = (Map<?, ?>) Json.read(out.resolve("config.json"));
        assertEquals("gpt2", cfg.get("model_type"));
        assertEquals("gelu_new", cfg.get("activation_function"));
        assertEquals(1e-5, ((Number) cfg.get("layer_norm_epsilon")).doubleValue());
        assertEquals(Boolean.TRUE, cfg.get("tie_word_embeddings"));
        assertEquals(List.of(32L, 2L, 2L, 16L, 64L), List.of(cfg.get("n_embd"), cfg.get("n_layer"), cfg.get("n_head"), cfg.get("n_positions"), cfg.get("vocab_size")));
        assertEquals(0, run("verify", "--checkpoint", out.toString(), "--sparsity", "0.5")[0]);
    }

    @Test
    void folderRoundTripKeepsMasksMomentsAndTokenizer() throws Exception {
        Path run = dir.resolve("run");
        assertEquals(0, run("import", "--in", "src/test/resources/golden/torch_trained.safetensors", "--heads", "2", "--out", run.toString())[0]);
        Path tok = Path.of("src/test/resources/tokenizer/gpt2");
        Path out = dir.resolve("hf");
        // the GPT-2 vocabulary is larger than this model's: refused, naming the tokenizer
        Object[] big = run("export", "--checkpoint", run.toString(), "--hf-dir", out.toString(), "--tokenizer", tok.toString());
        assertEquals(1, big[0]);
        assertTrue(((String) big[2]).contains("exceeds the model's 64"), (String) big[2]);
        assertEquals(0, run("export", "--checkpoint", run.toString(), "--hf-dir", out.toString())[0]);
        assertTrue(Files.isRegularFile(out.resolve("optimizer.safetensors")));
        assertTrue(Files.readString(out.resolve("README.md")).contains("50.00%"));
        Path back = dir.resolve("back");
        assertEquals(0, run("import", "--in", out.toString(), "--out", back.toString())[0]);
        Checkpoint.Loaded a = Checkpoint.load(run), b = Checkpoint.load(back);
        assertEquals(Checkpoint.parameterHash(a.model()), Checkpoint.parameterHash(b.model()));
        assertEquals(a.optimizer().stepCount(), b.optimizer().stepCount());
        assertArrayEquals(a.optimizer().secondMoment(3), b.optimizer().secondMoment(3));
    }

    @Test
    void refusesWhatOurModelIsNot() throws Exception {
        Path fx = HF.resolve("transformers-style");
        for (String[] edit : new String[][] {{"\"gelu_new\"", "\"relu\"", "activation_function"}, {"\"gpt2\"", "\"llama\"", "model_type"},
                {"1e-05", "1e-06", "layer_norm_epsilon"}, {"\"n_head\": 2", "\"n_head\": 3", "n_head"}}) {
            Path copy = dir.resolve("bad-" + edit[2]);
            Files.createDirectories(copy);
            Files.copy(fx.resolve("model.safetensors"), copy.resolve("model.safetensors"));
            String cfg = Files.readString(fx.resolve("config.json"));
            assertTrue(cfg.contains(edit[0]), edit[0]);
            Files.writeString(copy.resolve("config.json"), cfg.replace(edit[0], edit[1]));
            Object[] r = run("import", "--in", copy.toString(), "--out", dir.resolve("x").toString());
            assertEquals(1, r[0], edit[2] + ": " + r[2]);
            if (!edit[2].equals("n_head")) assertTrue(((String) r[2]).contains(edit[2]), (String) r[2]);
        }
    }
}
