package mediswift4j.finetune;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import mediswift4j.hoc.HocLabels;
import mediswift4j.hoc.HocPrompt;
import mediswift4j.hoc.HocSentence;
import mediswift4j.nn.Gpt;
import mediswift4j.nn.ModelConfig;
import mediswift4j.nn.ModelMasks;
import mediswift4j.pubmedqa.PubmedqaLabel;
import mediswift4j.pubmedqa.PubmedqaPrompt;
import mediswift4j.pubmedqa.PubmedqaRecord;
import mediswift4j.tokenizer.BpeTokenizer;
import mediswift4j.tokenizer.BpeTrainer;
import mediswift4j.util.Rng;

/**
 * Synthetic, learnable fine-tuning data for the tests: PubMedQA-shaped records whose answer is decided by one
 * word of the context (raised -> yes, lowered -> no, unchanged -> maybe, with label frequencies 50/30/20 so
 * that the majority baseline is 50%), HoC-shaped sentences whose label is decided by one word, a small BPE
 * tokenizer trained on those texts, and a small sparse GPT sized to that vocabulary.
 */
final class FineTuneFixtures {
    private FineTuneFixtures() {}

    static final String[] NOUNS = {"insulin", "tumour", "serum", "kidney", "lipid", "protein", "cortisol", "platelet"};
    static final String[] FILLER = {"patients", "were", "studied", "in", "a", "cohort", "with", "follow", "up", "and", "the",
            "levels", "of", "were", "measured", "after", "treatment", "for", "weeks"};

    static List<PubmedqaRecord> pubmedqa(int n, long seed) {
        Rng rng = new Rng(seed);
        List<PubmedqaRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double u = rng.nextDouble();
            PubmedqaLabel label = u < 0.5 ? PubmedqaLabel.YES : u < 0.8 ? PubmedqaLabel.NO : PubmedqaLabel.MAYBE;
            String verb = label == PubmedqaLabel.YES ? "raised" : label == PubmedqaLabel.NO ? "lowered" : "unchanged";
            String noun = NOUNS[rng.nextInt(NOUNS.length)];
            StringBuilder ctx = new StringBuilder();
            for (int k = 0; k < 2 + rng.nextInt(3); k++) ctx.append(FILLER[rng.nextInt(FILLER.length)]).append(' ');
            ctx.append("the ").append(noun).append(" was ").append(verb).append(" .");
            String q = "Does treatment change " + noun + " ?";
            out.add(new PubmedqaRecord(String.valueOf(1000 + i), q, List.of(ctx.toString()), List.of("RESULTS"),
                    "It was " + verb + ".", label, null, null, Map.of()));
        }
        return out;
    }

    static List<HocSentence> hoc(int n, long seed) {
        Rng rng = new Rng(seed);
        List<HocSentence> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int kind = rng.nextInt(3); // 0: none, 1: label 0, 2: label 3
            String cue = kind == 0 ? "background" : kind == 1 ? "angiogenesis" : "proliferation";
            int mask = kind == 0 ? 0 : kind == 1 ? 1 : 1 << 3;
            StringBuilder s = new StringBuilder();
            for (int k = 0; k < 3 + rng.nextInt(3); k++) s.append(FILLER[rng.nextInt(FILLER.length)]).append(' ');
            s.append(cue).append(" .");
            String pmid = String.valueOf(2000 + i / 3);
            out.add(new HocSentence(pmid + "_s" + (i % 3), pmid, i % 3, s.toString(), mask));
        }
        return out;
    }

    /** A BPE tokenizer learned on every prompt and answer text the fixtures produce. */
    static BpeTokenizer tokenizer() {
        List<String> docs = new ArrayList<>();
        for (PubmedqaRecord r : pubmedqa(60, 1)) {
            docs.add(String.join("", PubmedqaPrompt.promptPieces(r, PubmedqaPrompt.Setting.REASONING_REQUIRED)) + PubmedqaPrompt.candidate(r.label()));
        }
        for (PubmedqaLabel l : PubmedqaLabel.values()) docs.add(PubmedqaPrompt.candidate(l));
        for (HocSentence s : hoc(60, 1)) docs.add(String.join("", HocPrompt.promptPieces(s.text())) + HocPrompt.target(s.labels()));
        for (String name : HocLabels.NAMES) docs.add(" " + name);
        return BpeTrainer.train(docs, 420, null);
    }

    /** A small GPT for `tok` with 50% sparsity masks, initialized from `seed`. */
    static Gpt model(BpeTokenizer tok, int context, long seed) {
        ModelConfig cfg = new ModelConfig("ft-test", 2, 32, 2, context, tok.vocabSize());
        Gpt m = new Gpt(cfg);
        ModelMasks.draw(m, seed, 0.5);
        m.initialize(seed);
        return m;
    }

    /** ori_pqal.json-format object for records. */
    static Map<String, Object> oriPqal(List<PubmedqaRecord> records) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (PubmedqaRecord r : records) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("QUESTION", r.question());
            o.put("CONTEXTS", new ArrayList<Object>(r.contexts()));
            o.put("LABELS", new ArrayList<Object>(r.sectionLabels()));
            o.put("LONG_ANSWER", r.longAnswer());
            o.put("final_decision", r.label().text);
            out.put(r.pmid(), o);
        }
        return out;
    }
}
