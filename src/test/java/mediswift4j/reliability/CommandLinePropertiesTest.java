package mediswift4j.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.statistics.Statistics;

import mediswift4j.TaskTestSupport;
import mediswift4j.data.TokenFile;
import mediswift4j.tensor.Parallel;
import mediswift4j.util.Rng;

/**
 * Issue 17: random command lines built from every command's options (bench and reproduce aside: their valid lines
 * run for minutes) with odd values -- negatives, zero, overflowing and non-numeric numbers, missing files, an
 * output equal to an input, existing outputs with and without --overwrite. Whatever the line, the exit code is 0, 1
 * or 2, stderr holds no stack trace, and no file the line names as an input changes.
 */
class CommandLinePropertiesTest {
    /**
     * Option kinds: INk (an input path, preferably fixture k: 0 text, 1 tokenizer, 2 token file, 3 run, 4 safetensors),
     * OUT (an output path), INT, NUM, FLAG, or a fixed word list.
     */
    private record Opt(String name, String kind, List<String> words) {
        static Opt of(String name, String kind) {
            return new Opt(name, kind, List.of());
        }

        static Opt words(String name, String... w) {
            return new Opt(name, "WORD", List.of(w));
        }
    }

    private static final Map<String, List<Opt>> COMMANDS = new TreeMap<>();

    static {
        Opt in = Opt.of("input", "IN0"), out = Opt.of("out", "OUT"), tok = Opt.of("tokenizer", "IN1"), threads = Opt.of("threads", "INT");
        Opt ow = Opt.of("overwrite", "FLAG"), json = Opt.of("json", "FLAG"), ck = Opt.of("checkpoint", "IN3"), seed = Opt.of("seed", "INT");
        COMMANDS.put("tokenizer train", List.of(in, Opt.of("vocab-size", "INT"), out, Opt.words("text-field", "text", "abstract"), ow, json));
        COMMANDS.put("tokenizer encode", List.of(tok, in, out, Opt.of("allow-special", "FLAG"), threads, ow));
        COMMANDS.put("tokenizer decode", List.of(tok, in, out, ow));
        COMMANDS.put("tokenizer list", List.of(tok, out, ow));
        COMMANDS.put("data tokenize", List.of(tok, in, out, Opt.of("val-fraction", "NUM"), ow, json));
        COMMANDS.put("data pubmedqa-splits", List.of(Opt.of("data", "IN0"), Opt.of("ground-truth", "IN0"), out, ow, json));
        COMMANDS.put("model info", List.of(Opt.words("config", "mediswift-tiny", "nope"), Opt.of("vocab", "INT"), Opt.of("sparsity", "NUM"), json));
        COMMANDS.put("pretrain", List.of(Opt.words("config", "mediswift-tiny", "nope"), Opt.of("sparsity", "NUM"), Opt.of("steps", "INT"),
                Opt.of("batch", "INT"), Opt.of("seq-len", "INT"), Opt.of("lr", "NUM"), Opt.of("warmup", "INT"), seed, Opt.of("data", "IN2"),
                out, Opt.of("checkpoint-every", "INT"), tok, threads, Opt.of("eval-every", "INT"), Opt.of("eval-windows", "INT"),
                Opt.of("accum", "INT"), Opt.of("dropout", "NUM"), Opt.of("weight-decay", "NUM"), Opt.of("clip", "NUM"),
                Opt.of("val-fraction", "NUM"), Opt.of("stop-after", "INT"), ow, json));
        COMMANDS.put("checkpoint info", List.of(json));
        COMMANDS.put("generate", List.of(ck, Opt.words("prompt", "Protein", ""), Opt.of("temperature", "NUM"), Opt.of("top-k", "INT"), seed,
                Opt.of("max-tokens", "INT"), tok, threads, json));
        COMMANDS.put("score", List.of(ck, in, Opt.of("ids", "FLAG"), tok, Opt.of("logits", "OUT"), threads, ow, json));
        COMMANDS.put("finetune", List.of(Opt.words("task", "pubmedqa", "hoc", "x"), ck, Opt.of("data", "IN0"), out, Opt.of("soft-prompt", "INT"),
                Opt.of("epochs", "INT"), Opt.of("lr", "NUM"), Opt.of("batch", "INT"), seed, Opt.of("fold", "INT"), tok, Opt.of("max-len", "INT"),
                threads, Opt.of("warmup-fraction", "NUM"), Opt.words("eval-split", "dev", "none", "x"), ow, json));
        COMMANDS.put("eval pubmedqa", List.of(Opt.of("data", "IN0"), Opt.of("ground-truth", "IN0"), Opt.of("predictions", "IN0"), ck, tok, threads, json));
        COMMANDS.put("eval hoc", List.of(Opt.of("data", "IN0"), Opt.of("predictions", "IN0"), ck, tok, threads, json));
        COMMANDS.put("flops", List.of(Opt.words("config", "mediswift-tiny", "nope"), Opt.of("seq-len", "INT"), Opt.of("tokens", "NUM"),
                Opt.of("sparsity", "NUM"), Opt.of("layers", "INT"), Opt.of("d-model", "INT"), Opt.of("heads", "INT"), Opt.of("vocab", "INT"), json));
        COMMANDS.put("cs2", List.of(Opt.words("config", "mediswift-tiny", "nope"), Opt.of("seq-len", "INT"), Opt.of("batch", "INT"),
                Opt.of("systems", "INT"), Opt.of("sparsity", "NUM"), json));
        COMMANDS.put("export", List.of(ck, out, Opt.words("format", "hf", "torch-linear", "x"), Opt.words("mask-dtype", "u8", "bool", "x"),
                Opt.of("weights-only", "FLAG"), Opt.of("hf-dir", "OUT"), ow, json));
        COMMANDS.put("import", List.of(Opt.of("in", "IN4"), out, Opt.of("heads", "INT"), ow, json));
        COMMANDS.put("verify", List.of(ck, Opt.of("sparsity", "NUM"), Opt.of("tolerance", "NUM"), Opt.of("dense-limit", "NUM"), json));
    }

