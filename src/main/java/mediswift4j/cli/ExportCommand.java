package mediswift4j.cli;

/** `export`: write a checkpoint as safetensors with GPT-2 parameter names. Not implemented yet. */
final class ExportCommand implements Command {
    @Override
    public String name() {
        return "export";
    }

    @Override
    public String summary() {
        return "write a checkpoint as safetensors with GPT-2 parameter names";
    }

    @Override
    public String help() {
        return "usage: export ...\n\nwrite a checkpoint as safetensors with GPT-2 parameter names (not implemented yet)";
    }

    @Override
    public int run(Args args) {
        throw new UsageException("'export' is not implemented yet");
    }
}
