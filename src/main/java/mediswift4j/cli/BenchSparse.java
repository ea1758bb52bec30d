package mediswift4j.cli;

/** `bench sparse`: not implemented yet. */
final class BenchSparse {
    private BenchSparse() {}

    static int run(Args args) throws Exception {
        throw new UsageException("'bench sparse' is not implemented yet");
    }
}
