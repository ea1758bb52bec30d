package mediswift4j.pubmedqa;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import mediswift4j.util.InputException;

/**
 * Scores a PubMedQA predictions file the way the official evaluation script does: the file is a JSON object
 * PMID -> "yes"|"no"|"maybe" and must predict all and only the evaluated PMIDs.
 *
 * Checks, each an InputException naming the file and the PMID: a value that is not one of the three labels; a
 * PMID absent from the data (ori_pqal.json); a PMID of the data that is not in the evaluated split; an evaluated
 * PMID with no prediction. Scores are computed in the gold file's order (order does not change them).
 */
public final class PubmedqaEvaluation {
    private PubmedqaEvaluation() {}

    /** Reads a predictions file: JSON object PMID -> label, file order kept. */
    public static Map<String, PubmedqaLabel> readPredictions(Path file) {
        return PubmedqaData.readLabels(file);
    }

    /**
     * Gold labels of the evaluated items: the ground-truth file when given (each PMID must be in `data` with the
     * same final_decision), else the official test split computed from `data`.
     */
    public static Map<String, PubmedqaLabel> gold(PubmedqaData data, Path groundTruth) {
        Map<String, PubmedqaLabel> gold = new LinkedHashMap<>();
        if (groundTruth != null) {
            for (var e : PubmedqaData.readLabels(groundTruth).entrySet()) {
                String where = groundTruth.toString();
                PubmedqaRecord r = data.get(e.getKey(), where);
                if (r.label() != e.getValue()) {
                    throw new InputException(where + ": PMID " + e.getKey() + " is \"" + e.getValue()
                            + "\" there but final_decision is \"" + r.label() + "\" in " + data.source());
                }
                gold.put(e.getKey(), e.getValue());
            }
            if (gold.isEmpty()) throw new InputException(groundTruth + ": no PMIDs to evaluate");
        } else {
            for (String p : PubmedqaSplits.official(data).test()) gold.put(p, data.get(p, "split").label());
        }
        return gold;
    }

    /** Matches predictions to gold labels (all and only the gold PMIDs) and scores them. */
    public static PubmedqaMetrics score(PubmedqaData data, Map<String, PubmedqaLabel> gold,
                                        Map<String, PubmedqaLabel> predictions, String predictionsName) {
        for (String p : predictions.keySet()) {
            if (!data.contains(p)) {
                throw new InputException(predictionsName + ": PMID " + p + " is absent from the data " + data.source());
            }
            if (!gold.containsKey(p)) {
                throw new InputException(predictionsName + ": PMID " + p
                        + " is not in the evaluated split (predict all and only its " + gold.size() + " PMIDs)");
            }
        }
        List<PubmedqaLabel> g = new ArrayList<>(), q = new ArrayList<>();
        for (var e : gold.entrySet()) {
            PubmedqaLabel pred = predictions.get(e.getKey());
            if (pred == null) {
                throw new InputException(predictionsName + ": missing prediction for PMID " + e.getKey()
                        + " (" + (gold.size() - countPresent(gold, predictions)) + " of " + gold.size() + " missing)");
            }
            g.add(e.getValue());
            q.add(pred);
        }
        return PubmedqaMetrics.score(g, q);
    }

    private static int countPresent(Map<String, PubmedqaLabel> gold, Map<String, PubmedqaLabel> predictions) {
        int n = 0;
        for (String p : gold.keySet()) if (predictions.containsKey(p)) n++;
        return n;
    }
}
