package mediswift4j.eval;

import mediswift4j.hoc.HocLabels;

/**
 * The task metrics as functions of a resample of item indices, for {@link Bootstrap}. An index may appear several
 * times in a resample and then counts that many times. On the identity resample 0..n-1 each function returns
 * exactly (the same double) what PubmedqaMetrics or HocMetrics computes for the same items:
 *
 *   PubMedQA   labels are ints in PubmedqaLabel order, 0 = yes, 1 = no, 2 = maybe; a prediction of
 *              NO_ANSWER (-1) is PubmedqaMetrics' null prediction: wrong, and a false negative for its gold label
 *              accuracy = #(pred == gold) / |idx|
 *              per label l: F1 = 2TP / (2TP + FP + FN), 0 when that denominator is 0
 *              macro_f1 = mean of F1 over the labels that occur in the resample's gold or predicted labels
 *              (scikit-learn's label set, so a label absent from a resample does not count as an F1 of 0)
 *   HoC        one gold and one predicted 10-bit mask per abstract (bits above 9 are ignored, as in HocMetrics);
 *              TP, FP, FN summed over all (abstract, label) pairs of the resample;
 *              micro_f1 = 2TP / (2TP + FP + FN), 0 when that denominator is 0
 *
 * An empty resample is an error, as an empty item list is for the metric classes.
 *
 * Why not call PubmedqaMetrics / HocMetrics on the resampled items: a report evaluates each metric on 1000 resamples
 * for every row and comparison, and these count straight from int arrays without building label lists. The
 * property tests hold both to the same doubles.
 */
public final class ResampledMetrics {
    private ResampledMetrics() {}

    /** The int standing for PubmedqaMetrics' null prediction (the model named no label). */
    public static final int NO_ANSWER = -1;
    private static final int LABELS = 3;

    /** PubMedQA accuracy over the resample idx. */
    public static double pubmedqaAccuracy(int[] gold, int[] pred, int[] idx) {
        checkPubmedqa(gold, pred, idx);
        long correct = 0;
        for (int i : idx) if (pred[i] == gold[i]) correct++;
        return (double) correct / idx.length;
    }

    /** PubMedQA macro-F1 over the resample idx, labels in the order yes, no, maybe as in PubmedqaMetrics. */
    public static double pubmedqaMacroF1(int[] gold, int[] pred, int[] idx) {
        checkPubmedqa(gold, pred, idx);
        long[] truePositives = new long[LABELS], support = new long[LABELS], predicted = new long[LABELS];
        for (int i : idx) {
            int g = gold[i], p = pred[i];
            support[g]++;
            if (p == NO_ANSWER) continue;
            predicted[p]++;
            if (p == g) truePositives[g]++;
        }
        // Summed in label order and divided once, as PubmedqaMetrics does, so the identity resample gives its bits.
        double sum = 0;
        int present = 0;
        for (int l = 0; l < LABELS; l++) {
            if (support[l] == 0 && predicted[l] == 0) continue;
            long tp = truePositives[l], fp = predicted[l] - tp, fn = support[l] - tp;
            sum += ratio(2 * tp, 2 * tp + fp + fn);
            present++;
        }
        return sum / present;
    }

    /** HoC micro-F1 over the resample idx of abstracts. */
    public static double hocMicroF1(int[] goldMasks, int[] predMasks, int[] idx) {
        checkLengths(goldMasks.length, predMasks.length, idx, "gold abstracts", "predictions");
        long tp = 0, fp = 0, fn = 0;
        for (int i : idx) {
            int g = goldMasks[i] & HocLabels.ALL, p = predMasks[i] & HocLabels.ALL;
            tp += Integer.bitCount(g & p);
            fp += Integer.bitCount(p & ~g);
            fn += Integer.bitCount(g & ~p);
        }
        return ratio(2 * tp, 2 * tp + fp + fn);
    }

    /**
     * {mean, sample standard deviation} of xs, for summarising repeated runs (e.g. fine-tuning seeds): mean =
     * sum / n; std = sqrt(sum (x - mean)^2 / (n - 1)), and 0 for a single value.
     */
    public static double[] meanAndStd(double[] xs) {
        if (xs.length == 0) throw new IllegalArgumentException("mean and std of no values");
        double sum = 0;
        for (double x : xs) sum += x;
        double mean = sum / xs.length;
        if (xs.length == 1) return new double[] {mean, 0.0};
        double squares = 0;
        for (double x : xs) squares += (x - mean) * (x - mean);
        return new double[] {mean, Math.sqrt(squares / (xs.length - 1))};
    }

    private static void checkPubmedqa(int[] gold, int[] pred, int[] idx) {
        checkLengths(gold.length, pred.length, idx, "gold labels", "predictions");
        for (int i : idx) {
            if (gold[i] < 0 || gold[i] >= LABELS) {
                throw new IllegalArgumentException("gold label of item " + i + " is " + gold[i] + ", expected 0, 1 or 2");
            }
            if (pred[i] < NO_ANSWER || pred[i] >= LABELS) {
                throw new IllegalArgumentException("prediction of item " + i + " is " + pred[i] + ", expected -1, 0, 1 or 2");
            }
        }
    }

    private static void checkLengths(int gold, int pred, int[] idx, String goldName, String predName) {
        if (gold != pred) throw new IllegalArgumentException(gold + " " + goldName + " but " + pred + " " + predName);
        if (idx.length == 0) throw new IllegalArgumentException("nothing to score: the resample is empty");
        // An index outside 0..gold-1 fails on the array access with the index in the message.
    }

    private static double ratio(long num, long den) {
        return den == 0 ? 0.0 : (double) num / den;
    }
}
