package mediswift4j.pubmedqa;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import mediswift4j.util.InputException;

/**
 * The official PubMedQA (PQA-L) splits, reproduced exactly: same PMIDs, same folds, same order.
 *
 * The PubMedQA authors' split (their preprocess/split_dataset.py, Python `random` seeded with 0) works like this;
 * SPEC.md section 13 states it for other implementations:
 *
 *   stratifiedSplit(pmids in order, k):
 *     for each label in the order yes, no, maybe: take that label's PMIDs in their current order,
 *       shuffle them (Python random.shuffle), and cut them into k chunks of ceil(n / k), the last chunk the rest
 *     part i = chunk i of yes, then chunk i of no, then chunk i of maybe
 *     if part k-1 has a different size from part 0: for i = 0 .. k-2, pick one PMID of part i
 *       (random.choice over part i in its current order), remove it and append it to part k-1
 *
 *   one generator, seeded with 0, for everything, in this order:
 *     (pool, test) = stratifiedSplit(all PMIDs in ori_pqal.json order, 2)          # 500 / 500
 *     dev folds    = stratifiedSplit(pool, 10)                                     # 10 x 50
 *     train of fold f = the dev parts of every other fold, in fold order          # 450
 *
 * The test half comes out equal to test_ground_truth.json (same PMIDs in the same order), which checks the port.
 */
public final class PubmedqaSplits {
    public static final int FOLDS = 10;
    /** The seed of the official split script. */
    public static final long OFFICIAL_SEED = 0;

    private final List<String> test;
    private final List<String> pool;
    private final List<List<String>> devFolds;

    private PubmedqaSplits(List<String> test, List<String> pool, List<List<String>> devFolds) {
        this.test = test;
        this.pool = pool;
        this.devFolds = devFolds;
    }

    /** The official splits of `data` (ori_pqal.json order matters). */
    public static PubmedqaSplits official(PubmedqaData data) {
        Map<String, PubmedqaLabel> labels = new java.util.HashMap<>();
        for (PubmedqaRecord r : data.records()) labels.put(r.pmid(), r.label());
        PythonRandom rng = new PythonRandom(OFFICIAL_SEED);
        List<List<String>> halves, folds;
        try {
            halves = stratifiedSplit(data.pmids(), labels::get, 2, rng);
            folds = stratifiedSplit(halves.get(0), labels::get, FOLDS, rng);
        } catch (IllegalArgumentException e) {
            // the official procedure cannot rebalance when a part comes out empty (Python fails there too)
            throw tooFew(data);
        }
        for (List<String> f : folds) if (f.isEmpty() || halves.get(1).isEmpty()) throw tooFew(data);
        List<List<String>> frozen = new ArrayList<>();
        for (List<String> f : folds) frozen.add(Collections.unmodifiableList(f));
        return new PubmedqaSplits(Collections.unmodifiableList(halves.get(1)),
                Collections.unmodifiableList(halves.get(0)), Collections.unmodifiableList(frozen));
    }

    private static InputException tooFew(PubmedqaData data) {
        return new InputException(data.source() + ": too few records (" + data.size()
                + ") to cut into a test half and " + FOLDS + " non-empty stratified folds");
    }

