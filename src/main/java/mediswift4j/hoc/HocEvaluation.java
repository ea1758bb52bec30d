package mediswift4j.hoc;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import mediswift4j.io.Json;
import mediswift4j.util.InputException;

/**
 * Scores a HoC predictions file against BLURB's TSV with BLURB's metric (HocMetrics).
 *
 * Predictions file: UTF-8 text, one line per sentence, `index<TAB>labels`, where index is the `<PMID>_s<i>` of
 * the data and labels is either the ten `k_v` flags or label names joined by `|` ("none" or empty for no label).
 * An optional first line `index<TAB>labels` is a header. Checks, each an InputException naming the file and line
 * or the index: a line without exactly two fields, an unknown label, a repeated index, an index absent from the
 * data, and a sentence of the data with no prediction.
 */
public final class HocEvaluation {
    public static final String HEADER = "index\tlabels";

    private HocEvaluation() {}

    /** Reads predictions, index -> mask in file order; every index must be in `known` (null: no check). */
    public static Map<String, Integer> readPredictions(Path file, Set<String> known, String dataName) {
        String text = Json.readUtf8(file);
        String[] lines = text.split("\n", -1);
        int count = lines.length;
        if (count > 0 && lines[count - 1].isEmpty()) count--;
        Map<String, Integer> out = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            if (i == 0 && line.equals(HEADER)) continue;
            String where = file + ":" + (i + 1);
            String[] f = line.split("\t", -1);
            if (f.length != 2) {
                throw new InputException(where + ": expected 2 tab-separated fields (index, labels), found " + f.length);
            }
            String index = f[0].trim();
            if (known != null && !known.contains(index)) {
                throw new InputException(where + ": prediction for unknown index \"" + index + "\" (not a sentence of "
                        + dataName + ")");
            }
            int mask = HocLabels.parseEither(f[1], where + ": field labels");
            if (out.put(index, mask) != null) throw new InputException(where + ": index \"" + index + "\" predicted twice");
        }
        if (out.isEmpty()) throw new InputException(file + ": no predictions");
        return out;
    }

    /** Reads the predictions for `sentences` from `file` and scores them (every sentence must be predicted). */
    public static HocMetrics score(List<HocSentence> sentences, String dataName, Path file) {
        Set<String> known = new HashSet<>();
        for (HocSentence s : sentences) known.add(s.index());
        Map<String, Integer> predicted = readPredictions(file, known, dataName);
        return score(sentences, predicted, file.toString());
    }

    /** Scores in-memory predictions, index -> mask; a sentence without a prediction is an InputException. */
    public static HocMetrics score(List<HocSentence> sentences, Map<String, Integer> predicted, String predictionsName) {
        int missing = 0;
        String first = null;
        for (HocSentence s : sentences) {
            if (!predicted.containsKey(s.index())) {
                if (first == null) first = s.index();
                missing++;
            }
        }
        if (first != null) {
            throw new InputException(predictionsName + ": missing prediction for index \"" + first + "\" (" + missing
                    + " of " + sentences.size() + " sentences missing)");
        }
        return HocMetrics.fromSentences(sentences, predicted);
    }
}
