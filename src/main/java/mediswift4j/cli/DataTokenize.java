package mediswift4j.cli;

/** `data tokenize`: not implemented yet. */
final class DataTokenize {
    private DataTokenize() {}

    static int run(Args args) throws Exception {
        throw new UsageException("'data tokenize' is not implemented yet");
    }
}
