package mediswift4j.finetune;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import mediswift4j.hoc.HocMetrics;
import mediswift4j.hoc.HocPrompt;
import mediswift4j.hoc.HocSentence;
import mediswift4j.tokenizer.BpeTokenizer;

/**
 * HoC labels from a model by generation (SPEC.md section 12): for each sentence, greedy decoding after
 * prompt + soft prompt, up to `reserve` tokens (the longest training target), stopping at <|endoftext|>; the
 * decoded text goes through HocPrompt.parseTarget (lenient: unknown pieces and "none" add no label), so every
 * sentence gets a mask and nothing is unparsable. Sentence masks are then scored by HocMetrics (OR per abstract).
 *
 * Why generation: the training target is the label text of HocPrompt (BioGPT's formulation), one example per
 * sentence, and most sentences have no label, so decoding usually stops after " none" and <|endoftext|>. The
 * alternative (ten yes/no likelihood comparisons per sentence) needs ten times the examples and forward passes.
 */
public final class HocPredictor {
    private HocPredictor() {}

    /** Sentence index -> predicted mask, in sentence order. */
    public static Map<String, Integer> predict(FineTunedModel ft, BpeTokenizer tok, List<HocSentence> sentences) {
        Map<String, Integer> out = new LinkedHashMap<>();
        List<String> texts = generate(ft, tok, sentences);
        for (int i = 0; i < sentences.size(); i++) out.put(sentences.get(i).index(), HocPrompt.parseTarget(texts.get(i)));
        return out;
    }

    /** Predicts every sentence and scores with BLURB's metric (HocMetrics, labels OR-ed per abstract). */
    public static HocMetrics evaluate(FineTunedModel ft, BpeTokenizer tok, List<HocSentence> sentences) {
        return HocMetrics.fromSentences(sentences, predict(ft, tok, sentences));
    }

    /** The decoded continuation of every sentence. */
    public static List<String> generate(FineTunedModel ft, BpeTokenizer tok, List<HocSentence> sentences) {
        List<int[]> prompts = new ArrayList<>(sentences.size());
        for (HocSentence s : sentences) prompts.add(TaskExamples.hocPrompt(tok, s, ft.promptBudget()));
        List<int[]> gen = LikelihoodScorer.generate(ft.model(), ft.softPrompt(), prompts, ft.reserve(), tok.endOfTextId(), ft.seqLen());
        List<String> out = new ArrayList<>(gen.size());
        for (int[] g : gen) out.add(tok.decode(g));
        return out;
    }
}
