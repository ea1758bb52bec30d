package mediswift4j.cli;

/** `finetune`: fine-tune densely, with or without soft prompts, on PubMedQA or HoC. Not implemented yet. */
final class FinetuneCommand implements Command {
    @Override
    public String name() {
        return "finetune";
    }

    @Override
    public String summary() {
        return "fine-tune densely, with or without soft prompts, on PubMedQA or HoC";
    }

    @Override
    public String help() {
        return "usage: finetune ...\n\nfine-tune densely, with or without soft prompts, on PubMedQA or HoC (not implemented yet)";
    }

    @Override
    public int run(Args args) {
        throw new UsageException("'finetune' is not implemented yet");
    }
}
