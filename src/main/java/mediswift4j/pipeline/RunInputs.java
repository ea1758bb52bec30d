package mediswift4j.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import mediswift4j.data.CorpusReader;
import mediswift4j.util.InputException;

/**
 * Names the files a reproduction read, so its report can say what it was run on instead of assuming: each file
 * with its path, size and SHA-256, and whether it is one of the synthetic samples shipped in corpus-samples/
 * (recognised by content hash, wherever it lies; the hashes are checked against the shipped files by a test).
 * kind = "shipped synthetic samples" when every file is one, "user files" when none is, else "mixed".
 */
final class RunInputs {
    /** SHA-256 of the files in corpus-samples/ (written for this project; see corpus-samples/README.md). */
    static final Set<String> SHIPPED_SAMPLES = Set.of(
            "58da1c7a443c1f4d1f20992ab471c0fb9d505715ef4b6be80e3462557adb77e3",  // pubmed-sample.txt
            "3831a225bc111e7c39e4438ee4e6188bb3da57634b99ed72fb1652c83eec62e1",  // pubmedqa/ori_pqal.json
            "843d8f4545a858d17ee148ab34ac068967e4ab9a9b050baca0731e9b7ad2062b",  // pubmedqa/test_ground_truth.json
            "f38093cda3fcb1b36d1c50164413affe6c570c80ce588878659041c1014ec44f",  // hoc/dev.tsv
            "575b71aaf39709036a03bdda0d692b20476566270a738ac2fbd2c9057a845e80",  // hoc/test.tsv
            "c68d7d987ae5902d682a06eee76a13e3f480118d1a8f954ff2313ba85cfb3657"); // hoc/train.tsv

    private RunInputs() {}

    /** The inputs section of results.json. */
    static Map<String, Object> describe(List<Path> corpus, Path pubmedqaDir, Path hocDir) {
        List<Object> c = files(CorpusReader.expand(corpus));
        List<Path> pq = new ArrayList<>();
        for (String n : new String[] {"ori_pqal.json", "test_ground_truth.json"}) {
            if (Files.isRegularFile(pubmedqaDir.resolve(n))) pq.add(pubmedqaDir.resolve(n));
        }
        List<Path> hoc = new ArrayList<>();
        for (String n : new String[] {"train.tsv", "dev.tsv", "test.tsv"}) {
            if (Files.isRegularFile(hocDir.resolve(n))) hoc.add(hocDir.resolve(n));
        }
        List<Object> p = files(pq), h = files(hoc);
        int shipped = 0, all = 0;
        for (List<Object> group : List.of(c, p, h)) {
            for (Object o : group) {
                all++;
                if (Boolean.TRUE.equals(((Map<?, ?>) o).get("shipped_sample"))) shipped++;
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", shipped == all ? "shipped synthetic samples" : shipped == 0 ? "user files" : "mixed");
        m.put("corpus", c);
        m.put("pubmedqa", p);
        m.put("hoc", h);
        return m;
    }

    private static List<Object> files(List<Path> paths) {
        List<Object> out = new ArrayList<>();
        for (Path f : paths) {
            Map<String, Object> m = new LinkedHashMap<>();
            String sha = StageCache.fileHash(f);
            m.put("path", f.toString());
            try {
                m.put("bytes", Files.size(f));
            } catch (IOException e) {
                throw new InputException(f + ": cannot read its size (" + e.getMessage() + ")");
            }
            m.put("sha256", sha);
            m.put("shipped_sample", SHIPPED_SAMPLES.contains(sha));
            out.add(m);
        }
        return out;
    }

    /** The hashes of every input, in order: part of the stage keys. */
    @SuppressWarnings("unchecked")
    static List<Object> hashes(Map<String, Object> inputs, String group) {
        List<Object> out = new ArrayList<>();
        for (Object o : (List<Object>) inputs.get(group)) out.add(((Map<String, Object>) o).get("sha256"));
        return out;
    }
}
