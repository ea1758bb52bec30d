package mediswift4j.pubmedqa;

import mediswift4j.util.InputException;

/** The three PubMedQA answers, in the order used everywhere (stratification, confusion matrices, candidates). */
public enum PubmedqaLabel {
    YES("yes"),
    NO("no"),
    MAYBE("maybe");

    /** The answer as written in the data files and in prediction files: lower case. */
    public final String text;

    PubmedqaLabel(String text) {
        this.text = text;
    }

    /** Parses "yes", "no" or "maybe" exactly (no case folding: the official scorer compares strings as they are). */
    public static PubmedqaLabel parse(String s, String where) {
        for (PubmedqaLabel l : values()) if (l.text.equals(s)) return l;
        throw new InputException(where + ": unknown label \"" + s + "\" (expected \"yes\", \"no\" or \"maybe\")");
    }

    @Override
    public String toString() {
        return text;
    }
}
