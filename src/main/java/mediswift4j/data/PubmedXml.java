package mediswift4j.data;

import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import mediswift4j.util.InputException;

/**
 * PubMed baseline XML (pubmed25n0001.xml[.gz] and the like): one document per &lt;PubmedArticle&gt; that has an
 * abstract: the text of &lt;ArticleTitle&gt;, a newline, then the text of each &lt;AbstractText&gt; of its
 * &lt;Abstract&gt; (not &lt;OtherAbstract&gt;), joined by newlines. Inline markup inside these elements (&lt;i&gt;,
 * &lt;sup&gt;, ...) contributes its text; section labels (the Label attribute) are not included; each part is
 * trimmed. Articles without abstract text are skipped and counted. The DTD is never fetched.
 *
 * The document's id ({@link Document#id()}) is the article's PMID: the trimmed text of the first &lt;PMID&gt; that is a
 * direct child of the article's &lt;MedlineCitation&gt;. PMIDs deeper inside (&lt;CommentsCorrections&gt; and the
 * like name other articles) are not it, nor is &lt;PubmedData&gt;'s ArticleId list. No such element (or an empty
 * one): the id is null.
 */
final class PubmedXml {
    private PubmedXml() {}

    /** Reads one file's articles; returns the number of articles skipped for lack of an abstract. */
    static long read(Reader reader, String source, Consumer<Document> sink) {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_COALESCING, true);
        long skipped = 0;
        XMLStreamReader x = null;
        try {
            x = f.createXMLStreamReader(reader);
            ArticleReader article = new ArticleReader();
            int depth = 0; // element nesting depth (the root element is 1)
            while (x.hasNext()) {
                int ev = x.next();
                if (ev == XMLStreamConstants.START_ELEMENT) {
                    article.start(x.getLocalName(), ++depth);
                } else if (ev == XMLStreamConstants.CHARACTERS || ev == XMLStreamConstants.CDATA) {
                    article.text(x.getText());
                } else if (ev == XMLStreamConstants.END_ELEMENT) {
                    if (!article.end(x.getLocalName(), --depth)) continue;
                    Document doc = article.document();
                    if (doc == null) {
                        skipped++;
                        continue;
                    }
                    try {
                        sink.accept(doc);
                    } catch (RuntimeException fromSink) {
                        throw new SinkFailure(fromSink);
                    }
                }
            }
        } catch (SinkFailure e) {
            throw e.cause;
        } catch (InputException e) {
            throw e; // from the strict UTF-8 reader under the parser: it already names the file and byte offset
        } catch (RuntimeException e) {
            // The JDK's StAX parser sometimes fails on malformed input with an unchecked exception instead of an
            // XMLStreamException (e.g. MissingResourceException while formatting its own message for a bad DTD
            // character): that is still malformed input, reported with where the parser stopped.
            var loc = x == null ? null : x.getLocation();
            String where = loc == null ? "" : ":" + loc.getLineNumber() + ":" + loc.getColumnNumber();
            throw new InputException(source + where + ": malformed XML (the parser failed: " + e.getClass().getSimpleName() + ")");
        } catch (XMLStreamException e) {
            var loc = e.getLocation();
            String where = loc == null ? "" : ":" + loc.getLineNumber() + ":" + loc.getColumnNumber();
            String msg = e.getMessage();
            int cut = msg == null ? -1 : msg.indexOf("Message: ");
            if (cut >= 0) msg = msg.substring(cut + 9);
            if (e.getNestedException() instanceof InputException) throw (InputException) e.getNestedException();
            throw new InputException(source + where + ": malformed XML: " + msg);
        } finally {
            if (x != null) {
                try {
                    x.close();
                } catch (XMLStreamException ignored) {
                    // closing a reader we are done with
                }
            }
        }
        return skipped;
    }

    /**
     * The state of one pass through the XML, fed element by element: collects the current article's title,
     * abstract paragraphs and PMID (the MedlineCitation's own PMID, not one nested deeper, such as a comment's).
     */
    private static final class ArticleReader {
        private boolean inArticle, inAbstract;
        private StringBuilder field;       // text being collected, or null
        private StringBuilder pmidField;   // the PMID's text being collected, or null
        private int citationDepth = -1;    // depth of the article's open <MedlineCitation>, or -1
        private String title = "", pmid;
        private final List<String> parts = new ArrayList<>();

        void start(String name, int depth) {
            if (name.equals("PubmedArticle")) {
                inArticle = true;
                title = "";
                pmid = null;
                citationDepth = -1;
                parts.clear();
            } else if (inArticle && citationDepth < 0 && name.equals("MedlineCitation")) {
                citationDepth = depth;
            } else if (inArticle && name.equals("PMID") && depth == citationDepth + 1 && pmid == null && pmidField == null) {
                pmidField = new StringBuilder();
            } else if (inArticle && name.equals("Abstract")) {
                inAbstract = true;
            } else if (inArticle && field == null && (name.equals("ArticleTitle") || (inAbstract && name.equals("AbstractText")))) {
                field = new StringBuilder();
            }
        }

        void text(String t) {
            if (field != null) field.append(t);
            if (pmidField != null) pmidField.append(t);
        }

        /** Handles an end tag at the depth after closing it; true when it closed an article. */
        boolean end(String name, int depth) {
            if (pmidField != null && name.equals("PMID") && depth == citationDepth) {
                String t = pmidField.toString().trim();
                pmid = t.isEmpty() ? null : t;
                pmidField = null;
            } else if (name.equals("MedlineCitation") && depth + 1 == citationDepth) {
                citationDepth = -1;
            } else if (field != null && name.equals("ArticleTitle")) {
                title = field.toString().trim();
                field = null;
            } else if (field != null && name.equals("AbstractText")) {
                String t = field.toString().trim();
                if (!t.isEmpty()) parts.add(t);
                field = null;
            } else if (name.equals("Abstract")) {
                inAbstract = false;
            } else if (name.equals("PubmedArticle")) {
                inArticle = false;
                return true;
            }
            return false;
        }

        /** The article just closed: title and paragraphs one per line, or null when it has no abstract text. */
        Document document() {
            if (parts.isEmpty()) return null;
            StringBuilder doc = new StringBuilder(title);
            for (String p : parts) {
                if (doc.length() > 0) doc.append('\n');
                doc.append(p);
            }
            return new Document(pmid, doc.toString());
        }
    }

    /** Carries an exception thrown by the caller's sink past the parser-failure handler unchanged. */
    private static final class SinkFailure extends RuntimeException {
        final RuntimeException cause;

        SinkFailure(RuntimeException cause) {
            super(cause);
            this.cause = cause;
        }
    }
}
