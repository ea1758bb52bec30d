/**
 * HoC (hallmarks of cancer): BLURB's files, the ten labels, the prompt template and its lenient reader, the
 * metric and the evaluation of prediction files. Depends on io, util and pubmedqa (text normalization) only.
 */
package mediswift4j.hoc;