    /** Half of the numbers are sane (small and valid for every option), half odd. */
    private static final List<String> SANE_INTS = List.of("1", "2");
    private static final List<String> INTS = List.of("-5", "-1", "0", "1", "2", "99999999999", "x", "1.5");
    private static final List<String> NUMS = List.of("-0.5", "0", "0.5", "1", "1.5", "NaN", "1e308", "x");

    private static Path base;
    private static List<Path> inputs;

    /** Inputs shared by every try: a text, a tokenizer, a token file, a one-step run and its safetensors export. */
    private static synchronized void fixture() throws Exception {
        if (base != null) return;
        base = Files.createTempDirectory("msw4j-props");
        Path text = base.resolve("corpus.txt");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 30; i++) sb.append("Kinase ").append(i % 5).append(" binds receptor ").append(i).append(".\n\n");
        Files.writeString(text, sb.toString());
        Path tok = base.resolve("tok");
        TaskTestSupport.cli("tokenizer", "train", "--input", text.toString(), "--vocab-size", "270", "--out", tok.toString());
        Rng rng = new Rng(1);
        int[] ids = new int[800];
        for (int i = 0; i < ids.length; i++) ids[i] = rng.nextInt(270);
        Path tokens = base.resolve("d.tokens");
        new TokenFile(270, ids, TokenFile.validationStart(ids.length, 0.1)).write(tokens);
        Path run = base.resolve("run");
        TaskTestSupport.cli("pretrain", "--config", "mediswift-tiny", "--steps", "1", "--batch", "1", "--seq-len", "4", "--sparsity", "0.5",
                "--data", tokens.toString(), "--tokenizer", tok.toString(), "--out", run.toString());
        Path st = base.resolve("run.safetensors");
        TaskTestSupport.cli("export", "--checkpoint", run.toString(), "--out", st.toString());
        inputs = List.of(text, tok, tokens, run, st, base.resolve("missing.txt"));
        for (Path p : inputs.subList(0, 5)) assertTrue(Files.exists(p), "fixture " + p);
    }

    @Provide
    Arbitrary<List<String>> commandLines() {
        Arbitrary<String> command = Arbitraries.of(new ArrayList<>(COMMANDS.keySet()));
        return command.flatMap(c -> {
            List<Opt> opts = COMMANDS.get(c);
            // each option is given with probability 3/4, so that lines often carry everything a command needs
            Arbitrary<List<Integer>> given = Arbitraries.integers().between(0, 3).list().ofSize(opts.size());
            Arbitrary<List<Integer>> values = Arbitraries.integers().between(0, 1000).list().ofSize(opts.size());
            return Combinators.combine(given, values).as((g, v) -> {
                List<Integer> picks = new ArrayList<>();
                for (int k = 0; k < g.size(); k++) if (g.get(k) != 0) picks.add(k);
                return line(c, opts, picks, v);
            });
        });
    }

    private static List<String> line(String command, List<Opt> opts, List<Integer> picks, List<Integer> values) {
        List<String> argv = new ArrayList<>(List.of(command.split(" ")));
        if (command.equals("checkpoint info")) argv.add("@IN" + values.get(0));
        for (int k : picks) {
            Opt o = opts.get(k);
            int v = values.get(k);
            if (o.name().equals("overwrite") && v % 3 != 0) continue; // rarer, so that refusals of clobbering are reached
            argv.add("--" + o.name());
            switch (o.kind()) {
                case "IN0": case "IN1": case "IN2": case "IN3": case "IN4":
                    // half the time the fixture of the right kind (text, tokenizer, tokens, run, safetensors), else any
                    argv.add("@IN" + (v % 2 == 0 ? o.kind().charAt(2) - '0' : v / 2)); break;
                case "OUT": argv.add("@OUT" + v); break;
                case "INT": argv.add(v % 2 == 0 ? SANE_INTS.get(v / 2 % SANE_INTS.size()) : INTS.get(v / 2 % INTS.size())); break;
                case "NUM": argv.add(v % 2 == 0 ? "0.5" : NUMS.get(v / 2 % NUMS.size())); break;
                case "WORD": argv.add(o.words().get(v % o.words().size())); break;
                default: break;
            }
        }
        return argv;
    }

    @Property(tries = 80)
    void anyCommandLineExitsCleanlyAndKeepsItsInputs(@ForAll("commandLines") List<String> template) throws Exception {
        fixture();
        Path scratch = Files.createTempDirectory(base, "try");
        Files.writeString(scratch.resolve("existing.txt"), "made by the user");
        List<Path> used = new ArrayList<>();
        for (String w : template) if (w.startsWith("@IN")) used.add(inputs.get(Integer.parseInt(w.substring(3)) % inputs.size()));
        List<String> argv = new ArrayList<>();
        for (String w : template) {
            if (w.startsWith("@IN")) {
                argv.add(inputs.get(Integer.parseInt(w.substring(3)) % inputs.size()).toString());
            } else if (w.startsWith("@OUT")) {
                int v = Integer.parseInt(w.substring(4));
                // one of this line's inputs (half the time), an existing file the user made, or a new path
                Path p = v % 4 == 0 ? scratch.resolve("new-" + v) : v % 4 == 1 ? scratch.resolve("existing.txt")
                        : used.isEmpty() ? scratch.resolve("new-" + v) : used.get(v / 4 % used.size());
                argv.add(p.toString());
            } else {
                argv.add(w);
            }
        }
        Map<Path, byte[]> before = new TreeMap<>();
        for (Path p : used) before.put(p, hash(p));
        before.put(scratch.resolve("existing.txt"), hash(scratch.resolve("existing.txt")));
        boolean overwrite = argv.contains("--overwrite");
        int threads = Parallel.threads();
        TaskTestSupport.Result r;
        try {
            r = TaskTestSupport.cli(argv.toArray(new String[0]));
        } finally {
            Parallel.setThreads(threads);
        }
        Statistics.label("exit code").collect(r.code());
        String where = String.join(" ", argv) + "\nexit " + r.code() + "\n" + r.err();
        assertTrue(r.code() >= 0 && r.code() <= 2, where);
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception in thread") || r.err().matches("(?s).*(^|\n)java\\..*"), where);
        for (String line : r.err().split("\n")) {
            if (line.startsWith("error:") || line.startsWith("usage error:")) assertTrue(line.length() > 12, where);
        }
        for (var e : before.entrySet()) {
            boolean userFile = e.getKey().getFileName().toString().equals("existing.txt");
            if (userFile && overwrite) continue; // replacing it was asked for
            assertArrayEquals(e.getValue(), hash(e.getKey()), "changed: " + e.getKey() + "\n" + where);
        }
    }

    @AfterContainer
    static void removeFixture() throws IOException {
        if (base == null) return;
        try (Stream<Path> s = Files.walk(base)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
        base = null;
    }

    /** SHA-256 over a file, or over a directory's files (names and bytes, sorted); empty for a missing path. */
    private static byte[] hash(Path p) throws IOException {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            if (!Files.exists(p)) return new byte[0];
            List<Path> files;
            try (Stream<Path> s = Files.walk(p)) {
                files = s.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().equals(".lock")).sorted().toList();
            }
            for (Path f : files) {
                sha.update(p.relativize(f).toString().getBytes());
                sha.update(Files.readAllBytes(f));
            }
            return sha.digest();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
