package mediswift4j.cli;

/** `data`: prepare data: token files, PubMedQA splits. Not implemented yet. */
final class DataCommand implements Command {
    @Override
    public String name() {
        return "data";
    }

    @Override
    public String summary() {
        return "prepare data: token files, PubMedQA splits";
    }

    @Override
    public String help() {
        return "usage: data ...\n\nprepare data: token files, PubMedQA splits (not implemented yet)";
    }

    @Override
    public int run(Args args) {
        throw new UsageException("'data' is not implemented yet");
    }
}
