package mediswift4j.data;

/**
 * One corpus document: its text and, when the format names one, its id (the PubMed PMID), else null.
 *
 * The id per format ({@link CorpusReader}):
 *   .json   PubMedQA: the record's key, as written (e.g. "21645374")
 *   .xml    PubMed XML: the text of the article's &lt;PMID&gt; that is a direct child of &lt;MedlineCitation&gt;,
 *           trimmed (PMIDs of cited or commented articles deeper inside are not it); null when there is none
 *   .jsonl  the field "pmid": a string as written, an integer number in decimal (12345 -> "12345"); null when
 *           the field is absent or JSON null; any other value is an input error
 *   .txt    always null
 * Ids are compared as exact strings (no trimming, no leading-zero or number normalization beyond the above).
 */
public record Document(String id, String text) {
    public Document {
        if (text == null) throw new NullPointerException("text");
    }
}
