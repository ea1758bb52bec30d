package mediswift4j.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import mediswift4j.io.Json;
import mediswift4j.tokenizer.BpeTokenizer;

/**
 * `bench tokenizer`: encoding throughput in MB/s (UTF-8 bytes of input per second) on one text file.
 * Single thread and `--threads T` (the text cut at safe newlines, see BpeTokenizer.safeCuts); every timed run
 * starts with empty pre-token caches (after two untimed runs that warm up the JIT), and the parallel ids are
 * checked to be identical to the single-thread ids. Reports the best of --repeat runs (default 5).
 * Baseline for comparison: tools/bench_tiktoken.mjs (npm tiktoken, WASM) on the same file.
 */
final class BenchTokenizer {
    private BenchTokenizer() {}

    static int run(Args args) throws Exception {
        BpeTokenizer tok = BpeTokenizer.load(Path.of(args.require("tokenizer")));
        Path input = Path.of(args.require("input"));
        int threads = args.threads(1);
        int repeat = args.integer("repeat", 5);
        boolean json = args.flag("json");
        args.finish();
        if (threads < 1 || repeat < 1) throw new UsageException("--threads and --repeat must be at least 1");
        String text = Json.readUtf8(input);
        double mb = text.getBytes(StandardCharsets.UTF_8).length / 1e6;
        PrintStream err = Main.utf8(System.err);

        int[] reference = tok.encode(text); // warm-up (twice, for the JIT), and the ids every other run must give
        tok.clearCache();
        tok.encode(text);
        double best1 = Double.MAX_VALUE;
        for (int r = 0; r < repeat; r++) {
            tok.clearCache();
            long t0 = System.nanoTime();
            int[] ids = tok.encode(text);
            best1 = Math.min(best1, CliSupport.seconds(t0));
            if (!Arrays.equals(ids, reference)) throw new IllegalStateException("encoding is not repeatable");
            err.printf("single thread run %d: %.1f MB/s%n", r + 1, mb / CliSupport.seconds(t0));
        }
        double bestT = Double.MAX_VALUE;
        boolean identical = true;
        if (threads > 1) {
            tok.encodeParallel(text, threads); // warm-up of the worker path
            for (int r = 0; r < repeat; r++) {
                tok.clearCache();
                long t0 = System.nanoTime();
                int[] ids = tok.encodeParallel(text, threads);
                bestT = Math.min(bestT, CliSupport.seconds(t0));
                identical &= Arrays.equals(ids, reference);
                err.printf("%d threads run %d: %.1f MB/s%n", threads, r + 1, mb / CliSupport.seconds(t0));
            }
        }
        Map<String, Object> res = new LinkedHashMap<>();
        res.put("input", input.toString());
        res.put("input_mb", CliSupport.round(mb));
        res.put("tokens", reference.length);
        res.put("single_thread_mb_per_s", CliSupport.round(mb / best1));
        if (threads > 1) {
            res.put("threads", threads);
            res.put("parallel_mb_per_s", CliSupport.round(mb / bestT));
            res.put("parallel_identical", identical);
        }
        PrintStream out = Main.utf8(System.out);
        if (json) out.println(Json.write(res));
        else {
            out.printf("%.2f MB, %d tokens: %.1f MB/s single thread%n", mb, reference.length, mb / best1);
            if (threads > 1) out.printf("%d threads: %.1f MB/s (ids identical: %s)%n", threads, mb / bestT, identical);
        }
        if (!identical) {
            err.println("error: parallel encoding differs from single-thread encoding");
            return 1;
        }
        return 0;
    }
}
