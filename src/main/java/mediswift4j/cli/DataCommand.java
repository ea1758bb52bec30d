package mediswift4j.cli;

import mediswift4j.data.TokenFile;

/**
 * `data SUB ...`: prepare data. Sub-commands live in their own classes: `tokenize` (corpus -> token file,
 * DataTokenize) and `pubmedqa-splits` (the official PubMedQA folds, DataPubmedqaSplits).
 */
final class DataCommand implements Command {
    @Override
    public String name() {
        return "data";
    }

    @Override
    public String summary() {
        return "prepare data: token files, PubMedQA splits";
    }

    @Override
    public String help() {
        return String.join("\n",
                "usage: data tokenize --tokenizer DIR --input PATH... --out FILE [--val-fraction F] [--overwrite]",
                "       data pubmedqa-splits --data ori_pqal.json [--ground-truth test_ground_truth.json] --out DIR [--overwrite]",
                "",
                "--val-fraction in [0, 1) (default " + TokenFile.DEFAULT_VALIDATION_FRACTION + "). An existing --out",
                "(a file, or split files in DIR) is replaced only with --overwrite; an output that is an input is refused.");
    }

    @Override
    public int run(Args args) throws Exception {
        String sub = args.positional(0, "data sub-command (tokenize, pubmedqa-splits)");
        switch (sub) {
            case "tokenize": return DataTokenize.run(args);
            case "pubmedqa-splits": return DataPubmedqaSplits.run(args);
            default: throw new UsageException("unknown data sub-command '" + sub + "'");
        }
    }
}
