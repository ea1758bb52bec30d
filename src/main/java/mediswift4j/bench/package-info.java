/**
 * Speed measurements of what a user sees, as library functions: the dense matmul (MatmulThroughput), one masked
 * linear layer dense against compressed (SparseLayerTiming), the full training step (TrainThroughput) and the
 * tokenizer (TokenizerThroughput). The `bench` command parses options, calls one of them and prints the result;
 * JMH micro-benchmarks of single kernels live in src/test/java under the same package name. Figures measured with
 * these, and the commands that reproduce them, are in docs/MEASUREMENTS.md, not in comments.
 */
package mediswift4j.bench;
