package mediswift4j.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The clocks and the summary statistic every benchmark here uses. Wall time is what a user waits for; CPU time is
 * reported beside it because, on a shared machine, a thread waiting for a core inflates wall time but not CPU time.
 * Each figure is a median over individually timed repetitions, which is robust to the odd preemption.
 */
public final class Clock {
    private Clock() {}

    /** Seconds since a System.nanoTime() reading. */
    public static double secondsSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** The median (upper median for an even count); NaN for an empty list. */
    public static double median(List<Double> values) {
        if (values.isEmpty()) return Double.NaN;
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    /** CPU time of this process (all threads), or -1 when the JVM does not expose it. */
    public static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean) {
            return ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime();
        }
        return -1;
    }

    /**
     * CPU time of the calling thread plus the kernels' worker threads (tensor/Parallel names them
     * "mediswift4j-worker"), at nanosecond resolution, unlike the process clock.
     */
    public static long kernelCpuNanos() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long sum = mx.getCurrentThreadCpuTime();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("mediswift4j-worker")) sum += Math.max(0, mx.getThreadCpuTime(t.getId()));
        }
        return sum;
    }

    /** Rounds to two decimals, the precision the benchmark reports use. */
    public static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
