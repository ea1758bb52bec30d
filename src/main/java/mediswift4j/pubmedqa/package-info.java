/**
 * PubMedQA: the data files, the official folds (CPython's random ported), the prompt template, the metrics and
 * the evaluation of prediction files. Depends on io and util only; fine-tuning (finetune) builds on it.
 */
package mediswift4j.pubmedqa;
