/**
 * Our checkpoints and other implementations' files: export to and import from GPT-2-named safetensors
 * (CheckpointExport, CheckpointImport, Gpt2Names) and the sparsity audit of any such file (CheckpointAudit).
 * Sits above train, whose checkpoint format it converts; may use io, nn, optim, train, tensor and util.
 */
package mediswift4j.interop;
