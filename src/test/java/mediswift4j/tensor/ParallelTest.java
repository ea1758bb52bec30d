package mediswift4j.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
