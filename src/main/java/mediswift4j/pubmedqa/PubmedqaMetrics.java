package mediswift4j.pubmedqa;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PubMedQA scores from in-memory gold and predicted labels, as the official evaluation computes them
 * (scikit-learn's accuracy_score and f1_score(average='macro')):
 *
 *   accuracy  = (number of items with pred == gold) / n
 *   per label l: TP, FP, FN from the confusion matrix; precision = TP / (TP + FP), recall = TP / (TP + FN),
 *                F1 = 2 TP / (2 TP + FP + FN); a ratio with a zero denominator is 0
 *   macro_f1  = mean of F1 over the labels that occur in the gold OR the predicted labels (scikit-learn's rule;
 *               on the official test split all three occur in the gold labels, so it is the mean over three)
 *
 * The confusion matrix is indexed [gold][pred] in the order yes, no, maybe. A prediction may be null (a model
 * output that named no label): it counts as wrong for accuracy and as a false negative for its gold label.
 */
public final class PubmedqaMetrics {
    public final int n;
    /** confusion[gold][pred], labels in PubmedqaLabel order; a null prediction is in no column. */
    public final long[][] confusion = new long[3][3];
    public final long unanswered;
    public final double accuracy;
    public final double macroF1;
    public final double[] precision = new double[3];
    public final double[] recall = new double[3];
    public final double[] f1 = new double[3];
    public final long[] support = new long[3];

    private PubmedqaMetrics(List<PubmedqaLabel> gold, List<PubmedqaLabel> pred) {
        if (gold.size() != pred.size()) {
            throw new IllegalArgumentException(gold.size() + " gold labels but " + pred.size() + " predictions");
        }
        if (gold.isEmpty()) throw new IllegalArgumentException("nothing to score");
        n = gold.size();
        long correct = 0, none = 0;
        long[] predicted = new long[3];
        for (int i = 0; i < n; i++) {
            int g = gold.get(i).ordinal();
            support[g]++;
            PubmedqaLabel p = pred.get(i);
            if (p == null) {
                none++;
                continue;
            }
            confusion[g][p.ordinal()]++;
            predicted[p.ordinal()]++;
            if (p.ordinal() == g) correct++;
        }
        unanswered = none;
        accuracy = (double) correct / n;
        double sum = 0;
        int present = 0;
        for (int l = 0; l < 3; l++) {
            long tp = confusion[l][l];
            long fp = predicted[l] - tp;
            long fn = support[l] - tp;
            precision[l] = ratio(tp, tp + fp);
            recall[l] = ratio(tp, tp + fn);
            f1[l] = ratio(2 * tp, 2 * tp + fp + fn);
            if (support[l] > 0 || predicted[l] > 0) {
                sum += f1[l];
                present++;
            }
        }
        macroF1 = sum / present;
    }

    /** Scores predictions against gold labels, item by item (the lists are parallel). */
    public static PubmedqaMetrics score(List<PubmedqaLabel> gold, List<PubmedqaLabel> pred) {
        return new PubmedqaMetrics(gold, pred);
    }

    private static double ratio(long num, long den) {
        return den == 0 ? 0.0 : (double) num / den;
    }

    /** The scores as a JSON-ready map (fractions in [0, 1], not percentages). */
    public Map<String, Object> toJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("task", "pubmedqa");
        out.put("n", (long) n);
        out.put("accuracy", accuracy);
        out.put("macro_f1", macroF1);
        Map<String, Object> per = new LinkedHashMap<>();
        for (PubmedqaLabel l : PubmedqaLabel.values()) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("precision", precision[l.ordinal()]);
            s.put("recall", recall[l.ordinal()]);
            s.put("f1", f1[l.ordinal()]);
            s.put("support", support[l.ordinal()]);
            per.put(l.text, s);
        }
        out.put("per_label", per);
        Map<String, Object> cm = new LinkedHashMap<>();
        for (PubmedqaLabel g : PubmedqaLabel.values()) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (PubmedqaLabel p : PubmedqaLabel.values()) row.put(p.text, confusion[g.ordinal()][p.ordinal()]);
            cm.put(g.text, row);
        }
        out.put("confusion", cm);
        out.put("unanswered", unanswered);
        return out;
    }
}
