package mediswift4j.reliability;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import mediswift4j.util.InputException;
import mediswift4j.util.Rng;

/**
 * Feeds mutants of a valid seed file to one loader and checks the loader's contract on each:
 *   - it returns normally (a harmless mutation) or throws InputException whose message names the file;
 *     any other exception or error (NullPointerException, NumberFormatException, OutOfMemoryError, ...) fails;
 *   - it finishes within {@link #TIMEOUT_SECONDS} (no hang; generous because CI machines are shared);
 *   - it allocates at most {@link #MAX_ALLOCATION} bytes (measured per thread by the JVM), so a length field
 *     claiming gigabytes must be refused before anything is allocated for it.
 * The loaders run on one worker thread, where the allocation can be measured and a watchdog can time each input. A failure message
 * holds the mutations, the mutant (base64, when small) and the Rng seed, enough to replay it.
 */
final class FuzzHarness implements AutoCloseable {
    interface Loader {
        void load(Path file) throws Exception;
    }

    static final long TIMEOUT_SECONDS = 20;
    static final long MAX_ALLOCATION = 64L << 20;

    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fuzz-worker");
        t.setDaemon(true); // a hung loader must not keep the test JVM alive
        return t;
    });
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** What the mutants did: loaded fine, or rejected with an InputException. */
    static final class Tally {
        int accepted, rejected;
        long maxAllocated, cpuNanos;
    }

    /** Outcome of one load on the worker: the throwable (null when it loaded) and bytes allocated. */
    private record Outcome(Throwable thrown, long allocated) {}

    /** What the worker is loading now, for the watchdog: a description and its start time. */
    private volatile String current = "";
    private volatile long currentStart;
    private volatile byte[] currentInput = new byte[0];

    /**
     * Runs `count` mutants of `seed` (drawn from Rng(rngSeed)) through `loader`, each written to `file` first.
     * The unmutated seed must load. The batch runs on the worker thread (one hand-off per batch, not per input:
     * on a loaded machine a hand-off can cost milliseconds); this thread watches the time of each input.
     */
    Tally run(String label, byte[] seed, int[] lengthFields, Path file, Loader loader, long rngSeed, int count) throws Exception {
        Future<Tally> f = worker.submit(() -> batch(label, seed, lengthFields, file, loader, rngSeed, count));
        while (true) {
            try {
                return f.get(100, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof Error) throw (Error) e.getCause();
                throw (Exception) e.getCause();
            } catch (TimeoutException e) {
                long ran = System.nanoTime() - currentStart;
                if (ran > TIMEOUT_SECONDS * 1_000_000_000L) {
                    f.cancel(true);
                    throw new AssertionError(label + ": " + current + " did not finish within " + TIMEOUT_SECONDS + " s" + show(currentInput));
                }
            }
        }
    }

    private Tally batch(String label, byte[] seed, int[] lengthFields, Path file, Loader loader, long rngSeed, int count) throws Exception {
        Files.write(file, seed);
        Outcome first = call(loader, file, label, "the seed", seed);
        if (first.thrown != null) throw new AssertionError(label + ": the unmutated seed does not load: " + first.thrown, first.thrown);
        Mutator m = new Mutator(seed, lengthFields);
        Rng rng = new Rng(rngSeed);
        Tally tally = new Tally();
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        for (int i = 0; i < count; i++) {
            byte[] mutant = m.mutate(rng);
            Files.write(file, mutant);
            String what = "mutant " + i + " of Rng(" + rngSeed + ") [" + m.describe() + "]";
            Outcome o = call(loader, file, label, what, mutant);
            tally.maxAllocated = Math.max(tally.maxAllocated, o.allocated);
            if (o.thrown == null) {
                tally.accepted++;
                continue;
            }
            if (!(o.thrown instanceof InputException)) {
                throw new AssertionError(label + ": " + what + " threw " + o.thrown.getClass().getName() + " instead of InputException: "
                        + o.thrown.getMessage() + show(mutant), o.thrown);
            }
            String msg = o.thrown.getMessage();
            if (msg == null || !msg.contains(file.getFileName().toString())) {
                throw new AssertionError(label + ": " + what + ": the InputException does not name the file: " + msg + show(mutant));
            }
            tally.rejected++;
        }
        tally.cpuNanos = THREADS.getCurrentThreadCpuTime() - cpu0;
        return tally;
    }

    /** One crafted input that must be rejected (InputException naming the file) within the allocation limit. */
    InputException expectRejected(String label, byte[] input, Path file, Loader loader) throws Exception {
        Future<Outcome> f = worker.submit(() -> {
            Files.write(file, input);
            return call(loader, file, label, "crafted input", input);
        });
        Outcome o;
        try {
            o = f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof Error) throw (Error) e.getCause();
            throw (Exception) e.getCause();
        }
        if (!(o.thrown instanceof InputException)) {
            throw new AssertionError(label + ": expected an InputException, got " + (o.thrown == null ? "a successful load" : o.thrown), o.thrown);
        }
        if (!o.thrown.getMessage().contains(file.getFileName().toString())) {
            throw new AssertionError(label + ": the message does not name the file: " + o.thrown.getMessage());
        }
        return (InputException) o.thrown;
    }

    /** Loads one input on this (the worker) thread, measuring what it allocates. */
    private Outcome call(Loader loader, Path file, String label, String what, byte[] input) {
        current = what;
        currentInput = input;
        currentStart = System.nanoTime();
        long before = THREADS.getCurrentThreadAllocatedBytes();
        Throwable thrown = null;
        try {
            loader.load(file);
        } catch (Throwable t) {
            thrown = t;
        }
        Outcome o = new Outcome(thrown, THREADS.getCurrentThreadAllocatedBytes() - before);
        if (o.allocated > MAX_ALLOCATION) {
            throw new AssertionError(label + ": " + what + " allocated " + o.allocated + " bytes for a " + input.length
                    + "-byte input (limit " + MAX_ALLOCATION + ")" + (o.thrown == null ? "" : "; it threw " + o.thrown) + show(input));
        }
        return o;
    }

    private static String show(byte[] input) {
        return input.length <= 4096 ? "\n  input (base64): " + Base64.getEncoder().encodeToString(input) : "\n  input: " + input.length + " bytes";
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
