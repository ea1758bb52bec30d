package mediswift4j.cli;

/** `cs2`: predict step time on a Cerebras CS-2 (weight-streaming model). Not implemented yet. */
final class Cs2Command implements Command {
    @Override
    public String name() {
        return "cs2";
    }

    @Override
    public String summary() {
        return "predict step time on a Cerebras CS-2 (weight-streaming model)";
    }

    @Override
    public String help() {
        return "usage: cs2 ...\n\npredict step time on a Cerebras CS-2 (weight-streaming model) (not implemented yet)";
    }

    @Override
    public int run(Args args) {
        throw new UsageException("'cs2' is not implemented yet");
    }
}
