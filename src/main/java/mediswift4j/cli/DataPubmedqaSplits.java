package mediswift4j.cli;

/** `data pubmedqa-splits`: not implemented yet. */
final class DataPubmedqaSplits {
    private DataPubmedqaSplits() {}

    static int run(Args args) throws Exception {
        throw new UsageException("'data pubmedqa-splits' is not implemented yet");
    }
}