    /**
     * Cuts `pmids` into `k` parts stratified by label, drawing from `rng` exactly as the official script does
     * (see the class comment). `pmids` is not modified.
     */
    public static List<List<String>> stratifiedSplit(List<String> pmids, Function<String, PubmedqaLabel> labelOf,
                                                     int k, PythonRandom rng) {
        if (k < 1) throw new IllegalArgumentException("k must be positive, got " + k);
        Map<PubmedqaLabel, List<String>> byLabel = new EnumMap<>(PubmedqaLabel.class);
        for (PubmedqaLabel l : PubmedqaLabel.values()) byLabel.put(l, new ArrayList<>());
        for (String p : pmids) byLabel.get(labelOf.apply(p)).add(p);

        List<List<String>> parts = new ArrayList<>();
        for (int i = 0; i < k; i++) parts.add(new ArrayList<>());
        // Every label is shuffled before any part is assembled: the draws happen in the order yes, no, maybe.
        Map<PubmedqaLabel, List<List<String>>> chunksByLabel = new EnumMap<>(PubmedqaLabel.class);
        for (PubmedqaLabel l : PubmedqaLabel.values()) {
            List<String> shuffled = byLabel.get(l);
            rng.shuffle(shuffled);
            chunksByLabel.put(l, chunks(shuffled, k));
        }
        for (int i = 0; i < k; i++) {
            for (PubmedqaLabel l : PubmedqaLabel.values()) parts.get(i).addAll(chunksByLabel.get(l).get(i));
        }

        List<String> last = parts.get(k - 1);
        if (last.size() != parts.get(0).size()) {
            for (int i = 0; i < k - 1; i++) {
                List<String> part = parts.get(i);
                String picked = rng.choice(part);
                part.remove(picked);
                last.add(picked);
            }
        }
        return parts;
    }

    /** k chunks of ceil(n / k) items (Python slicing: a chunk past the end is empty), the last one the rest. */
    private static List<List<String>> chunks(List<String> xs, int k) {
        int n = xs.size();
        int size = (n + k - 1) / k;
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            int from = Math.min(i * size, n);
            int to = i == k - 1 ? n : Math.min((i + 1) * size, n);
            out.add(new ArrayList<>(xs.subList(from, to)));
        }
        return out;
    }

    /** The 500 test PMIDs, in the order of test_ground_truth.json. */
    public List<String> test() {
        return test;
    }

    /** The 500 cross-validation PMIDs (the other half), in split order. */
    public List<String> pool() {
        return pool;
    }

    /** The records of one fold: train (450), dev (50) and the test split (500), each in split order. */
    public record Fold(List<PubmedqaRecord> train, List<PubmedqaRecord> dev, List<PubmedqaRecord> test) {}

    /** Fold f of `data` as records (e.g. fold 0, the one BioGPT, BLURB and lm-eval use). */
    public Fold fold(PubmedqaData data, int f) {
        String where = "PubMedQA fold " + f;
        return new Fold(data.select(train(f), where), data.select(dev(f), where), data.select(test, where));
    }

    /** The 50 dev PMIDs of fold f (0..9). */
    public List<String> dev(int fold) {
        checkFold(fold);
        return devFolds.get(fold);
    }

    /** The 450 train PMIDs of fold f: every other fold's dev part, in fold order. */
    public List<String> train(int fold) {
        checkFold(fold);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < devFolds.size(); i++) if (i != fold) out.addAll(devFolds.get(i));
        return out;
    }

    private void checkFold(int fold) {
        if (fold < 0 || fold >= devFolds.size()) {
            throw new IllegalArgumentException("fold must be in [0, " + (devFolds.size() - 1) + "], got " + fold);
        }
    }

    /**
     * Checks that the test half equals a ground-truth file (same PMIDs in the same order, same labels); an
     * InputException names the first difference. This is how the split port is validated on the real data.
     */
    public void checkTestAgainst(Map<String, PubmedqaLabel> groundTruth, PubmedqaData data, String where) {
        List<String> truth = new ArrayList<>(groundTruth.keySet());
        for (String p : truth) data.get(p, where);
        for (int i = 0; i < Math.min(truth.size(), test.size()); i++) {
            if (!truth.get(i).equals(test.get(i))) {
                throw new InputException(where + ": the reproduced test split differs at position " + i
                        + ": PMID " + test.get(i) + " where the ground truth has " + truth.get(i));
            }
        }
        if (truth.size() != test.size()) {
            throw new InputException(where + ": the reproduced test split has " + test.size()
                    + " PMIDs, the ground truth " + truth.size());
        }
        for (String p : truth) {
            PubmedqaLabel gold = groundTruth.get(p);
            PubmedqaLabel mine = data.get(p, where).label();
            if (gold != mine) {
                throw new InputException(where + ": PMID " + p + " is \"" + gold + "\" there but final_decision is \""
                        + mine + "\" in " + data.source());
            }
        }
    }
}
