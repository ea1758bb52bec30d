package mediswift4j.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import mediswift4j.data.CorpusReader;
import mediswift4j.io.AtomicFiles;
import mediswift4j.io.Json;
import mediswift4j.io.OutputPaths;
import mediswift4j.tokenizer.BpeTokenizer;
import mediswift4j.tokenizer.BpeTrainer;
import mediswift4j.tokenizer.Gpt2Files;
import mediswift4j.util.InputException;

/** `tokenizer`: train, encode, decode and list byte-level BPE tokenizers (GPT-2 format files). */
final class TokenizerCommand implements Command {
    @Override
    public String name() {
        return "tokenizer";
    }

    @Override
    public String summary() {
        return "train, encode, decode and list byte-level BPE tokenizers";
    }

    @Override
    public String help() {
        return String.join("\n",
                "usage: tokenizer train --input PATH... --vocab-size N --out DIR [--text-field NAME] [--overwrite] [--json]",
                "       tokenizer encode --tokenizer DIR --input FILE [--out FILE] [--allow-special] [--threads T] [--overwrite]",
                "       tokenizer decode --tokenizer DIR --input FILE [--out FILE] [--overwrite]",
                "       tokenizer list --tokenizer DIR [--out FILE] [--overwrite]",
                "",
                "train   learns a byte-level BPE vocabulary (GPT-2 rules; <|endoftext|> gets the last id) from corpus",
                "        files: .txt (blank-line separated documents), .jsonl (field --text-field, default 'text'),",
                "        .xml (PubMed baseline: title + abstract), .json (PubMedQA: question + contexts), each",
                "        optionally .gz, or directories of them; writes DIR/vocab.json and DIR/merges.txt",
                "encode  writes the token ids of a UTF-8 text file, one per line; <|endoftext|> in the text is",
                "        plain text unless --allow-special",
                "decode  reads ids (one per line) and writes the bytes they stand for",
                "list    one line per token: id, text (escaped), and how it is made (byte, merge L + R, special)",
                "DIR may hold vocab.json + merges.txt or GPT-2's encoder.json + vocab.bpe.",
                "--vocab-size in [257, 16777216]; --threads in [1, 4 x cores]. An existing output is replaced only with",
                "--overwrite; an output that is one of the inputs is refused.");
    }

    @Override
    public int run(Args args) throws Exception {
        String verb = args.positional(0, "sub-command (train, encode, decode, list)");
        switch (verb) {
            case "train": return train(args);
            case "encode": return encode(args);
            case "decode": return decode(args);
            case "list": return list(args);
            default: throw new UsageException("unknown tokenizer sub-command '" + verb + "'");
        }
    }

