package mediswift4j.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import mediswift4j.io.AtomicFiles;
import mediswift4j.io.Json;
import mediswift4j.io.OutputPaths;
import mediswift4j.pubmedqa.PubmedqaData;
import mediswift4j.pubmedqa.PubmedqaSplits;

/**
 * `data pubmedqa-splits --data ori_pqal.json [--ground-truth test_ground_truth.json] --out DIR [--json]`
 *
 * Writes the official PubMedQA splits like the PubMedQA repository's split script: DIR/test_set.json and
 * DIR/pqal_fold{0..9}/{train_set,dev_set}.json, each a JSON object PMID -> record (records unchanged), formatted
 * as Python's json.dump(indent=4) does (ASCII only, no final newline). With --ground-truth, the test half is
 * checked against it first (same PMIDs, same order) and nothing is written if it differs.
 */
final class DataPubmedqaSplits {
    private DataPubmedqaSplits() {}

    static int run(Args args) throws Exception {
        Path data = Path.of(args.require("data"));
        String gt = args.string("ground-truth", null);
        Path out = Path.of(args.require("out"));
        boolean overwrite = args.flag("overwrite");
        boolean json = args.flag("json");
        args.finish();
        List<Path> read = new ArrayList<>(List.of(data));
        if (gt != null) read.add(Path.of(gt));
        OutputPaths.notAnInput("--out", List.of(out, out.resolve("test_set.json")), read);
        OutputPaths.runDirectory("--out", out, false, overwrite, null, "test_set.json", "pqal_fold0");

        PubmedqaData d = PubmedqaData.read(data);
        PubmedqaSplits s = PubmedqaSplits.official(d);
        if (gt != null) s.checkTestAgainst(PubmedqaData.readLabels(Path.of(gt)), d, gt);

        write(out.resolve("test_set.json"), d.rawSubset(s.test()));
        for (int f = 0; f < PubmedqaSplits.FOLDS; f++) {
            Path dir = out.resolve("pqal_fold" + f);
            write(dir.resolve("dev_set.json"), d.rawSubset(s.dev(f)));
            write(dir.resolve("train_set.json"), d.rawSubset(s.train(f)));
        }

        PrintStream o = Main.utf8(System.out);
        if (json) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("out", out.toString());
            r.put("test", (long) s.test().size());
            r.put("folds", (long) PubmedqaSplits.FOLDS);
            r.put("train_per_fold", (long) s.train(0).size());
            r.put("dev_per_fold", (long) s.dev(0).size());
            r.put("checked_against_ground_truth", gt != null);
            o.println(Json.write(r));
        } else {
            o.printf("wrote %s/test_set.json (%d items) and pqal_fold0..%d/{train_set,dev_set}.json (%d / %d)%s%n",
                    out, s.test().size(), PubmedqaSplits.FOLDS - 1, s.train(0).size(), s.dev(0).size(),
                    gt != null ? "; test split equals " + gt : "");
        }
        return 0;
    }

    private static void write(Path file, Map<String, Object> subset) throws java.io.IOException {
        AtomicFiles.writeString(file, Json.write(subset, 4, true));
    }
}
