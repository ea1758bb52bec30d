package mediswift4j.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hand-built results maps for the report tests, in the shape Reproduction writes (Long and Double numbers, so they
 * read back from JSON unchanged):
 *
 *   synthetic()  the shipped samples, one pre-training seed, sparse losses above dense as the paper expects,
 *                every row clearly above its baseline;
 *   real()       the user's files, two pre-training seeds, 75% below dense (disagreeing with the paper), an
 *                unstable dense run, a 75% row with HoC micro-F1 0, and a sparse-against-dense comparison whose
 *                estimate is positive but not real.
 */
final class ReportFixtures {
    static final String CORPUS_SHA = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    static final String PQ_SHA = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";
    static final String HOC_SHA = "aaaabbbbccccddddeeeeffff00001111aaaabbbbccccddddeeeeffff00001111";

    private ReportFixtures() {}

    /** A map from alternating keys and values, in order. */
    static Map<String, Object> obj(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    static List<Object> arr(Object... items) {
        return new ArrayList<>(List.of(items));
    }

    static Map<String, Object> synthetic() {
        Map<String, Object> r = common("shipped synthetic samples", true);
        r.put("pretrain", arr(run(0.0, 1234L, 3.30, "stable"), run(0.5, 1234L, 3.41, "stable"), run(0.75, 1234L, 3.52, "stable")));
        r.put("downstream", downstream(List.of(
                row("dense / dense", 0.0, "dense", 1, 0.70, 0.45, 0.60, 0.90),
                row("75% / dense", 0.75, "dense", 1, 0.66, 0.40, 0.58, 0.85)), List.of(
                cmp("dense / dense", "always 'yes' (most frequent training label)", "pubmedqa_accuracy", 0.15, 0.08, 0.22, true),
                cmp("dense / dense", "all ten labels", "hoc_micro_f1", 0.30, 0.22, 0.38, true),
                cmp("75% / dense", "always 'yes' (most frequent training label)", "pubmedqa_accuracy", 0.11, 0.04, 0.18, true),
                cmp("75% / dense", "all ten labels", "hoc_micro_f1", 0.28, 0.20, 0.36, true),
                cmp("75% / dense", "dense / dense", "pubmedqa_accuracy", -0.04, -0.09, 0.01, false)), false));
        return r;
    }

    static Map<String, Object> real() {
        Map<String, Object> r = common("user files", false);
        Map<String, Object> unstable = run(0.0, 1L, 3.90, "loss spikes");
        r.put("pretrain", arr(unstable, run(0.0, 2L, 3.70, "stable"), run(0.75, 1L, 3.60, "stable"), run(0.75, 2L, 3.62, "stable")));
        r.put("pretrain_summary", arr(
                obj("label", "dense", "sparsity", 0.0, "seeds", 2L, "final_validation_loss_mean", 3.80, "final_validation_loss_std", 0.1414),
                obj("label", "75%", "sparsity", 0.75, "seeds", 2L, "final_validation_loss_mean", 3.61, "final_validation_loss_std", 0.0141)));
        r.put("downstream", downstream(List.of(
                row("dense / dense", 0.0, "dense", 6, 0.58, 0.40, 0.31, 0.90),
                row("75% / dense", 0.75, "dense", 6, 0.61, 0.42, 0.0, 0.02)), List.of(
                cmp("dense / dense", "always 'yes' (most frequent training label)", "pubmedqa_accuracy", 0.03, -0.02, 0.08, false),
                cmp("dense / dense", "all ten labels", "hoc_micro_f1", 0.05, 0.01, 0.09, true),
                cmp("75% / dense", "always 'yes' (most frequent training label)", "pubmedqa_accuracy", 0.06, 0.01, 0.11, true),
                cmp("75% / dense", "all ten labels", "hoc_micro_f1", -0.26, -0.30, -0.22, true),
                cmp("75% / dense", "dense / dense", "pubmedqa_accuracy", 0.03, -0.01, 0.07, false),
                cmp("75% / dense", "dense / dense", "pubmedqa_macro_f1", 0.02, 0.005, 0.04, false),
                cmp("75% / dense", "dense / dense", "hoc_micro_f1", -0.31, -0.35, -0.27, true)), true));
        return r;
    }

    private static Map<String, Object> common(String kind, boolean shipped) {
        Map<String, Object> r = obj("mode", "full", "seed", 1234L, "wall_seconds", 812.5);
        r.put("plan", obj("config", "mediswift-tiny", "vocab", 2048L, "seq_len", 64L, "batch", 16L, "steps", 500L, "lr", 0.003,
                "warmup", 40L, "fine_tune_lr", 0.01, "pubmedqa_epochs", 8L, "hoc_epochs", 2L, "seeds", 1L, "pretrain_seeds", 1L, "folds", arr(0L)));
        String dir = shipped ? "corpus-samples/" : "/data/";
        r.put("inputs", obj("kind", kind,
                "corpus", arr(obj("path", dir + "pubmed.txt", "bytes", 2_500_000L, "sha256", CORPUS_SHA, "shipped_sample", shipped)),
                "pubmedqa", arr(obj("path", dir + "pubmedqa/ori_pqal.json", "bytes", 1_200_000L, "sha256", PQ_SHA, "shipped_sample", shipped)),
                "hoc", arr(obj("path", dir + "hoc/test.tsv", "bytes", 300_000L, "sha256", HOC_SHA, "shipped_sample", shipped))));
        r.put("corpus", obj("documents", 1000L, "excluded_test_documents", 7L, "allow_test_overlap", false));
        r.put("tokenizer", obj("vocab_size", 2048L, "documents", 993L, "characters", 2_400_000L, "seconds", 12.5));
        r.put("data", obj("tokens", 600_000L, "train_tokens", 570_000L, "validation_tokens", 30_000L));
        r.put("model", obj("name", "mediswift-tiny", "layers", 2L, "d_model", 128L, "heads", 4L, "context_length", 128L, "vocab_size", 2048L));
        r.put("speedups", arr(
                obj("sparsity", 0.0, "flop_reduction_counted", 1.0, "cs2_predicted_speedup", 1.0, "cpu_tokens_per_s", 5000.0, "cpu_measured_speedup", 1.0),
                obj("sparsity", 0.75, "flop_reduction_counted", 1.8, "cs2_predicted_speedup", 1.6, "cpu_tokens_per_s", 6000.0, "cpu_measured_speedup", 1.2)));
        r.put("flop_table", arr(
                obj("model", "mediswift-med", "sparsity", 0.75, "training_flops", 1.1e20, "reduction", 2.05, "cs2_predicted_speedup", 1.9),
                obj("model", "mediswift-xl", "sparsity", 0.75, "training_flops", 3.1e20, "reduction", 2.44, "cs2_predicted_speedup", 2.2)));
        return r;
    }

    static Map<String, Object> run(double sparsity, long seed, double valLoss, String verdict) {
        String label = sparsity == 0 ? "dense" : Math.round(sparsity * 100) + "%";
        return obj("sparsity", sparsity, "label", label, "seed", seed, "steps", 500L, "tokens", 512_000L, "wall_seconds", 100.0,
                "tokens_per_s", 5000.0, "sparse_kernel", sparsity >= 0.75, "final_train_loss", valLoss - 0.1, "final_validation_loss", valLoss,
                "validation_curve", arr(obj("step", 250L, "validation_loss", valLoss + 1, "flops", 1e13),
                        obj("step", 500L, "validation_loss", valLoss, "flops", 2e13)),
                "train_curve", arr(arr(1L, 7.6), arr(500L, valLoss - 0.1)),
                "stability", obj("verdict", verdict, "detail", "stable".equals(verdict) ? "no loss spike"
                        : "3 step(s) with a training loss more than 1.0 above the median of the 20 steps before (first at step 212)"));
    }

    static Map<String, Object> row(String name, double sparsity, String ft, long runs, double acc, double f1, double hoc, double labelled) {
        return obj("name", name, "pretraining", name.substring(0, name.indexOf(" /")), "sparsity", sparsity, "fine_tuning", ft, "runs", runs,
                "pubmedqa_accuracy", score(acc, runs), "pubmedqa_macro_f1", score(f1, runs), "hoc_micro_f1", score(hoc, runs),
                "selected_epochs", obj("pubmedqa", arr(3L), "hoc", arr(1L)),
                "pubmedqa_predicted", obj("yes", 140L, "no", 8L, "maybe", 2L),
                "hoc_abstracts_with_prediction", labelled, "seconds", 321.0);
    }

    private static Map<String, Object> score(double mean, long runs) {
        return obj("mean", mean, "std", runs > 1 ? 0.012 : 0.0, "low", Math.max(0, mean - 0.05), "high", mean + 0.05);
    }

    static Map<String, Object> cmp(String a, String b, String metric, double est, double low, double high, boolean real) {
        return obj("a", a, "b", b, "metric", metric, "difference", obj("estimate", est, "low", low, "high", high), "real", real);
    }

    private static Map<String, Object> downstream(List<Object> rows, List<Object> comparisons, boolean sampled) {
        return obj(
                "pubmedqa", obj("protocol", "PQA-L 10-fold cross-validation, fold 0 (450 train / 50 dev)", "folds", arr(0L), "train_items", 450L,
                        "dev_items", 50L, "test", obj("evaluated", sampled ? 150L : 500L, "full", 500L, "sampled", sampled, "sample_seed", 1234L,
                                "labels_evaluated", sampled ? obj("yes", 83L, "no", 50L, "maybe", 17L) : obj("yes", 276L, "no", 169L, "maybe", 55L), "labels_full", obj("yes", 276L, "no", 169L, "maybe", 55L))),
                "hoc", obj("train_sentences", 12000L, "train_abstracts", 1108L, "dev_abstracts", 157L, "dev_sentences", 1600L,
                        "test", obj("evaluated_abstracts", sampled ? 100L : 315L, "evaluated_sentences", 1000L, "full_abstracts", 315L,
                                "sampled", sampled, "sample_seed", 1234L,
                                "labels_evaluated", sampled ? obj("sustaining proliferative signaling", 20L, "none", 40L)
                                        : obj("sustaining proliferative signaling", 62L, "none", 127L),
                                "labels_full", obj("sustaining proliferative signaling", 62L, "none", 127L))),
                "baselines", arr(
                        obj("task", "pubmedqa", "name", "always 'yes' (most frequent training label)",
                                "evaluated", obj("accuracy", obj("estimate", 0.553, "low", 0.473, "high", 0.633),
                                        "macro_f1", obj("estimate", 0.237, "low", 0.214, "high", 0.259)),
                                "full_test", obj("accuracy", 0.552, "macro_f1", 0.2371)),
                        obj("task", "hoc", "name", "all ten labels", "evaluated", obj("micro_f1", obj("estimate", 0.26, "low", 0.22, "high", 0.30)),
                                "full_test", obj("micro_f1", 0.2308)),
                        obj("task", "hoc", "name", "no label", "evaluated", obj("micro_f1", obj("estimate", 0.0, "low", 0.0, "high", 0.0)),
                                "full_test", obj("micro_f1", 0.0))),
                "rows", new ArrayList<>(rows),
                "comparisons", new ArrayList<>(comparisons));
    }
}
