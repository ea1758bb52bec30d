package mediswift4j.hoc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * BLURB's HoC metric from in-memory label masks, one gold and one predicted mask per abstract:
 *
 *   per abstract: gold = OR of its sentences' gold masks, pred = OR of its sentences' predicted masks
 *   over all (abstract, label) pairs: TP = gold and pred, FP = pred only, FN = gold only
 *   micro: precision = TP / (TP + FP), recall = TP / (TP + FN), F1 = 2 TP / (2 TP + FP + FN)
 *   per label: the same three ratios restricted to that label's pairs
 *   a ratio with a zero denominator is 0; there is no "none" class (an abstract with no label adds nothing
 *   unless something is predicted for it)
 *
 * Use `fromSentences` for sentence-level predictions (it takes the unions) or `score` for abstract-level masks.
 */
public final class HocMetrics {
    public final int abstracts;
    public final long tp, fp, fn;
    public final double microPrecision, microRecall, microF1;
    public final long[] labelTp = new long[HocLabels.COUNT];
    public final long[] labelFp = new long[HocLabels.COUNT];
    public final long[] labelFn = new long[HocLabels.COUNT];
    public final double[] precision = new double[HocLabels.COUNT];
    public final double[] recall = new double[HocLabels.COUNT];
    public final double[] f1 = new double[HocLabels.COUNT];

    private HocMetrics(List<Integer> gold, List<Integer> pred) {
        if (gold.size() != pred.size()) {
            throw new IllegalArgumentException(gold.size() + " gold abstracts but " + pred.size() + " predictions");
        }
        if (gold.isEmpty()) throw new IllegalArgumentException("nothing to score");
        abstracts = gold.size();
        for (int i = 0; i < gold.size(); i++) {
            int g = gold.get(i), p = pred.get(i);
            for (int k = 0; k < HocLabels.COUNT; k++) {
                boolean gk = (g >> k & 1) != 0, pk = (p >> k & 1) != 0;
                if (gk && pk) labelTp[k]++;
                else if (pk) labelFp[k]++;
                else if (gk) labelFn[k]++;
            }
        }
        long sTp = 0, sFp = 0, sFn = 0;
        for (int k = 0; k < HocLabels.COUNT; k++) {
            sTp += labelTp[k];
            sFp += labelFp[k];
            sFn += labelFn[k];
            precision[k] = ratio(labelTp[k], labelTp[k] + labelFp[k]);
            recall[k] = ratio(labelTp[k], labelTp[k] + labelFn[k]);
            f1[k] = ratio(2 * labelTp[k], 2 * labelTp[k] + labelFp[k] + labelFn[k]);
        }
        tp = sTp;
        fp = sFp;
        fn = sFn;
        microPrecision = ratio(tp, tp + fp);
        microRecall = ratio(tp, tp + fn);
        microF1 = ratio(2 * tp, 2 * tp + fp + fn);
    }

    /** Abstract-level masks, parallel lists (one entry per abstract). */
    public static HocMetrics score(List<Integer> goldMasks, List<Integer> predictedMasks) {
        return new HocMetrics(goldMasks, predictedMasks);
    }

    /**
     * Sentence-level gold and predictions: `predicted` maps every sentence index to its predicted mask (it must
     * cover every sentence; see HocEvaluation for the checked version). Unions are taken per PMID.
     */
    public static HocMetrics fromSentences(List<HocSentence> sentences, Map<String, Integer> predicted) {
        Map<String, Integer> gold = new LinkedHashMap<>(), pred = new LinkedHashMap<>();
        for (HocSentence s : sentences) {
            Integer p = predicted.get(s.index());
            if (p == null) throw new IllegalArgumentException("no prediction for sentence " + s.index());
            gold.merge(s.pmid(), s.labels(), (a, b) -> a | b);
            pred.merge(s.pmid(), p, (a, b) -> a | b);
        }
        return score(new ArrayList<>(gold.values()), new ArrayList<>(pred.values()));
    }

    private static double ratio(long num, long den) {
        return den == 0 ? 0.0 : (double) num / den;
    }

    /** The scores as a JSON-ready map (fractions in [0, 1]). */
    public Map<String, Object> toJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("task", "hoc");
        out.put("abstracts", (long) abstracts);
        out.put("micro_f1", microF1);
        out.put("micro_precision", microPrecision);
        out.put("micro_recall", microRecall);
        out.put("tp", tp);
        out.put("fp", fp);
        out.put("fn", fn);
        Map<String, Object> per = new LinkedHashMap<>();
        for (int k = 0; k < HocLabels.COUNT; k++) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("precision", precision[k]);
            s.put("recall", recall[k]);
            s.put("f1", f1[k]);
            s.put("support", labelTp[k] + labelFn[k]);
            per.put(HocLabels.NAMES.get(k), s);
        }
        out.put("per_label", per);
        return out;
    }
}
