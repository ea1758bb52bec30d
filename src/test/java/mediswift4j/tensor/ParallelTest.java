package mediswift4j.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ParallelTest {
    @Test
    @Timeout(20)
    void nestedLoopsFinishAndCoverEveryIndexOnce() {
        int saved = Parallel.threads();
        try {
            Parallel.setThreads(2);
            int[] hits = new int[64 * 64];
            AtomicInteger outerCalls = new AtomicInteger();
            Parallel.forRange(64, 1, (from, to) -> {
                outerCalls.incrementAndGet();
                for (int i = from; i < to; i++) {
                    int row = i;
                    Parallel.forRange(64, 1, (f2, t2) -> {
                        for (int j = f2; j < t2; j++) hits[row * 64 + j]++;
                    });
                }
            });
            for (int h : hits) assertEquals(1, h);
            assertEquals(2, outerCalls.get());
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    @Timeout(20)
    void anErrorInAWorkerChunkReachesTheCallerAndThePoolKeepsWorking() {
        int saved = Parallel.threads();
        try {
            Parallel.setThreads(2);
            IllegalStateException e = assertThrows(IllegalStateException.class, () ->
                    Parallel.forRange(10, 1, (from, to) -> {
                        if (from > 0) throw new IllegalStateException("chunk " + from);
                    }));
            assertEquals("chunk 5", e.getMessage());
            int[] hits = new int[10];
            Parallel.forRange(10, 1, (from, to) -> {
                for (int i = from; i < to; i++) hits[i]++;
            });
            for (int h : hits) assertEquals(1, h);
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    @Timeout(60)
    void concurrentCallersAndThreadCountChangesStayCorrect() throws Exception {
        int saved = Parallel.threads();
        try {
            Parallel.setThreads(3);
            long[][] sums = new long[2][1];
            Thread[] callers = new Thread[2];
            for (int c = 0; c < 2; c++) {
                int id = c;
                callers[c] = new Thread(() -> {
                    for (int rep = 0; rep < 2000; rep++) {
                        long[] part = new long[3];
                        Parallel.forRange(3000, 1, (from, to) -> {
                            long s = 0;
                            for (int i = from; i < to; i++) s += i;
                            synchronized (part) {
                                part[0] += s;
                            }
                        });
                        sums[id][0] += part[0];
                    }
                });
                callers[c].start();
            }
            for (int t = 1; t <= 4; t++) {
                Parallel.setThreads(t);
                Thread.sleep(5);
            }
            for (Thread th : callers) th.join();
            for (long[] s : sums) assertEquals(2000L * (2999L * 3000L / 2), s[0]);
        } finally {
            Parallel.setThreads(saved);
        }
    }
}
