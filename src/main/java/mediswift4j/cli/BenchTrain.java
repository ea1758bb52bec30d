package mediswift4j.cli;

/** `bench train`: not implemented yet. */
final class BenchTrain {
    private BenchTrain() {}

    static int run(Args args) throws Exception {
        throw new UsageException("'bench train' is not implemented yet");
    }
}
