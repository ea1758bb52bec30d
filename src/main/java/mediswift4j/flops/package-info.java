/**
 * Counting the training FLOPs of the GPT per layer and per pass, dense and sparse (SPEC.md section 10):
 * FlopCounter and its result FlopCount. Used by the trainer's metrics, the CS-2 model, the pipeline and the CLI;
 * depends on nn (ModelConfig) only.
 */
package mediswift4j.flops;
