package mediswift4j.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import mediswift4j.bench.TokenizerThroughput;
import mediswift4j.io.Json;
import mediswift4j.tokenizer.BpeTokenizer;

/**
 * `bench tokenizer --tokenizer DIR --input FILE [--threads T] [--repeat R] [--json]`: parses, runs
 * bench/TokenizerThroughput (which says what is timed and how), prints. Exit 1 if the parallel ids differ.
 */
final class BenchTokenizer {
    private BenchTokenizer() {}

    static int run(Args args) throws Exception {
        BpeTokenizer tok = BpeTokenizer.load(Path.of(args.require("tokenizer")));
        Path input = Path.of(args.require("input"));
        int threads = args.integer("threads", 1);
        int repeat = args.integer("repeat", 5);
        boolean json = args.flag("json");
        args.finish();
        if (threads < 1 || repeat < 1) throw new UsageException("--threads and --repeat must be at least 1");
        String text = Json.readUtf8(input);
        PrintStream err = Main.utf8(System.err);

        TokenizerThroughput.Result r = TokenizerThroughput.measure(tok, text, threads, repeat, err::println);
        PrintStream out = Main.utf8(System.out);
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("input", input.toString());
            m.putAll(r.json());
            out.println(Json.write(m));
        } else {
            out.printf("%.2f MB, %d tokens: %.1f MB/s single thread%n", r.megabytes(), r.tokens(), r.singleMbPerSecond());
            if (threads > 1) out.printf("%d threads: %.1f MB/s (ids identical: %s)%n", threads, r.parallelMbPerSecond(), r.parallelIdentical());
        }
        if (!r.parallelIdentical()) {
            err.println("error: parallel encoding differs from single-thread encoding");
            return 1;
        }
        return 0;
    }
}
