package mediswift4j.cli;

/** `bench tokenizer`: not implemented yet. */
final class BenchTokenizer {
    private BenchTokenizer() {}

    static int run(Args args) throws Exception {
        throw new UsageException("'bench tokenizer' is not implemented yet");
    }
}