    private static int train(Args args) throws IOException {
        List<Path> inputs = new ArrayList<>();
        for (String w : args.words("input")) inputs.add(Path.of(w));
        if (inputs.isEmpty()) throw new UsageException("missing required option --input");
        if (!args.has("vocab-size")) throw new UsageException("missing required option --vocab-size");
        int vocabSize = args.integer("vocab-size", -1, 257, MAX_VOCAB); // 257 = 256 bytes + <|endoftext|>
        Path out = Path.of(args.require("out"));
        String field = args.string("text-field", "text");
        boolean overwrite = args.flag("overwrite");
        boolean json = args.flag("json");
        args.finish();
        List<Path> written = new ArrayList<>(Gpt2Files.paths(out));
        written.add(out);
        OutputPaths.notAnInput("--out", written, inputs);
        OutputPaths.runDirectory("--out", out, false, overwrite, null, "vocab.json", "merges.txt");
        PrintStream err = Main.utf8(System.err);

        long t0 = System.nanoTime();
        BpeTrainer trainer = new BpeTrainer();
        Throttle throttle = new Throttle();
        CorpusReader.Stats stats = CorpusReader.forEachDocument(inputs, field, doc -> {
            trainer.addDocument(doc);
            if (throttle.due()) {
                err.printf("counting: %d documents, %.1f M chars, %d unique pre-tokens, %.1f s%n",
                        trainer.documents(), trainer.chars() / 1e6, trainer.uniqueWords(), CliSupport.seconds(t0));
            }
        });
        if (stats.documents == 0) throw new InputException(inputs + ": the corpus has no documents");
        double countSeconds = CliSupport.seconds(t0);
        err.printf("counted: %d files, %d documents, %.1f M chars, %d unique pre-tokens in %.1f s%s%n",
                stats.files, stats.documents, stats.chars / 1e6, trainer.uniqueWords(), countSeconds,
                stats.skippedArticles > 0 ? " (" + stats.skippedArticles + " PubMed articles without abstract skipped)" : "");
        long t1 = System.nanoTime();
        BpeTokenizer tok = trainer.train(vocabSize, (phase, done, total) -> {
            if (throttle.due() || done == total) {
                double s = CliSupport.seconds(t1);
                double eta = done > 0 ? s * (total - done) / done : 0;
                err.printf("merges: %d / %d  %.1f s  ETA %.1f s%n", done, total, s, eta);
            }
        });
        double mergeSeconds = CliSupport.seconds(t1);
        tok.save(out);
        if (tok.vocabSize() < vocabSize) {
            err.printf("note: the corpus ran out of pairs; vocabulary has %d tokens, not %d%n", tok.vocabSize(), vocabSize);
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("out", out.toString());
        r.put("vocab_size", tok.vocabSize());
        r.put("merges", tok.mergeCount());
        r.put("end_of_text_id", tok.endOfTextId());
        r.put("documents", stats.documents);
        r.put("chars", stats.chars);
        r.put("unique_pretokens", trainer.uniqueWords());
        r.put("count_seconds", CliSupport.round(countSeconds));
        r.put("merge_seconds", CliSupport.round(mergeSeconds));
        r.put("total_seconds", CliSupport.round(CliSupport.seconds(t0)));
        PrintStream o = Main.utf8(System.out);
        if (json) o.println(Json.write(r));
        else o.printf("wrote %s (vocab %d, %d merges) in %.1f s%n", out, tok.vocabSize(), tok.mergeCount(), CliSupport.seconds(t0));
        return 0;
    }

    private static int encode(Args args) throws Exception {
        Path tokDir = Path.of(args.require("tokenizer"));
        Path input = Path.of(args.require("input"));
        String outName = args.string("out", null);
        boolean allowSpecial = args.flag("allow-special");
        int threads = args.threads(1);
        boolean overwrite = args.flag("overwrite");
        args.finish();
        checkOut(outName, overwrite, tokDir, input);
        BpeTokenizer tok = BpeTokenizer.load(tokDir);
        String text = Json.readUtf8(input);
        int[] ids = allowSpecial ? tok.encode(text, Set.copyOf(tok.specialTokens().keySet()))
                : tok.encodeParallel(text, threads);
        StringBuilder sb = new StringBuilder(ids.length * 6);
        for (int id : ids) sb.append(id).append('\n');
        writeOut(outName, sb.toString().getBytes(StandardCharsets.US_ASCII));
        Main.utf8(System.err).printf("%d chars -> %d tokens%n", text.length(), ids.length);
        return 0;
    }

    private static int decode(Args args) throws IOException {
        Path tokDir = Path.of(args.require("tokenizer"));
        Path input = Path.of(args.require("input"));
        String outName = args.string("out", null);
        boolean overwrite = args.flag("overwrite");
        args.finish();
        checkOut(outName, overwrite, tokDir, input);
        BpeTokenizer tok = BpeTokenizer.load(tokDir);
        String text = Json.readUtf8(input);
        String[] lines = text.split("\n", -1);
        int[] ids = new int[lines.length];
        int n = 0;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) continue;
            int id;
            try {
                id = Integer.parseInt(line);
            } catch (NumberFormatException e) {
                throw new InputException(input + ":" + (i + 1) + ": expected a token id, found \"" + line + "\"");
            }
            if (id < 0 || id >= tok.vocabSize()) {
                throw new InputException(input + ":" + (i + 1) + ": token id " + id + " outside the vocabulary (size " + tok.vocabSize() + ")");
            }
            ids[n++] = id;
        }
        writeOut(outName, tok.decodeBytes(java.util.Arrays.copyOf(ids, n)));
        return 0;
    }

    private static int list(Args args) throws IOException {
        Path tokDir = Path.of(args.require("tokenizer"));
        String outName = args.string("out", null);
        boolean overwrite = args.flag("overwrite");
        args.finish();
        checkOut(outName, overwrite, tokDir, null);
        BpeTokenizer tok = BpeTokenizer.load(tokDir);
        StringBuilder sb = new StringBuilder();
        Gpt2Files.list(tok, sb);
        writeOut(outName, sb.toString().getBytes(StandardCharsets.UTF_8));
        return 0;
    }

    private static final int MAX_VOCAB = 1 << 24;

    /** --out FILE (when given) is neither the input nor a tokenizer file, and exists only with --overwrite. */
    private static void checkOut(String outName, boolean overwrite, Path tokDir, Path input) {
        if (outName == null) return;
        List<Path> read = new ArrayList<>(Gpt2Files.paths(tokDir));
        read.add(tokDir);
        if (input != null) read.add(input);
        OutputPaths.notAnInput("--out", Path.of(outName), read);
        OutputPaths.newFile("--out", Path.of(outName), overwrite);
    }

    private static void writeOut(String outName, byte[] bytes) throws IOException {
        if (outName == null) {
            OutputStream o = System.out;
            o.write(bytes);
            o.flush();
        } else {
            AtomicFiles.write(Path.of(outName), out -> out.write(bytes));
        }
    }

    /** True at most once a second: keeps progress lines readable. */
    static final class Throttle {
        private long last = System.nanoTime();

        boolean due() {
            long now = System.nanoTime();
            if (now - last < 1_000_000_000L) return false;
            last = now;
            return true;
        }
    }
}
