package mediswift4j.finetune;

import mediswift4j.nn.Gpt;
import mediswift4j.pubmedqa.PubmedqaPrompt;
import mediswift4j.tokenizer.BpeTokenizer;

/**
 * A model ready to answer one task: the network, its soft prompt (P may be 0), the task ("pubmedqa" or "hoc"),
 * the sequence length T it was tuned with, the number of target tokens kept free after the prompt (reserve, see
 * TaskExamples) and the PubMedQA setting. What FineTuner returns, FineTuneCheckpoint stores and the predictors use.
 */
public record FineTunedModel(Gpt model, SoftPrompt softPrompt, String task, int seqLen, int reserve,
                             PubmedqaPrompt.Setting setting) {
    public static final String PUBMEDQA = "pubmedqa", HOC = "hoc";

    public FineTunedModel {
        if (!task.equals(PUBMEDQA) && !task.equals(HOC)) throw new IllegalArgumentException("unknown task '" + task + "'");
        if (seqLen > model.config().contextLength()) throw new IllegalArgumentException("seq-len exceeds the context length");
        if (setting == null) setting = PubmedqaPrompt.Setting.REASONING_REQUIRED;
    }

    /** Tokens left for the prompt text: T - P - reserve. */
    public int promptBudget() {
        return seqLen - softPrompt.length() - reserve;
    }

    /** A model that was not fine-tuned (e.g. a pre-training checkpoint): no soft prompt, T = context length. */
    public static FineTunedModel zeroShot(Gpt model, String task, BpeTokenizer tok) {
        int t = model.config().contextLength();
        int reserve = task.equals(PUBMEDQA) ? TaskExamples.pubmedqaReserve(tok) : Math.max(1, Math.min(32, t / 4));
        return new FineTunedModel(model, SoftPrompt.none(model.config().dModel()), task, t, reserve, null);
    }
}
