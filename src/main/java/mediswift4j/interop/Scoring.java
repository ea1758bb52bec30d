package mediswift4j.interop;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import mediswift4j.io.AtomicFiles;
import mediswift4j.io.Npy;
import mediswift4j.nn.SequenceScorer;
import mediswift4j.tokenizer.BpeTokenizer;
import mediswift4j.util.BadRequest;
import mediswift4j.util.InputException;

/**
 * The `score` command's library side: a model from any {@link ModelSource}, a text tokenized with the model's
 * tokenizer or a list of ids, scored by {@link SequenceScorer}; the logits optionally written as a (N - 1, V)
 * float32 .npy file (atomically; the whole array is never held in memory). SPEC.md section 6.
 */
public final class Scoring {
    private Scoring() {}

    /** What was scored and how it scored. */
    public record Scored(ModelSource.Loaded source, int[] ids, String tokenizer, SequenceScorer.Result result) {}

    /**
     * Scores `input`: a UTF-8 text, or with idsInput one decimal id per line (blank lines skipped).
     * tokenizerDir (may be null) overrides the model's own tokenizer; logits (may be null) receives the .npy file.
     */
    public static Scored score(Path checkpoint, Path input, boolean idsInput, String tokenizerDir, Path logits) throws IOException {
        ModelSource.Loaded src = ModelSource.load(checkpoint);
        int vocab = src.model().config().vocabSize();
        String tokDir = tokenizerDir != null ? tokenizerDir : src.tokenizerDir();
        int[] ids;
        if (idsInput) {
            ids = readIds(input, vocab);
        } else {
            if (tokDir == null) throw new BadRequest(checkpoint + " names no tokenizer: give --tokenizer DIR (or --ids)");
            BpeTokenizer tok = src.tokenizer(tokDir);
            ids = tok.encode(readText(input));
        }
        if (ids.length < 2) throw new InputException(input + ": " + ids.length + " token(s); scoring needs at least 2 (the first token is only context)");
        SequenceScorer.Result r;
        if (logits == null) {
            r = SequenceScorer.score(src.model(), ids, null);
        } else {
            SequenceScorer.Result[] holder = new SequenceScorer.Result[1];
            AtomicFiles.write(logits, out -> {
                out.write(Npy.header(ids.length - 1, vocab));
                holder[0] = SequenceScorer.score(src.model(), ids, (values, rows, v) -> Npy.writeFloats(out, values, rows * v));
            });
            r = holder[0];
        }
        return new Scored(src, ids, idsInput ? null : tokDir, r);
    }

    static String readText(Path input) throws IOException {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(input))).toString();
        } catch (NoSuchFileException e) {
            throw new InputException(input + ": no such file");
        } catch (CharacterCodingException e) {
            throw new InputException(input + ": not valid UTF-8 text");
        }
    }

    /** One id per line (surrounding spaces and blank lines allowed); each must be in [0, vocab). */
    public static int[] readIds(Path input, int vocab) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(input, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InputException(input + ": no such file");
        } catch (CharacterCodingException e) {
            throw new InputException(input + ": not valid UTF-8 text");
        }
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String s = lines.get(i).strip();
            if (s.isEmpty()) continue;
            long id;
            try {
                id = Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw new InputException(input + ": line " + (i + 1) + ": \"" + s + "\" is not a token id");
            }
            if (id < 0 || id >= vocab) throw new InputException(input + ": line " + (i + 1) + ": id " + id + " outside the model's vocabulary 0.." + (vocab - 1));
            out.add((int) id);
        }
        int[] ids = new int[out.size()];
        for (int i = 0; i < ids.length; i++) ids[i] = out.get(i);
        return ids;
    }
}
