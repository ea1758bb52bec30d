package mediswift4j.pubmedqa;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import mediswift4j.io.Json;
import mediswift4j.util.InputException;

/**
 * Readers for the PubMedQA files as the PubMedQA repository publishes them.
 *
 * ori_pqal.json (and every split file made from it): one JSON object, PMID -> record with QUESTION (string),
 * CONTEXTS (list of strings), LONG_ANSWER (string), final_decision ("yes"|"no"|"maybe"), and optional LABELS,
 * MESHES, YEAR, reasoning_required_pred, reasoning_free_pred. File order is kept: the official split depends on it.
 * test_ground_truth.json: one JSON object, PMID -> "yes"|"no"|"maybe".
 * Every problem is an InputException naming the file, the PMID and the field.
 */
public final class PubmedqaData {
    private final Path source;
    private final Map<String, PubmedqaRecord> byPmid;

    private PubmedqaData(Path source, Map<String, PubmedqaRecord> byPmid) {
        this.source = source;
        this.byPmid = Collections.unmodifiableMap(byPmid);
    }

    /** Reads ori_pqal.json (or a split file in the same format). */
    public static PubmedqaData read(Path file) {
        Map<String, Object> top = Json.asObject(Json.read(file), file.toString());
        if (top.isEmpty()) throw new InputException(file + ": no PubMedQA records (empty JSON object)");
        Map<String, PubmedqaRecord> out = new LinkedHashMap<>();
        for (var e : top.entrySet()) out.put(e.getKey(), parseRecord(e.getKey(), e.getValue(), file.toString()));
        return new PubmedqaData(file, out);
    }

    /** Builds a data set from records already in memory (tests, generated data); order is kept. */
    public static PubmedqaData of(Path source, List<PubmedqaRecord> records) {
        Map<String, PubmedqaRecord> out = new LinkedHashMap<>();
        for (PubmedqaRecord r : records) {
            if (out.put(r.pmid(), r) != null) throw new InputException(source + ": PMID " + r.pmid() + " appears twice");
        }
        return new PubmedqaData(source, out);
    }

    static PubmedqaRecord parseRecord(String pmid, Object value, String file) {
        String where = file + ": PMID " + pmid;
        Map<String, Object> obj = Json.asObject(value, where);
        String question = Json.asString(Json.field(obj, "QUESTION", where), where + ": field QUESTION");
        List<String> contexts = strings(Json.field(obj, "CONTEXTS", where), where + ": field CONTEXTS");
        String longAnswer = Json.asString(Json.field(obj, "LONG_ANSWER", where), where + ": field LONG_ANSWER");
        PubmedqaLabel label = PubmedqaLabel.parse(
                Json.asString(Json.field(obj, "final_decision", where), where + ": field final_decision"),
                where + ": field final_decision");
        List<String> sections = obj.containsKey("LABELS")
                ? strings(obj.get("LABELS"), where + ": field LABELS") : List.of();
        return new PubmedqaRecord(pmid, question, contexts, sections, longAnswer, label,
                optionalString(obj, "reasoning_required_pred", where),
                optionalString(obj, "reasoning_free_pred", where),
                Collections.unmodifiableMap(obj));
    }

    private static List<String> strings(Object v, String where) {
        List<Object> a = Json.asArray(v, where);
        List<String> out = new ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++) out.add(Json.asString(a.get(i), where + "[" + i + "]"));
        return Collections.unmodifiableList(out);
    }

    private static String optionalString(Map<String, Object> obj, String key, String where) {
        Object v = obj.get(key);
        return v == null ? null : Json.asString(v, where + ": field " + key);
    }

    /** Reads test_ground_truth.json (or any PMID -> label object, e.g. a predictions file), keeping file order. */
    public static Map<String, PubmedqaLabel> readLabels(Path file) {
        Map<String, Object> top = Json.asObject(Json.read(file), file.toString());
        Map<String, PubmedqaLabel> out = new LinkedHashMap<>();
        for (var e : top.entrySet()) {
            String where = file + ": PMID " + e.getKey();
            out.put(e.getKey(), PubmedqaLabel.parse(Json.asString(e.getValue(), where), where));
        }
        return out;
    }

    public Path source() {
        return source;
    }

    public int size() {
        return byPmid.size();
    }

    /** All records in file order. */
    public List<PubmedqaRecord> records() {
        return new ArrayList<>(byPmid.values());
    }

    /** PMIDs in file order. */
    public List<String> pmids() {
        return new ArrayList<>(byPmid.keySet());
    }

    public boolean contains(String pmid) {
        return byPmid.containsKey(pmid);
    }

    /** The record for `pmid`; a PMID absent from the data is an InputException naming `where` and the data file. */
    public PubmedqaRecord get(String pmid, String where) {
        PubmedqaRecord r = byPmid.get(pmid);
        if (r == null) throw new InputException(where + ": PMID " + pmid + " is not in " + source);
        return r;
    }

    /** The records of `pmids`, in that order (for a split). */
    public List<PubmedqaRecord> select(List<String> pmids, String where) {
        List<PubmedqaRecord> out = new ArrayList<>(pmids.size());
        for (String p : pmids) out.add(get(p, where));
        return out;
    }

    /** PMID -> raw record object for `pmids`, in that order: what the split files hold. */
    public Map<String, Object> rawSubset(List<String> pmids) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String p : pmids) out.put(p, get(p, "split").raw());
        return out;
    }
}
