package mediswift4j.tensor;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Data parallelism for kernels. Work is always split over independent outputs (rows of a result, heads of an
 * attention), each output computed by exactly one thread in a fixed order, so results are bit-identical for any
 * thread count. The thread count is global: {@link #setThreads} (the CLI's --threads), default all cores.
 *
 * A worker owns a one-job slot; after a job it spins for the next one a little while (as OpenMP runtimes do), then
 * sleeps (LockSupport.park). The caller runs the first chunk itself, then spins briefly (CALLER_SPIN_NANOS) for
 * the workers' chunks before it sleeps too. Spinning is switched off while the machine is oversubscribed (see
 * spinAllowed): on an oversubscribed machine spinning workers made a forRange several times slower than sleeping
 * at once, and an ExecutorService was no faster (and failed when the thread count changed while another thread
 * submitted); figures in docs/MEASUREMENTS.md.
 */
public final class Parallel {
    private Parallel() {}

    /** Body over the half-open range [from, to). */
    public interface RangeBody {
        void run(int from, int to);
    }

    /** How long a caller whose own chunk is done spins for the workers' chunks before it sleeps. */
    private static final long CALLER_SPIN_NANOS = 20_000;
    /**
     * How long a worker spins for its next job before it sleeps, when the machine has a core to spare
     * (-Dmediswift4j.spin=NANOS changes it; 0 makes workers sleep at once).
     */
    private static final long WORKER_SPIN_NANOS = Long.getLong("mediswift4j.spin", 100_000);
    /**
     * Whether workers may spin: only while the system load average stays below the core count (checked at most
     * every half second). On a quiet machine a sleeping worker is slow to wake (a virtual machine's idle core),
     * which costs small matmuls much of their speed; on a machine busy with other jobs a spinning worker holds the
     * core that the thread it just woke needs, which made each hand-over far slower than sleeping
     * (docs/MEASUREMENTS.md).
     */
    private static volatile boolean spinAllowed = true;
    private static volatile long loadCheckedAt;
    private static final java.lang.management.OperatingSystemMXBean OS =
            java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    private static volatile int threads = Runtime.getRuntime().availableProcessors();
    /** threads - 1 workers, started on first use; read and replaced only while holding DISPATCH. */
    private static Worker[] workers;
    /** One caller at a time hands out work; a second caller that finds the workers busy runs its loop alone. */
    private static final ReentrantLock DISPATCH = new ReentrantLock();
    /** True on a thread that is running a forRange body: a nested forRange then runs serially on it. */
    private static final ThreadLocal<Boolean> INSIDE = ThreadLocal.withInitial(() -> false);

    public static void setThreads(int t) {
        if (t < 1) throw new IllegalArgumentException("threads must be at least 1, got " + t);
        DISPATCH.lock();
        try {
            if (t != threads && workers != null) {
                for (Worker w : workers) w.retire();
                workers = null;
            }
            threads = t;
        } finally {
            DISPATCH.unlock();
        }
    }

    public static int threads() {
        return threads;
    }

    /**
     * Runs body over [0, n) in contiguous chunks. `minPerThread` keeps tiny loops on the calling thread, where
     * handing work to another thread would cost more than it saves.
     */
    public static void forRange(int n, int minPerThread, RangeBody body) {
        int wanted = Math.max(1, n / Math.max(1, minPerThread));
        // Nested parallel loops run serially: the outer loop already keeps every core busy. The results are the
        // same either way (split over outputs).
        if (wanted <= 1 || threads <= 1 || n <= 1 || INSIDE.get() || !DISPATCH.tryLock()) {
            body.run(0, n);
            return;
        }
        try {
            long now = System.nanoTime();
            if (now - loadCheckedAt > 500_000_000L) {
                loadCheckedAt = now;
                spinAllowed = OS.getSystemLoadAverage() < OS.getAvailableProcessors();
            }
            int t = Math.min(threads, wanted);
            if (workers == null) {
                workers = new Worker[threads - 1];
                for (int i = 0; i < workers.length; i++) {
                    workers[i] = new Worker();
                    workers[i].start();
                }
            }
            Worker[] ws = workers;
            int chunk = (n + t - 1) / t;
            Job job = new Job(body, Thread.currentThread());
            for (int i = 1; i < t; i++) {
                int from = i * chunk, to = Math.min(n, from + chunk);
                if (from >= to) break;
                job.pending.incrementAndGet();
                ws[i - 1].give(job, from, to);
            }
            Throwable mine = null;
            try {
                runInside(body, 0, Math.min(n, chunk));
            } catch (RuntimeException | Error e) {
                mine = e;
            }
            job.await();
            if (mine != null) rethrow(mine);
            if (job.error != null) rethrow(job.error);
        } finally {
            DISPATCH.unlock();
        }
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

    private static void rethrow(Throwable e) {
        if (e instanceof RuntimeException) throw (RuntimeException) e;
        if (e instanceof Error) throw (Error) e;
        throw new RuntimeException(e);
    }

    /** One forRange call: its body, the chunks still running on workers, and the first error any of them threw. */
    private static final class Job {
        final RangeBody body;
        final Thread caller;
        final AtomicInteger pending = new AtomicInteger();
        volatile Throwable error;

        Job(RangeBody body, Thread caller) {
            this.body = body;
            this.caller = caller;
        }

        void done(Throwable e) {
            if (e != null && error == null) error = e;
            if (pending.decrementAndGet() == 0) LockSupport.unpark(caller);
        }

        /** Spins briefly, then sleeps, until every worker chunk has finished. */
        void await() {
            long spinUntil = System.nanoTime() + CALLER_SPIN_NANOS;
            while (pending.get() > 0) {
                if (System.nanoTime() < spinUntil) Thread.onSpinWait();
                else LockSupport.parkNanos(this, 100_000);
            }
        }
    }

    /** A daemon thread with a one-job slot. */
    private static final class Worker extends Thread {
        private volatile Job job;
        private volatile int from, to;
        private volatile boolean retired;

        Worker() {
            super("mediswift4j-worker");
            setDaemon(true);
        }

        void give(Job j, int from, int to) {
            this.from = from;
            this.to = to;
            this.job = j; // written last: the worker reads the range after seeing the job
            LockSupport.unpark(this);
        }

        void retire() {
            retired = true;
            LockSupport.unpark(this);
        }

        @Override
        public void run() {
            long spinUntil = 0;
            while (!retired) {
                Job j = job;
                if (j == null) {
                    if (spinAllowed && System.nanoTime() < spinUntil) Thread.onSpinWait();
                    else LockSupport.park(this);
                    continue;
                }
                Throwable error = null;
                try {
                    runInside(j.body, from, to);
                } catch (Throwable e) {
                    error = e;
                }
                job = null;
                j.done(error);
                spinUntil = System.nanoTime() + WORKER_SPIN_NANOS;
            }
        }
    }
}
