package mediswift4j.report;

import java.util.ArrayList;
import java.util.List;

import mediswift4j.tokenizer.BpeTokenizer;

/**
 * The downstream half of the reproduction: each pre-trained model fine-tuned densely, with and without a soft
 * prompt, on PubMedQA and HoC, then evaluated, plus the majority baseline. (Placeholder until fine-tuning lands.)
 */
final class Downstream {
    private Downstream() {}

    static List<Object> run(Reproduction.Options options, Reproduction.Plan plan, BpeTokenizer tokenizer,
                            List<PretrainRun> runs, Reproduction.Log log) {
        log.line("[downstream] fine-tuning is not wired in yet; the downstream table is empty");
        return new ArrayList<>();
    }
}
