package mediswift4j.tensor;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * Data parallelism for kernels. Work is always split over independent outputs (rows of a result, heads of an
 * attention), each output computed by exactly one thread in a fixed order, so results are bit-identical for any
 * thread count. The thread count is global: {@link #setThreads} (the CLI's --threads), default all cores.
 */
public final class Parallel {
    private Parallel() {}

    /** Body over the half-open range [from, to). */
    public interface RangeBody {
        void run(int from, int to);
    }

    private static int threads = Runtime.getRuntime().availableProcessors();
    private static ExecutorService pool;
    /** True on a thread that is running a forRange body: a nested forRange then runs serially on it. */
    private static final ThreadLocal<Boolean> INSIDE = ThreadLocal.withInitial(() -> false);

    public static synchronized void setThreads(int t) {
        if (t < 1) throw new IllegalArgumentException("threads must be at least 1, got " + t);
        if (t != threads && pool != null) {
            pool.shutdown();
            pool = null;
        }
        threads = t;
    }

    public static int threads() {
        return threads;
    }

    private static synchronized ExecutorService pool() {
        if (pool == null) {
            pool = Executors.newFixedThreadPool(Math.max(1, threads - 1), r -> {
                Thread th = new Thread(r, "mediswift4j-worker");
                th.setDaemon(true);
                return th;
            });
        }
        return pool;
    }

    private static void runInside(RangeBody body, int from, int to) {
        boolean outer = INSIDE.get();
        INSIDE.set(true);
        try {
            body.run(from, to);
        } finally {
            INSIDE.set(outer);
        }
    }

    /**
     * Runs body over [0, n) in contiguous chunks. `minPerThread` keeps tiny loops on the calling thread, where
     * handing work to another thread would cost more than it saves.
     */
    public static void forRange(int n, int minPerThread, RangeBody body) {
        int t = Math.min(threads, Math.max(1, n / Math.max(1, minPerThread)));
        // Nested parallel loops run serially: waiting on the shared pool from inside it could deadlock, and the
        // outer loop already keeps every core busy. The results are the same either way (split over outputs).
        if (t <= 1 || n <= 1 || INSIDE.get()) {
            body.run(0, n);
            return;
        }
        List<Future<?>> futures = new ArrayList<>(t - 1);
        ExecutorService p = pool();
        int chunk = (n + t - 1) / t;
        for (int i = 1; i < t; i++) {
            int from = i * chunk, to = Math.min(n, from + chunk);
            if (from >= to) break;
            futures.add(p.submit(() -> runInside(body, from, to)));
        }
        runInside(body, 0, Math.min(n, chunk));
        try {
            for (Future<?> f : futures) f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException) throw (RuntimeException) c;
            if (c instanceof Error) throw (Error) c;
            throw new RuntimeException(c);
        }
    }
}
