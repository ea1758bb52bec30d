package mediswift4j.cli;

/** `import`: read safetensors weights into a checkpoint. Not implemented yet. */
final class ImportCommand implements Command {
    @Override
    public String name() {
        return "import";
    }

    @Override
    public String summary() {
        return "read safetensors weights into a checkpoint";
    }

    @Override
    public String help() {
        return "usage: import ...\n\nread safetensors weights into a checkpoint (not implemented yet)";
    }

    @Override
    public int run(Args args) {
        throw new UsageException("'import' is not implemented yet");
    }
}
