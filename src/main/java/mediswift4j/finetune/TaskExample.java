package mediswift4j.finetune;

/**
 * One tokenized fine-tuning or scoring example: the prompt tokens (already truncated to the budget) and the
 * target tokens that follow them (after the soft prompt, if any). The loss is computed on the target tokens
 * only. id names the item (a PubMedQA PMID or a HoC sentence index) for error messages and predictions.
 */
public record TaskExample(String id, int[] prompt, int[] target) {
    /** Tokens of the whole sequence without soft-prompt positions. */
    public int length() {
        return prompt.length + target.length;
    }
}
