package mediswift4j.interop;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import mediswift4j.nn.Gpt;
import mediswift4j.tokenizer.BpeTokenizer;
import mediswift4j.tokenizer.TokenizerHash;
import mediswift4j.train.Checkpoint;
import mediswift4j.train.RunTokenizer;
import mediswift4j.train.TrainState;
import mediswift4j.util.InputException;

/**
 * A model to use (score, generate, export) from whatever holds one, and the tokenizer that goes with it
 * (SPEC.md section 14, "What `--checkpoint` accepts"):
 *   - a run directory with checkpoint.bin (pre-training, fine-tuning, `import`), or the checkpoint.bin file itself;
 *   - a Hugging Face GPT-2 folder (config.json + model.safetensors, see {@link HfFolderImport});
 *   - a GPT-2-named .safetensors file (see {@link CheckpointImport}).
 * The tokenizer is, in this order: the run directory's own copy (DIR/tokenizer/, written by pre-training), the
 * folder itself when it holds vocab.json and merges.txt (an HF folder), or the directory recorded in the run state;
 * null when there is none.
 */
public final class ModelSource {
    private ModelSource() {}

    /** The subdirectory of a run that holds its tokenizer's files. */
    public static final String TOKENIZER_DIR = RunTokenizer.DIR;

    /** A model, its run state (or defaults), as a checkpoint, its tokenizer directory (null when none is known), kind. */
    public record Loaded(Gpt model, TrainState state, Checkpoint.Loaded checkpoint, String tokenizerDir, String kind) {
        /** The model's own tokenizer (an InputException when none is known). */
        public BpeTokenizer tokenizer() {
            return tokenizer(null);
        }

        /**
         * The tokenizer in `dir` (null: the model's own); refuses one that is not the run's (when the run records a
         * hash) or whose vocabulary is larger than the model's.
         */
        public BpeTokenizer tokenizer(String dir) {
            if (dir == null) dir = tokenizerDir;
            if (dir == null) throw new InputException("the model names no tokenizer (give one with --tokenizer DIR)");
            BpeTokenizer tok = BpeTokenizer.load(Path.of(dir));
            String sha = state.tokenizerSha256;
            if (sha != null && !sha.equals(TokenizerHash.sha256(tok))) {
                throw new InputException(dir + ": not the tokenizer this model was trained with (run tokenizer sha256:" + sha.substring(0, 12)
                        + ", this one sha256:" + TokenizerHash.sha256(tok).substring(0, 12) + ")");
            }
            if (tok.vocabSize() > model.config().vocabSize()) {
                throw new InputException(dir + ": tokenizer vocabulary " + tok.vocabSize() + " exceeds the model's " + model.config().vocabSize());
            }
            return tok;
        }
    }

    public static Loaded load(Path path) {
        if (Files.isRegularFile(path) && path.getFileName().toString().endsWith(".safetensors")) {
            CheckpointImport.Imported im = CheckpointImport.read(path, null);
            return new Loaded(im.model(), im.state(), asLoaded(im), im.state().tokenizer, "safetensors");
        }
        if (HfFolderImport.isFolder(path)) {
            CheckpointImport.Imported im = HfFolderImport.read(path, null);
            String tok = hasTokenizerFiles(path) ? path.toString() : ownCopy(path, im.state().tokenizer);
            return new Loaded(im.model(), im.state(), asLoaded(im), tok, "hf-folder");
        }
        if (!Files.exists(path)) throw new InputException(path + ": no such file or directory");
        Checkpoint.Loaded ck = Checkpoint.load(path);
        Path dir = Files.isDirectory(path) ? path : path.toAbsolutePath().getParent();
        String kind = Files.isRegularFile(dir.resolve("finetune.bin")) ? "fine-tuned" : "checkpoint";
        return new Loaded(ck.model(), ck.state(), ck, ownCopy(dir, ck.state().tokenizer), kind);
    }

    /** An imported model as a loaded checkpoint (masks installed in the model; no file header). */
    public static Checkpoint.Loaded asLoaded(CheckpointImport.Imported im) {
        Map<String, byte[]> masks = new LinkedHashMap<>();
        for (var l : im.model().maskedLayers()) if (l.keep() != null) masks.put(l.weight.name, l.keep());
        return new Checkpoint.Loaded(im.model(), masks, im.optimizer(), im.settings(), im.state(), Map.of());
    }

    private static String ownCopy(Path dir, String recorded) {
        Path copy = dir.resolve(TOKENIZER_DIR);
        return hasTokenizerFiles(copy) ? copy.toString() : recorded;
    }

    /** True when dir holds vocab.json and merges.txt (or GPT-2's encoder.json and vocab.bpe). */
    public static boolean hasTokenizerFiles(Path dir) {
        return (Files.isRegularFile(dir.resolve("vocab.json")) && Files.isRegularFile(dir.resolve("merges.txt")))
                || (Files.isRegularFile(dir.resolve("encoder.json")) && Files.isRegularFile(dir.resolve("vocab.bpe")));
    }
}
