package mediswift4j.cli;

/** `generate`: sample a continuation from a checkpoint. Not implemented yet. */
final class GenerateCommand implements Command {
    @Override
    public String name() {
        return "generate";
    }

    @Override
    public String summary() {
        return "sample a continuation from a checkpoint";
    }

    @Override
    public String help() {
        return "usage: generate ...\n\nsample a continuation from a checkpoint (not implemented yet)";
    }

    @Override
    public int run(Args args) {
        throw new UsageException("'generate' is not implemented yet");
    }
}
