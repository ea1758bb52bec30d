package mediswift4j.cli;

/** `flops`: count training FLOPs per layer and pass, dense and sparse. Not implemented yet. */
final class FlopsCommand implements Command {
    @Override
    public String name() {
        return "flops";
    }

    @Override
    public String summary() {
        return "count training FLOPs per layer and pass, dense and sparse";
    }

    @Override
    public String help() {
        return "usage: flops ...\n\ncount training FLOPs per layer and pass, dense and sparse (not implemented yet)";
    }

    @Override
    public int run(Args args) {
        throw new UsageException("'flops' is not implemented yet");
    }
}
