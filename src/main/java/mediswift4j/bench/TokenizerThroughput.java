package mediswift4j.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import mediswift4j.tokenizer.BpeTokenizer;

/**
 * Encoding throughput in MB/s (UTF-8 bytes of input per second) on one text (what `bench tokenizer` prints), on
 * one thread and, when threads > 1, with the text cut at safe newlines (BpeTokenizer.safeCuts). Every timed run
 * starts with empty pre-token caches, after two untimed runs that warm up the JIT; the parallel ids are checked to
 * be identical to the single-thread ids. The best of the repeated runs is reported.
 * Baseline: tools/bench_tiktoken.mjs (npm tiktoken, WASM) on the same file.
 */
public final class TokenizerThroughput {
    private TokenizerThroughput() {}

    /** parallelSeconds is NaN when threads == 1. */
    public record Result(double megabytes, int tokens, double singleSeconds, int threads, double parallelSeconds,
                         boolean parallelIdentical) {
        public double singleMbPerSecond() {
            return megabytes / singleSeconds;
        }

        public double parallelMbPerSecond() {
            return megabytes / parallelSeconds;
        }

        /** The JSON object `bench tokenizer --json` prints (the input path is added by the caller). */
        public Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("input_mb", round3(megabytes));
            m.put("tokens", tokens);
            m.put("single_thread_mb_per_s", round3(singleMbPerSecond()));
            if (threads > 1) {
                m.put("threads", threads);
                m.put("parallel_mb_per_s", round3(parallelMbPerSecond()));
                m.put("parallel_identical", parallelIdentical);
            }
            return m;
        }
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    /** Times repeat runs on one thread, then repeat runs on threads; each run's MB/s goes to progress. */
    public static Result measure(BpeTokenizer tok, String text, int threads, int repeat, Consumer<String> progress)
            throws InterruptedException {
        double mb = text.getBytes(StandardCharsets.UTF_8).length / 1e6;
        int[] reference = tok.encode(text); // the ids every other run must give
        tok.clearCache();
        tok.encode(text);
        double best1 = Double.MAX_VALUE;
        for (int r = 0; r < repeat; r++) {
            tok.clearCache();
            long t0 = System.nanoTime();
            int[] ids = tok.encode(text);
            double s = Clock.secondsSince(t0);
            best1 = Math.min(best1, s);
            if (!Arrays.equals(ids, reference)) throw new IllegalStateException("encoding is not repeatable");
            progress.accept(String.format("single thread run %d: %.1f MB/s", r + 1, mb / s));
        }
        double bestT = Double.NaN;
        boolean identical = true;
        if (threads > 1) {
            bestT = Double.MAX_VALUE;
            tok.encodeParallel(text, threads); // warm-up of the worker path
            for (int r = 0; r < repeat; r++) {
                tok.clearCache();
                long t0 = System.nanoTime();
                int[] ids = tok.encodeParallel(text, threads);
                double s = Clock.secondsSince(t0);
                bestT = Math.min(bestT, s);
                identical &= Arrays.equals(ids, reference);
                progress.accept(String.format("%d threads run %d: %.1f MB/s", threads, r + 1, mb / s));
            }
        }
        return new Result(mb, reference.length, best1, threads, bestT, identical);
    }
}
