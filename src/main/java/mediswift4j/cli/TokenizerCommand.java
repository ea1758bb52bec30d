package mediswift4j.cli;

/** `tokenizer`: train, encode, decode and list byte-level BPE tokenizers. Not implemented yet. */
final class TokenizerCommand implements Command {
    @Override
    public String name() {
        return "tokenizer";
    }

    @Override
    public String summary() {
        return "train, encode, decode and list byte-level BPE tokenizers";
    }

    @Override
    public String help() {
        return "usage: tokenizer ...\n\ntrain, encode, decode and list byte-level BPE tokenizers (not implemented yet)";
    }

    @Override
    public int run(Args args) {
        throw new UsageException("'tokenizer' is not implemented yet");
    }
}
