package mediswift4j.cli;

/** `checkpoint`: inspect a checkpoint (config, step, sparsity, hash). Not implemented yet. */
final class CheckpointCommand implements Command {
    @Override
    public String name() {
        return "checkpoint";
    }

    @Override
    public String summary() {
        return "inspect a checkpoint (config, step, sparsity, hash)";
    }

    @Override
    public String help() {
        return "usage: checkpoint ...\n\ninspect a checkpoint (config, step, sparsity, hash) (not implemented yet)";
    }

    @Override
    public int run(Args args) {
        throw new UsageException("'checkpoint' is not implemented yet");
    }
}
