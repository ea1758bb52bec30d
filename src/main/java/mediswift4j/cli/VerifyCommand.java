package mediswift4j.cli;

/** `verify`: check the sparsity invariants of any safetensors checkpoint. Not implemented yet. */
final class VerifyCommand implements Command {
    @Override
    public String name() {
        return "verify";
    }

    @Override
    public String summary() {
        return "check the sparsity invariants of any safetensors checkpoint";
    }

    @Override
    public String help() {
        return "usage: verify ...\n\ncheck the sparsity invariants of any safetensors checkpoint (not implemented yet)";
    }

    @Override
    public int run(Args args) {
        throw new UsageException("'verify' is not implemented yet");
    }
}
