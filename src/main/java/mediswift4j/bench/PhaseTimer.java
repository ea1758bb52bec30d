package mediswift4j.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Times a computation made of phases (e.g. forward, input gradient, weight gradient), rep after rep, and keeps
 * each phase's wall seconds, the total and the process CPU seconds per rep. alternate() runs several variants
 * (dense and sparse) turn about within every rep, so on a shared machine a burst of load hits both alike.
 */
final class PhaseTimer {
    final List<Double>[] phase;
    final List<Double> total = new ArrayList<>(), cpu = new ArrayList<>();

    @SuppressWarnings("unchecked")
    PhaseTimer(int phases) {
        phase = new List[phases];
        for (int i = 0; i < phases; i++) phase[i] = new ArrayList<>();
    }

    void addAll(PhaseTimer o) {
        for (int i = 0; i < phase.length; i++) phase[i].addAll(o.phase[i]);
        total.addAll(o.total);
        cpu.addAll(o.cpu);
    }

    /** Medians of a three-phase computation. */
    SparseLayerTiming.Phases medians() {
        return new SparseLayerTiming.Phases(Clock.median(phase[0]), Clock.median(phase[1]), Clock.median(phase[2]),
                Clock.median(total), Clock.median(cpu));
    }

    /**
     * Warms up (at least two rounds and up to 2 s, so C2 has compiled every phase), then times reps rounds in
     * which every variant runs its phases in order.
     */
    static PhaseTimer[] alternate(Runnable[][] variants, int reps) {
        long warmStart = System.nanoTime();
        for (int c = 0; c < 2 || (c < 20000 && System.nanoTime() - warmStart < 2_000_000_000L); c++) {
            for (Runnable[] v : variants) for (Runnable p : v) p.run();
        }
        PhaseTimer[] timers = new PhaseTimer[variants.length];
        for (int v = 0; v < variants.length; v++) timers[v] = new PhaseTimer(variants[v].length);
        for (int r = 0; r < reps; r++) {
            for (int v = 0; v < variants.length; v++) {
                long c0 = Clock.processCpuNanos();
                long start = System.nanoTime(), t0 = start;
                for (int p = 0; p < variants[v].length; p++) {
                    variants[v][p].run();
                    long t1 = System.nanoTime();
                    timers[v].phase[p].add((t1 - t0) / 1e9);
                    t0 = t1;
                }
                long c1 = Clock.processCpuNanos();
                timers[v].total.add((t0 - start) / 1e9);
                timers[v].cpu.add(c0 < 0 ? Double.NaN : (c1 - c0) / 1e9);
            }
        }
        return timers;
    }
}
