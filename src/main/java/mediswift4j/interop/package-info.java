/**
 * Our checkpoints and other implementations' files: export to and import from GPT-2-named safetensors
 * (CheckpointExport, CheckpointImport, Gpt2Names) and Hugging Face GPT-2 folders (HfFolderExport, HfFolderImport,
 * HfModelCard), the sparsity audit of any such file (CheckpointAudit), a model from whichever of these holds one
 * (ModelSource) and scoring a text or id list with it (Scoring). Sits above train, whose checkpoint format it
 * converts; may use io, nn, optim, tokenizer, train, tensor and util.
 */
package mediswift4j.interop;
