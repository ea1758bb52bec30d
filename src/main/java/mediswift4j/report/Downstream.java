package mediswift4j.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import mediswift4j.nn.Gpt;
import mediswift4j.tasks.FineTuneData;
import mediswift4j.tasks.FineTuneSettings;
import mediswift4j.tasks.FineTunedModel;
import mediswift4j.tasks.FineTuner;
import mediswift4j.tasks.HocMetrics;
import mediswift4j.tasks.HocPredictor;
import mediswift4j.tasks.HocSentence;
import mediswift4j.tasks.PubmedqaLabel;
import mediswift4j.tasks.PubmedqaMetrics;
import mediswift4j.tasks.PubmedqaPredictor;
import mediswift4j.tasks.PubmedqaRecord;
import mediswift4j.tokenizer.BpeTokenizer;
import mediswift4j.train.Checkpoint;
import mediswift4j.util.InputException;

/**
 * The downstream half of the reproduction: every pre-trained model (dense, 50%, 75%) is fine-tuned densely (its
 * masks dropped, masked weights starting at 0), once without and once with a soft prompt (9 vectors for PubMedQA,
 * 1 for HoC, as BioGPT), on PubMedQA and on HoC; each fine-tuned model is evaluated on the test split. A majority
 * baseline row comes first: the most frequent training label for PubMedQA, the most frequent training label set
 * for HoC (usually "no hallmark", which scores 0 micro-F1).
 */
final class Downstream {
    private Downstream() {}

    /** Data sizes per mode: HoC is sub-sampled so that twelve fine-tuning runs fit the time budget. */
    private record Budget(int hocTrainSentences, int hocTestAbstracts, int pubmedqaTest) {}

    static List<Object> run(Reproduction.Options options, Reproduction.Plan plan, BpeTokenizer tokenizer,
                            List<PretrainRun> runs, Reproduction.Log log) {
        Budget budget = options.quick() ? new Budget(300, 15, 30) : new Budget(2500, 50, 150);
        FineTuneData.Pubmedqa pq = FineTuneData.pubmedqa(options.pubmedqaDir().resolve("ori_pqal.json"),
                options.pubmedqaDir().resolve("test_ground_truth.json"), 0, false);
        List<PubmedqaRecord> pqTest = head(pq.eval().get("test"), budget.pubmedqaTest());
        FineTuneData.Hoc hoc = FineTuneData.hoc(List.of(options.hocDir()));
        if (!hoc.eval().containsKey("test")) throw new InputException(options.hocDir() + ": no test.tsv");
        List<HocSentence> hocTrain = head(hoc.train(), budget.hocTrainSentences());
        List<HocSentence> hocTest = firstAbstracts(hoc.eval().get("test"), budget.hocTestAbstracts());
        log.line(String.format("[downstream] PubMedQA: %d training, %d test questions; HoC: %d training sentences, %d test sentences",
                pq.train().size(), pqTest.size(), hocTrain.size(), hocTest.size()));

        List<Object> rows = new ArrayList<>();
        rows.add(majorityRow(pq.train(), pqTest, hocTrain, hocTest));
        for (PretrainRun run : runs) {
            for (boolean soft : new boolean[] {false, true}) {
                String mode = soft ? "dense + soft prompt" : "dense";
                String name = PretrainRun.label(run.sparsity) + " / " + mode;
                long t0 = System.nanoTime();
                FineTuneSettings pqSettings = settings(plan, soft ? plan.softPromptPubmedqa() : 0, plan.fineTuneEpochsPubmedqa());
                FineTunedModel pqModel = FineTuner.pubmedqa(fresh(run.checkpoint), tokenizer, pq.train(), pqSettings, null);
                PubmedqaMetrics pm = PubmedqaPredictor.evaluate(pqModel, tokenizer, pqTest);
                FineTuneSettings hocSettings = settings(plan, soft ? plan.softPromptHoc() : 0, plan.fineTuneEpochsHoc());
                FineTunedModel hocModel = FineTuner.hoc(fresh(run.checkpoint), tokenizer, hocTrain, hocSettings, null);
                HocMetrics hm = HocPredictor.evaluate(hocModel, tokenizer, hocTest);
                double secs = (System.nanoTime() - t0) / 1e9;
                log.line(String.format("[downstream %s] PubMedQA accuracy %.3f macro-F1 %.3f; HoC micro-F1 %.3f (%.0f s)",
                        name, pm.accuracy, pm.macroF1, hm.microF1, secs));
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("pretraining", PretrainRun.label(run.sparsity));
                m.put("sparsity", run.sparsity);
                m.put("fine_tuning", mode);
                m.put("soft_prompt_pubmedqa", (long) pqSettings.softPrompt());
                m.put("soft_prompt_hoc", (long) hocSettings.softPrompt());
                m.put("pubmedqa_accuracy", pm.accuracy);
                m.put("pubmedqa_macro_f1", pm.macroF1);
                m.put("hoc_micro_f1", hm.microF1);
                m.put("seconds", secs);
                rows.add(m);
            }
        }
        return rows;
    }

