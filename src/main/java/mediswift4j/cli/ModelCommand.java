package mediswift4j.cli;

/** `model`: list model presets and print parameter counts. Not implemented yet. */
final class ModelCommand implements Command {
    @Override
    public String name() {
        return "model";
    }

    @Override
    public String summary() {
        return "list model presets and print parameter counts";
    }

    @Override
    public String help() {
        return "usage: model ...\n\nlist model presets and print parameter counts (not implemented yet)";
    }

    @Override
    public int run(Args args) {
        throw new UsageException("'model' is not implemented yet");
    }
}
