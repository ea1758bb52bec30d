package mediswift4j.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import mediswift4j.io.Json;
import mediswift4j.util.InputException;

/**
 * Reads the documents of corpus files. The format follows the file name (a trailing .gz means gzip-compressed):
 *   .txt / .text   plain text; documents are separated by one or more blank lines (empty, or only spaces and
 *                  tabs); a document's lines are joined with "\n" (CR LF and CR line ends become "\n")
 *   .jsonl         one JSON object per line, the document is its string field `textField` ("text" by default);
 *                  empty lines are skipped
 *   .xml           PubMed baseline XML: title + abstract of each article ({@link PubmedXml})
 *   .json          PubMedQA (ori_pqal.json and the like): an object of records; each record gives one document,
 *                  QUESTION then every CONTEXTS string, joined with "\n" (LONG_ANSWER and labels are never read)
 * A directory stands for its regular files with one of these names (not recursive, hidden files skipped),
 * sorted by name. Files are read in the order given.
 * Invalid UTF-8 anywhere is rejected: InputException naming the file and byte offset ({@link StrictUtf8Reader}).
 *
 * Each document carries an id ({@link Document}), the PubMed PMID when the format names one:
 *   .json   the PubMedQA record's key
 *   .xml    the article's &lt;MedlineCitation&gt;&lt;PMID&gt; (trimmed), null if absent
 *   .jsonl  the field "pmid", a string as written or an integer number in decimal; null if absent or JSON null,
 *           an input error naming the line if it is anything else
 *   .txt    null
 * {@link #forEachDocument(List, String, Set, Consumer)} leaves out every document whose id is in a given set
 * (exact string match; a null id is never left out), so pre-training can skip the PMIDs of an evaluated test set,
 * and counts them in {@link Stats#excludedDocuments}.
 */
public final class CorpusReader {
    private CorpusReader() {}

    /**
     * What a reading pass saw: files read, documents handed to the sink and their chars, documents left out because
     * their id was excluded, and PubMed articles skipped for lack of an abstract (never documents, never excluded).
     */
    public static final class Stats {
        public long files, documents, chars, excludedDocuments, skippedArticles;
    }

    /** Calls `sink` with every document's text of every file (a directory means every corpus file in it, sorted by name). */
    public static void forEachDocument(List<Path> paths, Consumer<String> sink) {
        forEachDocument(paths, "text", sink);
    }

    /** As above, with the JSONL field that holds the text. */
    public static Stats forEachDocument(List<Path> paths, String textField, Consumer<String> sink) {
        return forEachDocument(paths, textField, Set.of(), doc -> sink.accept(doc.text()));
    }

    /**
     * Calls `sink` with every document (id and text) of every file except those whose id is in `excludedIds`
     * (exact string match; documents without an id are always kept). The excluded ones are counted in
     * {@link Stats#excludedDocuments} and not in documents or chars.
     */
    public static Stats forEachDocument(List<Path> paths, String textField, Set<String> excludedIds, Consumer<Document> sink) {
        Objects.requireNonNull(excludedIds, "excludedIds");
        Stats stats = new Stats();
        Consumer<Document> counting = doc -> {
            if (doc.id() != null && !excludedIds.isEmpty() && excludedIds.contains(doc.id())) {
                stats.excludedDocuments++;
                return;
            }
            stats.documents++;
            stats.chars += doc.text().length();
            sink.accept(doc);
        };
        for (Path file : expand(paths)) {
            stats.files++;
            stats.skippedArticles += readFile(file, textField, counting);
        }
        return stats;
    }

