/**
 * Dense fine-tuning and soft prompts on PubMedQA and HoC: examples built from the tasks' templates, batches, the
 * fine-tuner and its checkpoint, likelihood scoring and the two predictors. Above train, pubmedqa and hoc, whose
 * models and data it uses; only the pipeline and the CLI depend on it.
 */
package mediswift4j.finetune;
