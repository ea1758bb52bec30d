package mediswift4j.finetune;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import mediswift4j.hoc.HocData;
import mediswift4j.hoc.HocSentence;
import mediswift4j.pubmedqa.PubmedqaData;
import mediswift4j.pubmedqa.PubmedqaEvaluation;
import mediswift4j.pubmedqa.PubmedqaLabel;
import mediswift4j.pubmedqa.PubmedqaRecord;
import mediswift4j.pubmedqa.PubmedqaSplits;
import mediswift4j.util.InputException;

/**
 * Which items a fine-tuning run trains on and which it evaluates on (SPEC.md section 12).
 *
 * PubMedQA:
 *   ori_pqal.json alone          the official split (PubmedqaSplits): train = fold F's 450 train items;
 *                                evaluation sets "dev" (fold F's 50) and "test" (the 500 test items)
 *   ori_pqal.json + ground truth train = every record whose PMID is not in the ground-truth file (file order);
 *                                evaluation set "test" = the ground-truth PMIDs (this is how the synthetic samples
 *                                in corpus-samples/pubmedqa are used)
 *   trainAll                     train = every record, no evaluation set (any ori_pqal-format file)
 * HoC: a directory with train.tsv (and dev.tsv, test.tsv when present), or train.tsv [dev.tsv] [test.tsv] given as
 * files (named by their file names); evaluation sets "dev" and "test" when present.
 */
public final class FineTuneData {
    private FineTuneData() {}

    public record Pubmedqa(PubmedqaData data, List<PubmedqaRecord> train, Map<String, List<PubmedqaRecord>> eval) {}

    public record Hoc(List<HocSentence> train, Map<String, List<HocSentence>> eval, Map<String, Path> files) {}

    public static Pubmedqa pubmedqa(Path oriPqal, Path groundTruth, int fold, boolean trainAll) {
        PubmedqaData d = PubmedqaData.read(oriPqal);
        Map<String, List<PubmedqaRecord>> eval = new LinkedHashMap<>();
        if (trainAll) return new Pubmedqa(d, d.records(), eval);
        if (groundTruth != null) {
            Map<String, PubmedqaLabel> gold = PubmedqaEvaluation.gold(d, groundTruth);
            List<PubmedqaRecord> train = new ArrayList<>();
            for (PubmedqaRecord r : d.records()) if (!gold.containsKey(r.pmid())) train.add(r);
            if (train.isEmpty()) throw new InputException(oriPqal + ": every record is in " + groundTruth + "; nothing left to train on");
            eval.put("test", d.select(new ArrayList<>(gold.keySet()), groundTruth.toString()));
            return new Pubmedqa(d, train, eval);
        }
        PubmedqaSplits s = PubmedqaSplits.official(d);
        if (fold < 0 || fold >= PubmedqaSplits.FOLDS) throw new IllegalArgumentException("fold must be in [0, 9], got " + fold);
        PubmedqaSplits.Fold f = s.fold(d, fold);
        eval.put("dev", f.dev());
        eval.put("test", f.test());
        return new Pubmedqa(d, f.train(), eval);
    }

    public static Hoc hoc(List<Path> paths) {
        Map<String, Path> files = new LinkedHashMap<>();
        if (paths.size() == 1 && Files.isDirectory(paths.get(0))) {
            Path dir = paths.get(0);
            for (String n : new String[] {"train", "dev", "test"}) {
                Path p = dir.resolve(n + ".tsv");
                if (Files.isRegularFile(p)) files.put(n, p);
            }
            if (!files.containsKey("train")) throw new InputException(dir + ": no train.tsv in this directory");
        } else {
            for (Path p : paths) {
                String name = p.getFileName().toString().replaceFirst("\\.tsv$", "");
                if (!Files.isRegularFile(p)) throw new InputException(p + ": no such file");
                if (!name.equals("train") && !name.equals("dev") && !name.equals("test")) {
                    throw new InputException(p + ": HoC files must be named train.tsv, dev.tsv or test.tsv");
                }
                if (files.put(name, p) != null) throw new InputException(p + ": " + name + ".tsv given twice");
            }
            if (!files.containsKey("train")) throw new InputException("no train.tsv among " + paths);
        }
        List<HocSentence> train = HocData.read(files.get("train"));
        Map<String, List<HocSentence>> eval = new LinkedHashMap<>();
        for (String n : new String[] {"dev", "test"}) if (files.containsKey(n)) eval.put(n, HocData.read(files.get(n)));
        return new Hoc(train, eval, files);
    }
}
