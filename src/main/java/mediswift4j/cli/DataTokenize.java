package mediswift4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import mediswift4j.data.CorpusTokenizer;
import mediswift4j.data.TokenFile;
import mediswift4j.io.Json;
import mediswift4j.io.OutputPaths;
import mediswift4j.tokenizer.BpeTokenizer;
import mediswift4j.tokenizer.Gpt2Files;

/**
 * `data tokenize --tokenizer DIR --input PATH... --out FILE [--val-fraction F] [--overwrite] [--json]`: corpus files (every format
 * CorpusReader reads; a directory means every corpus file in it) -> one token file (format in SPEC.md section 9).
 */
final class DataTokenize {
    private DataTokenize() {}

    static int run(Args args) throws Exception {
        Path tokDir = Path.of(args.require("tokenizer"));
        List<Path> inputs = new ArrayList<>();
        for (String s : args.words("input")) inputs.add(Path.of(s));
        if (inputs.isEmpty()) throw new UsageException("missing required option --input");
        Path out = Path.of(args.require("out"));
        double fraction = args.number("val-fraction", TokenFile.DEFAULT_VALIDATION_FRACTION, 0, 1, true);
        boolean overwrite = args.flag("overwrite");
        boolean json = args.flag("json");
        args.finish();
        List<Path> read = new ArrayList<>(inputs);
        read.add(tokDir);
        read.addAll(Gpt2Files.paths(tokDir));
        OutputPaths.notAnInput("--out", out, read);
        OutputPaths.newFile("--out", out, overwrite);
        TokenFile tf = tokenize(tokDir, inputs, fraction);
        tf.write(out);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("out", out.toString());
        m.put("tokens", (long) tf.tokens().length);
        m.put("train_tokens", (long) tf.trainCount());
        m.put("validation_tokens", (long) tf.validationCount());
        m.put("vocab_size", (long) tf.vocabSize());
        m.put("bytes_per_id", (long) TokenFile.bytesPerId(tf.vocabSize()));
        if (json) System.out.println(Json.write(m, 2, false));
        else System.err.printf("wrote %s: %,d tokens (%,d train, %,d validation), vocabulary %d%n", out, tf.tokens().length,
                tf.trainCount(), tf.validationCount(), tf.vocabSize());
        return 0;
    }

    private static TokenFile tokenize(Path tokDir, List<Path> inputs, double fraction) {
        CliSupport.TokenizingProgress progress = new CliSupport.TokenizingProgress(System.err);
        try {
            return CorpusTokenizer.tokenize(BpeTokenizer.load(tokDir), inputs, fraction, progress);
        } finally {
            progress.end();
        }
    }
}
