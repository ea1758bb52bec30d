package mediswift4j.data;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads the documents of a corpus file: plain text, JSONL (a named text field), PubMed baseline XML (.xml or
 * .xml.gz: title + abstract) or PubMedQA JSON (questions and contexts). STUB: the API other packages code against;
 * the implementation lands with the tokenizer issue.
 */
public final class CorpusReader {
    private CorpusReader() {}

    /** Calls `sink` with every document of every file (a directory means every corpus file in it, sorted by name). */
    public static void forEachDocument(List<Path> paths, Consumer<String> sink) {
        throw new UnsupportedOperationException("corpus reader not implemented yet");
    }
}
