package mediswift4j.hoc;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import mediswift4j.io.Json;
import mediswift4j.util.InputException;

/**
 * Reader for BLURB's HoC files (train.tsv, dev.tsv, test.tsv): UTF-8, header `labels\tsentence\tindex`, then one
 * sentence per line with exactly three tab-separated fields: ten `k_v` flags, the sentence text, and
 * `<PMID>_s<i>`. A trailing "\r" is tolerated. Errors name the file, line and field.
 * Abstracts are the groups of sentences sharing a PMID, in order of first appearance.
 */
public final class HocData {
    public static final String HEADER = "labels\tsentence\tindex";
    private static final Pattern INDEX = Pattern.compile("(\\d+)_s(\\d+)");

    private HocData() {}

    public static List<HocSentence> read(Path file) {
        String text = Json.readUtf8(file);
        String[] lines = text.split("\n", -1);
        int count = lines.length;
        if (count > 0 && lines[count - 1].isEmpty()) count--; // final newline
        if (count == 0 || !stripCr(lines[0]).equals(HEADER)) {
            throw new InputException(file + ":1: expected the header \"labels<TAB>sentence<TAB>index\"");
        }
        List<HocSentence> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 1; i < count; i++) {
            String where = file + ":" + (i + 1);
            String line = stripCr(lines[i]);
            String[] f = line.split("\t", -1);
            if (f.length != 3) {
                throw new InputException(where + ": expected 3 tab-separated fields (labels, sentence, index), found " + f.length);
            }
            int labels = HocLabels.parseFlags(f[0], where + ": field labels");
            HocSentence s = parseIndex(f[2], where + ": field index", f[1], labels);
            if (!seen.add(s.index())) throw new InputException(where + ": field index: \"" + s.index() + "\" appears twice");
            out.add(s);
        }
        if (out.isEmpty()) throw new InputException(file + ": no sentences after the header");
        return out;
    }

    static HocSentence parseIndex(String index, String where, String text, int labels) {
        Matcher m = INDEX.matcher(index.trim());
        if (!m.matches()) throw new InputException(where + ": \"" + index + "\" is not of the form <PMID>_s<number>");
        int number;
        try {
            number = Integer.parseInt(m.group(2));
        } catch (NumberFormatException e) {
            throw new InputException(where + ": sentence number too large in \"" + index + "\"");
        }
        return new HocSentence(index.trim(), m.group(1), number, text, labels);
    }

    private static String stripCr(String s) {
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /** PMID -> its sentences in file order; PMIDs in order of first appearance. */
    public static Map<String, List<HocSentence>> byAbstract(List<HocSentence> sentences) {
        Map<String, List<HocSentence>> out = new LinkedHashMap<>();
        for (HocSentence s : sentences) out.computeIfAbsent(s.pmid(), k -> new ArrayList<>()).add(s);
        for (var e : out.entrySet()) e.setValue(Collections.unmodifiableList(e.getValue()));
        return out;
    }

    /** PMID -> union (OR) of its sentences' gold labels: the abstract-level gold of BLURB's metric. */
    public static Map<String, Integer> goldByAbstract(List<HocSentence> sentences) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (HocSentence s : sentences) out.merge(s.pmid(), s.labels(), (a, b) -> a | b);
        return out;
    }
}
