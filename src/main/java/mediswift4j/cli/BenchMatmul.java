package mediswift4j.cli;

/** `bench matmul`: not implemented yet. */
final class BenchMatmul {
    private BenchMatmul() {}

    static int run(Args args) throws Exception {
        throw new UsageException("'bench matmul' is not implemented yet");
    }
}
