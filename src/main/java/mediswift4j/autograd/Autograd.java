package mediswift4j.autograd;

import java.util.ArrayList;
import java.util.List;

import mediswift4j.tensor.Tensor;

/**
 * The whole reverse-mode engine: a tape of backward steps.
 *
 * Every op computes its output eagerly. If any input requires a gradient (and grad mode is on), the op also
 * appends a closure to the tape that, given the output's gradient, adds the inputs' gradients ("+=", so a
 * tensor used twice receives both contributions). {@link #backward} seeds d(loss)/d(loss) = 1 and runs the tape
 * from the end to the start: since the tape is in execution order, every output's gradient is complete before its
 * step runs. Parameter gradients accumulate across backward calls until zeroed (gradient accumulation).
 *
 * The tape belongs to the thread that builds the graph; kernels may use other threads inside one step.
 */
public final class Autograd {
    private Autograd() {}

    /** One recorded op: its output (to know which losses the tape can reach) and its backward step. */
    private record Step(Tensor out, Runnable backward) {}

    private static final class State {
        final List<Step> tape = new ArrayList<>();
        boolean enabled = true;
    }

    private static final ThreadLocal<State> STATE = ThreadLocal.withInitial(State::new);

    /** True when an op with these inputs must record a backward step. */
    public static boolean needsGrad(Tensor... inputs) {
        if (!STATE.get().enabled) return false;
        for (Tensor t : inputs) if (t != null && t.requiresGrad) return true;
        return false;
    }

    /** Marks `out` as requiring grad and records its backward step; a no-op when no input needs a gradient. */
    public static Tensor record(Tensor out, Runnable backward, Tensor... inputs) {
        if (needsGrad(inputs)) {
            out.requiresGrad = true;
            STATE.get().tape.add(new Step(out, backward));
        }
        return out;
    }

    /**
     * Back-propagates from a one-element loss through the tape, then clears the tape. The loss must be a
     * parameter or the output of an op recorded on the current tape: backward on a loss whose steps are gone
     * (back-propagated already, or computed before another loss's backward cleared the tape) would silently
     * produce no gradients, so it throws instead.
     */
    public static void backward(Tensor loss) {
        if (loss.size() != 1) {
            throw new IllegalArgumentException("backward needs a scalar loss, got shape " + loss.shapeString());
        }
        if (!loss.requiresGrad) throw new IllegalStateException("the loss does not depend on any parameter");
        State state = STATE.get();
        List<Step> tape = state.tape;
        if (!loss.parameter && !onTape(tape, loss)) {
            throw new IllegalStateException("backward: the loss was not recorded on this thread's current tape"
                    + " (already back-propagated, computed before another backward or clearTape, or on another thread)");
        }
        loss.grad()[0] += 1f;
        boolean wasEnabled = state.enabled;
        state.enabled = false; // a backward step must never append to the tape it is walking
        try {
            for (int i = tape.size() - 1; i >= 0; i--) tape.get(i).backward().run();
        } finally {
            tape.clear();
            state.enabled = wasEnabled;
        }
    }

    private static boolean onTape(List<Step> tape, Tensor t) {
        for (int i = tape.size() - 1; i >= 0; i--) if (tape.get(i).out() == t) return true; // usually the last step
        return false;
    }

    /** Forgets recorded steps without running them (after an evaluation forward that recorded by mistake). */
    public static void clearTape() {
        STATE.get().tape.clear();
    }

    public static int tapeLength() {
        return STATE.get().tape.size();
    }

    public static boolean isEnabled() {
        return STATE.get().enabled;
    }

    /** `try (var g = Autograd.noGrad()) { ... }`: ops inside record nothing (evaluation, generation). */
    public static NoGrad noGrad() {
        return new NoGrad();
    }

    public static final class NoGrad implements AutoCloseable {
        private final boolean previous;

        private NoGrad() {
            State s = STATE.get();
            previous = s.enabled;
            s.enabled = false;
        }

        @Override
        public void close() {
            STATE.get().enabled = previous;
        }
    }
}
