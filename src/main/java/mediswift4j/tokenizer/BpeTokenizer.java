package mediswift4j.tokenizer;

import java.nio.file.Path;

/**
 * Byte-level BPE tokenizer (GPT-2 style). STUB: the API other packages code against; the implementation lands
 * with the tokenizer issue.
 */
public final class BpeTokenizer {
    /** Loads vocab.json + merges.txt (Hugging Face GPT-2 format) from a directory. */
    public static BpeTokenizer load(Path dir) {
        throw new UnsupportedOperationException("tokenizer not implemented yet");
    }

    /** Encodes text with special tokens treated as plain text. */
    public int[] encode(String text) {
        throw new UnsupportedOperationException("tokenizer not implemented yet");
    }

    public String decode(int[] ids) {
        throw new UnsupportedOperationException("tokenizer not implemented yet");
    }

    public int vocabSize() {
        throw new UnsupportedOperationException("tokenizer not implemented yet");
    }

    /** Id of <|endoftext|>, or -1 when the vocabulary has none. */
    public int endOfTextId() {
        throw new UnsupportedOperationException("tokenizer not implemented yet");
    }
}
