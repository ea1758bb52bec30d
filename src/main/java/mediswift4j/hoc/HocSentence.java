package mediswift4j.hoc;

/**
 * One row of BLURB's HoC TSV: a sentence of an abstract with its gold label mask (bit k = label k of HocLabels).
 * index is `<PMID>_s<i>` as written in the file; pmid and sentenceNumber are its two parts.
 */
public record HocSentence(String index, String pmid, int sentenceNumber, String text, int labels) {
    public boolean has(int label) {
        return (labels >> label & 1) != 0;
    }

    /** The ten flags as booleans, label order. */
    public boolean[] flags() {
        boolean[] f = new boolean[HocLabels.COUNT];
        for (int k = 0; k < f.length; k++) f[k] = has(k);
        return f;
    }
}