    /** The corpus files that `paths` stand for, in reading order. */
    public static List<Path> expand(List<Path> paths) {
        List<Path> out = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                List<Path> inDir = new ArrayList<>();
                try (Stream<Path> s = Files.list(p)) {
                    s.filter(Files::isRegularFile)
                            .filter(f -> !f.getFileName().toString().startsWith("."))
                            .filter(f -> formatOf(f) != null)
                            .forEach(inDir::add);
                } catch (IOException e) {
                    throw new InputException(p + ": cannot list directory (" + e.getMessage() + ")");
                }
                inDir.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
                if (inDir.isEmpty()) throw new InputException(p + ": no corpus files (.txt, .jsonl, .xml, .json, optionally .gz) in this directory");
                out.addAll(inDir);
            } else if (Files.isRegularFile(p)) {
                if (formatOf(p) == null) {
                    throw new InputException(p + ": unknown corpus format (expected .txt, .text, .jsonl, .xml or .json, optionally .gz)");
                }
                out.add(p);
            } else {
                throw new InputException(p + ": no such file or directory");
            }
        }
        return out;
    }

    /** "txt", "jsonl", "xml", "json", or null for a name we do not read. */
    static String formatOf(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".gz")) name = name.substring(0, name.length() - 3);
        if (name.endsWith(".txt") || name.endsWith(".text")) return "txt";
        if (name.endsWith(".jsonl")) return "jsonl";
        if (name.endsWith(".xml")) return "xml";
        if (name.endsWith(".json")) return "json";
        return null;
    }

    private static long readFile(Path file, String textField, Consumer<Document> sink) {
        String format = formatOf(file);
        String source = file.toString();
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz")
                     ? new GZIPInputStream(raw, 1 << 16) : raw;
             StrictUtf8Reader reader = new StrictUtf8Reader(in, source)) {
            switch (format) {
                case "txt":
                    readPlain(new BufferedReader(reader, 1 << 16), sink);
                    return 0;
                case "jsonl":
                    readJsonl(new BufferedReader(reader, 1 << 16), source, textField, sink);
                    return 0;
                case "xml":
                    return PubmedXml.read(reader, source, sink);
                default:
                    readPubmedQa(reader, source, sink);
                    return 0;
            }
        } catch (java.util.zip.ZipException e) {
            throw new InputException(source + ": not valid gzip data (" + e.getMessage() + ")");
        } catch (java.io.EOFException e) {
            throw new InputException(source + ": truncated file");
        } catch (IOException e) {
            throw new InputException(source + ": cannot read (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
    }

    private static boolean blank(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c != ' ' && c != '\t') return false;
        }
        return true;
    }

    private static void readPlain(BufferedReader r, Consumer<Document> sink) throws IOException {
        StringBuilder doc = new StringBuilder();
        boolean any = false;
        for (String line; (line = r.readLine()) != null; ) {
            if (blank(line)) {
                if (any) sink.accept(new Document(null, doc.toString()));
                doc.setLength(0);
                any = false;
            } else {
                if (any) doc.append('\n');
                doc.append(line);
                any = true;
            }
        }
        if (any) sink.accept(new Document(null, doc.toString()));
    }

    private static void readJsonl(BufferedReader r, String source, String field, Consumer<Document> sink) throws IOException {
        int lineNo = 0;
        for (String line; (line = r.readLine()) != null; ) {
            lineNo++;
            if (line.isBlank()) continue;
            String where = source + ":" + lineNo;
            Map<String, Object> obj = Json.asObject(Json.parse(line, where), where);
            String text = Json.asString(Json.field(obj, field, where), where + ": field \"" + field + "\"");
            sink.accept(new Document(jsonlId(obj.get("pmid"), where), text));
        }
    }

    /** A JSONL record's "pmid" value as an id: a string as is, an integer in decimal, null for absent/null. */
    private static String jsonlId(Object pmid, String where) {
        if (pmid == null) return null;
        if (pmid instanceof String) return (String) pmid;
        if (pmid instanceof Long) return pmid.toString();
        String found = pmid instanceof Double ? "a non-integer or too long number" : pmid instanceof Boolean ? "a boolean"
                : pmid instanceof Map ? "an object" : pmid instanceof List ? "an array" : "another value";
        throw new InputException(where + ": field \"pmid\": expected a string or an integer (up to 18 digits), found " + found);
    }

    private static void readPubmedQa(StrictUtf8Reader r, String source, Consumer<Document> sink) throws IOException {
        StringBuilder sb = new StringBuilder();
        char[] buf = new char[1 << 16];
        for (int n; (n = r.read(buf, 0, buf.length)) >= 0; ) sb.append(buf, 0, n);
        Object root = Json.parse(sb.toString(), source);
        if (!(root instanceof Map)) {
            throw new InputException(source + ": expected PubMedQA JSON (an object of records with QUESTION and CONTEXTS)");
        }
        for (Map.Entry<String, Object> e : Json.asObject(root, source).entrySet()) {
            String where = source + ": record " + e.getKey();
            Map<String, Object> rec = Json.asObject(e.getValue(), where);
            StringBuilder doc = new StringBuilder(Json.asString(Json.field(rec, "QUESTION", where), where + ": QUESTION"));
            List<Object> contexts = Json.asArray(Json.field(rec, "CONTEXTS", where), where + ": CONTEXTS");
            for (int i = 0; i < contexts.size(); i++) {
                doc.append('\n').append(Json.asString(contexts.get(i), where + ": CONTEXTS[" + i + "]"));
            }
            sink.accept(new Document(e.getKey(), doc.toString()));
        }
    }
}
