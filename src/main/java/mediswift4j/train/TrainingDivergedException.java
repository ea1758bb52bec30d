package mediswift4j.train;

/**
 * Training produced a NaN or an infinity (in the loss, a gradient or a parameter) and was stopped before the bad
 * values could reach a checkpoint. The message names the step and the tensor; the last checkpoint written before
 * it is left as it was. The CLI reports it on one line and exits with code 1.
 */
public final class TrainingDivergedException extends RuntimeException {
    private final long step;
    private final String tensor;

    public TrainingDivergedException(long step, String tensor, String message) {
        super(message);
        this.step = step;
        this.tensor = tensor;
    }

    /** The 1-based step whose update was refused. */
    public long step() {
        return step;
    }

    /** "loss", or the GPT-2 name of the parameter whose gradient (or value) is not finite. */
    public String tensor() {
        return tensor;
    }
}
