package mediswift4j.cli;

/** `eval`: score PubMedQA or HoC predictions, or a checkpoint. Not implemented yet. */
final class EvalCommand implements Command {
    @Override
    public String name() {
        return "eval";
    }

    @Override
    public String summary() {
        return "score PubMedQA or HoC predictions, or a checkpoint";
    }

    @Override
    public String help() {
        return "usage: eval ...\n\nscore PubMedQA or HoC predictions, or a checkpoint (not implemented yet)";
    }

    @Override
    public int run(Args args) {
        throw new UsageException("'eval' is not implemented yet");
    }
}