    private static FineTuneSettings settings(Reproduction.Plan plan, int softPrompt, int epochs) {
        return FineTuneSettings.defaults(softPrompt, false).withEpochs(epochs).withLr(plan.fineTuneLr()).withMaxLen(plan.seqLen() * 2);
    }

    /** A fresh copy of a pre-trained model (fine-tuning changes the model in place). */
    private static Gpt fresh(Path checkpoint) {
        return Checkpoint.load(checkpoint).model();
    }

    private static Map<String, Object> majorityRow(List<PubmedqaRecord> pqTrain, List<PubmedqaRecord> pqTest,
                                                   List<HocSentence> hocTrain, List<HocSentence> hocTest) {
        Map<PubmedqaLabel, Integer> counts = new HashMap<>();
        for (PubmedqaRecord r : pqTrain) counts.merge(r.label(), 1, Integer::sum);
        PubmedqaLabel major = counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        List<PubmedqaLabel> gold = new ArrayList<>(), pred = new ArrayList<>();
        for (PubmedqaRecord r : pqTest) {
            gold.add(r.label());
            pred.add(major);
        }
        PubmedqaMetrics pm = PubmedqaMetrics.score(gold, pred);
        Map<Integer, Integer> sets = new HashMap<>();
        for (HocSentence s : hocTrain) sets.merge(s.labels(), 1, Integer::sum);
        int majorSet = sets.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        Map<String, Integer> hocPred = new LinkedHashMap<>();
        for (HocSentence s : hocTest) hocPred.put(s.index(), majorSet);
        HocMetrics hm = HocMetrics.fromSentences(hocTest, hocPred);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pretraining", "majority baseline");
        m.put("fine_tuning", "always '" + major.name().toLowerCase() + "'; HoC label set " + Integer.toBinaryString(majorSet));
        m.put("pubmedqa_accuracy", pm.accuracy);
        m.put("pubmedqa_macro_f1", pm.macroF1);
        m.put("hoc_micro_f1", hm.microF1);
        return m;
    }

    private static <T> List<T> head(List<T> list, int n) {
        return list.size() <= n ? list : new ArrayList<>(list.subList(0, n));
    }

    /** The sentences of the first n abstracts (BLURB's metric works per abstract, so abstracts stay whole). */
    private static List<HocSentence> firstAbstracts(List<HocSentence> sentences, int n) {
        List<HocSentence> out = new ArrayList<>();
        java.util.Set<String> seen = new java.util.LinkedHashSet<>();
        for (HocSentence s : sentences) {
            if (!seen.contains(s.pmid())) {
                if (seen.size() == n) break;
                seen.add(s.pmid());
            }
            out.add(s);
        }
        return out;
    }
}
