package mediswift4j.cli;

/** `pretrain`: pre-train a GPT with static unstructured sparsity. Not implemented yet. */
final class PretrainCommand implements Command {
    @Override
    public String name() {
        return "pretrain";
    }

    @Override
    public String summary() {
        return "pre-train a GPT with static unstructured sparsity";
    }

    @Override
    public String help() {
        return "usage: pretrain ...\n\npre-train a GPT with static unstructured sparsity (not implemented yet)";
    }

    @Override
    public int run(Args args) {
        throw new UsageException("'pretrain' is not implemented yet");
    }
}
