package mediswift4j.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import mediswift4j.data.TokenFile;
import mediswift4j.tokenizer.BpeTokenizer;
import mediswift4j.tokenizer.TokenizerHash;
import mediswift4j.util.InputException;

/**
 * A run knows its tokenizer (SPEC.md section 9): the token data carries the SHA-256 of the tokenizer that wrote
 * it, pre-training records that hash in the checkpoint and keeps a copy of the tokenizer's files in RUN/tokenizer/,
 * and a token file is never combined with a different tokenizer or resumed into a run of another tokenizer.
 */
public final class RunTokenizer {
    private RunTokenizer() {}

    /** The subdirectory of a run directory that holds the copy (vocab.json + merges.txt). */
    public static final String DIR = "tokenizer";

    /**
     * The hash the run records: the data's, else the given tokenizer's (a version-1 token file, which carries none),
     * else null. Refuses a given tokenizer (`given`, may be null) or a resumed run's hash (`recorded`, may be null)
     * that differs from the data's.
     */
    public static String check(TokenFile tokens, List<String> data, String given, String recorded) {
        String dataSha = tokens.tokenizerSha256();
        String where = String.join(" ", data);
        String givenSha = null;
        if (given != null) {
            BpeTokenizer tok = BpeTokenizer.load(Path.of(given));
            givenSha = TokenizerHash.sha256(tok);
            if (dataSha != null && !dataSha.equals(givenSha)) {
                throw new InputException(where + ": the tokens were written by tokenizer " + shortHash(dataSha) + ", but --tokenizer " + given
                        + " is tokenizer " + shortHash(givenSha) + " (use the tokenizer that wrote the token file)");
            }
        }
        if (recorded != null && dataSha != null && !recorded.equals(dataSha)) {
            throw new InputException(where + ": the tokens were written by tokenizer " + shortHash(dataSha) + ", but the resumed run was trained on tokenizer "
                    + shortHash(recorded));
        }
        if (recorded != null && givenSha != null && !recorded.equals(givenSha)) {
            throw new InputException("--tokenizer " + given + " is tokenizer " + shortHash(givenSha) + ", but the resumed run was trained on tokenizer "
                    + shortHash(recorded));
        }
        return dataSha != null ? dataSha : givenSha;
    }

    /**
     * Writes RUN/tokenizer/{vocab.json, merges.txt} from `source` unless the run already has a copy; refuses a
     * source whose hash is not the run's (when the run has one).
     */
    public static void keepCopy(Path source, Path run, String runSha) throws IOException {
        Path copy = run.resolve(DIR);
        if (Files.isRegularFile(copy.resolve("vocab.json")) && Files.isRegularFile(copy.resolve("merges.txt"))) return;
        BpeTokenizer tok = BpeTokenizer.load(source);
        String sha = TokenizerHash.sha256(tok);
        if (runSha != null && !runSha.equals(sha)) {
            throw new InputException(source + ": tokenizer " + shortHash(sha) + " is not the run's tokenizer " + shortHash(runSha));
        }
        tok.save(copy);
    }

    static String shortHash(String sha) {
        return "sha256:" + sha.substring(0, 12);
    }
}
