/**
 * The whole MediSwift pipeline at tiny scale (the `reproduce` command, SPEC.md section 16): corpus, tokenizer,
 * pre-training runs, fine-tuning, evaluation, and beside it the report, charts and narrative written from the
 * results alone. The top of the library: may use every package except cli; nothing but cli depends on it.
 */
package mediswift4j.pipeline;
