package mediswift4j.data;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import mediswift4j.util.InputException;

/** Regression: a mutant found by LoaderFuzzTest made the JDK's XML parser throw MissingResourceException. */
class PubmedXmlMalformedTest {
    private static final String MUTANT = "PD94bWwgdmVyc2lvbj0iMS4wIiBlbmNvZGluZz0iVVRGLTgiPz4KPCFET0NUWVBFIFB1Ym1lZEFyW2ljbGVTZXQgUFVCTElDICItLy9OTE0vL0RURCBQdWJNZWRBcnRpY2xlLCAxc3QgSmFudWFyeSAyMDI1Ly9FTiIgImh0dHBzOi8vZHRkLm5sbS5uaWguZ292L25jYmkvcHVibWVkL291dC9wdWJtZWRfMjUwMTAxLmR0ZCI+CjxQdWJtZWRBcnRpY2xlU2V0PjxQdWJtZWRBcnRpY2xlPjxNZWRsaW5lQ2l0YXRpb24+PEFydGljbGU+PEFydGljbGVUaXRsZT5BIDxpPnRpdGxlPC9pPiAmYW1wOyBtb3JlPC9BcnRpY2xlVGl0bGU+CjwBYnN0cmFjdD48QWJzdHJhY3RUZXh0IExhYmVsPSJCQUNLR1JPVU5EIj5DZWxscyAmbHQ7Z3JvdyZndDsgwrUuPDpBYnN0cmFjdFRleHQ+PEFic3RyYWN0VGV4dD48IVtDREFUQVtyYXcgPHRleHQ+XV0+PC9BYnN0cmFjdFRleHQ+PC9BYnN0cmFjdD48L0FydGljbGU+PC9NZWRsaW5lQ2kvQXJ0aWNsZT48L01lZGxpbmVDaXRhdGlvbj48L1B1Ym1lZEFydGljbGU+CjxQdWJtZWRBcnRpY2xlPjxNZWRsaW5lQ2l0YXRpb24+PEFydGljbGU+PEFydGljbGVUaXRsZT5ObyBhYnN0cmFjdDwvQXJ0aWNsZVRpdGxlPjwvQXJ0aWNsZT48L01lZGxpbmVDaXRhdGlvbj48L1B1Ym1lZEFydGljbGU+CjwvUHVibWVkQXJ0aWNsZVNldD4K";

    @Test
    void parserRuntimeFailuresBecomeInputExceptionsNamingTheFile() {
        String xml = new String(Base64.getDecoder().decode(MUTANT), java.nio.charset.StandardCharsets.UTF_8);
        InputException e = assertThrows(InputException.class, () -> PubmedXml.read(new StringReader(xml), "mutant.xml", doc -> {}));
        assertTrue(e.getMessage().startsWith("mutant.xml"), e.getMessage());
    }

    @Test
    void exceptionsFromTheSinkPassThroughUnchanged() {
        String xml = "<PubmedArticleSet><PubmedArticle><Article><ArticleTitle>T</ArticleTitle><Abstract><AbstractText>A</AbstractText>"
                + "</Abstract></Article></PubmedArticle></PubmedArticleSet>";
        assertThrows(IllegalStateException.class, () -> PubmedXml.read(new StringReader(xml), "ok.xml", doc -> {
            throw new IllegalStateException("from the sink");
        }));
    }
}
