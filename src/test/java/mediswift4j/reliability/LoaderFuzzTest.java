package mediswift4j.reliability;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import mediswift4j.data.CorpusReader;
import mediswift4j.data.TokenFile;
import mediswift4j.hoc.HocData;
import mediswift4j.hoc.HocEvaluation;
import mediswift4j.interop.CheckpointAudit;
import mediswift4j.interop.Gpt2Names;
import mediswift4j.io.Json;
import mediswift4j.io.SafeTensors;
import mediswift4j.io.TensorEntry;
import mediswift4j.pubmedqa.PubmedqaData;
import mediswift4j.tokenizer.BpeTokenizer;
import mediswift4j.tokenizer.BpeTrainer;
import mediswift4j.tokenizer.Gpt2Files;
import mediswift4j.train.Checkpoint;
import mediswift4j.train.Trainer;

/**
 * Issue item 2: every loader gets 10,000 mutants of a small valid input (10 jqwik tries x 1,000 seeded
 * mutations; see {@link Mutator} for the kinds and {@link FuzzHarness} for the contract: InputException naming
 * the file or success, no hang, no allocation above 64 MB). Seeds are a few hundred bytes to a few KB, so each
 * parse takes microseconds and the whole class runs in seconds.
 */
class LoaderFuzzTest {
    static final int PER_TRY = 1000;
    static Path dir;
    static Map<String, byte[]> seeds = new LinkedHashMap<>();
    static FuzzHarness harness;

    @BeforeContainer
    static void makeSeeds() throws Exception {
        dir = Files.createTempDirectory("mediswift4j-fuzz");
        harness = new FuzzHarness();
        seeds.put("pubmedqa", utf8("{\"12345\": {\"QUESTION\": \"Does aspirin reduce \\u00e9vents?\", \"CONTEXTS\": [\"First context.\", \"Second one, \u00b5g/ml.\"],\n"
                + " \"LABELS\": [\"BACKGROUND\", \"RESULTS\"], \"MESHES\": [\"Aspirin\"], \"YEAR\": \"2001\", \"reasoning_required_pred\": \"yes\",\n"
                + " \"reasoning_free_pred\": \"no\", \"final_decision\": \"yes\", \"LONG_ANSWER\": \"Yes, it does.\"},\n"
                + " \"678\": {\"QUESTION\": \"Q?\", \"CONTEXTS\": [], \"LONG_ANSWER\": \"\", \"final_decision\": \"maybe\"}}\n"));
        seeds.put("pubmedqa-labels", utf8("{\"12345\": \"yes\", \"678\": \"maybe\", \"9\": \"no\"}\n"));
        seeds.put("hoc", utf8("labels\tsentence\tindex\n"
                + "0_0,1_1,2_0,3_0,4_0,5_0,6_0,7_0,8_0,9_1\tTumour cells evade \u00e9 growth.\t1234_s0\n"
                + "0_0,1_0,2_0,3_0,4_0,5_0,6_0,7_0,8_0,9_0\tSecond sentence.\t1234_s1\r\n"
                + "0_1,1_0,2_0,3_0,4_0,5_0,6_1,7_0,8_0,9_0\tOther abstract.\t99_s0\n"));
        seeds.put("hoc-predictions", utf8("index\tlabels\n1234_s0\tinducing angiogenesis|resisting cell death\n1234_s1\tnone\n"
                + "99_s0\t0_0,1_0,2_0,3_0,4_0,5_0,6_1,7_0,8_0,9_0\n"));
        seeds.put("pubmed-xml", utf8("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<!DOCTYPE PubmedArticleSet PUBLIC \"-//NLM//DTD PubMedArticle, 1st January 2025//EN\" \"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd\">\n"
                + "<PubmedArticleSet><PubmedArticle><MedlineCitation><Article><ArticleTitle>A <i>title</i> &amp; more</ArticleTitle>\n"
                + "<Abstract><AbstractText Label=\"BACKGROUND\">Cells &lt;grow&gt; \u00b5.</AbstractText><AbstractText><![CDATA[raw <text>]]></AbstractText>"
                + "</Abstract></Article></MedlineCitation></PubmedArticle>\n"
                + "<PubmedArticle><MedlineCitation><Article><ArticleTitle>No abstract</ArticleTitle></Article></MedlineCitation></PubmedArticle>\n"
                + "</PubmedArticleSet>\n"));
        seeds.put("jsonl", utf8("{\"text\": \"first document\", \"id\": 1}\n\n{\"text\": \"second \\n line \\u00e9\", \"meta\": [1, 2.5, null]}\n"
                + "{\"id\": 3, \"text\": \"third\"}\n"));
        String plain = "First document, line one.\nLine two \u00e9\u00b5\u4e2d.\n\n   \nSecond document.\r\nWith CRLF.\n\n\nThird.";
        seeds.put("text", utf8(plain));
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(gz)) {
            z.write(utf8(plain + "\n" + plain));
        }
        seeds.put("text-gz", gz.toByteArray());
        seeds.put("json", utf8("{\"name\": \"mediswift-tiny\", \"layers\": 2, \"d_model\": 128, \"lr\": 6.0e-4, \"nested\": [[1, -2], {\"a\": true, \"b\": false}],"
                + " \"s\": \"\\\"esc\\\" \\/ \\ud83d\\ude00 \\t\", \"n\": null, \"big\": 12345678901234567890}\n"));

        // a BPE tokenizer of 270 tokens (256 bytes, 13 merges, <|endoftext|>)
        BpeTokenizer tok = BpeTrainer.train(List.of("the theme of the thesis: these thermal themes", "a b a b ab ab abab"), 270, null);
        Path tokDir = dir.resolve("tokenizer-seed");
        Gpt2Files.save(tok, tokDir);
        seeds.put("vocab.json", Files.readAllBytes(tokDir.resolve("vocab.json")));
        seeds.put("merges.txt", Files.readAllBytes(tokDir.resolve("merges.txt")));

        // a checkpoint of a micro model after one step (50% sparse: masks, Adam moments, every tensor kind)
        Path ckDir = dir.resolve("checkpoint-seed");
        Trainer t = Trainer.fresh(TinyRuns.MICRO, TinyRuns.tokens(13, 200, 1), TinyRuns.settings(1, 1e-2, 1, 0.5), null);
        t.run(1, ckDir, null);
        seeds.put("checkpoint", Files.readAllBytes(Checkpoint.file(ckDir)));

        Path tokFile = dir.resolve("tokens-seed.bin");
        TinyRuns.tokens(13, 40, 2).write(tokFile);
        seeds.put("token-file", Files.readAllBytes(tokFile));
        Path tokFileWide = dir.resolve("tokens-wide-seed.bin");
        int[] wide = new int[12];
        for (int i = 0; i < wide.length; i++) wide[i] = 65536 + i * 7;
        new TokenFile(70000, wide, 10).write(tokFileWide);
        seeds.put("token-file-wide", Files.readAllBytes(tokFileWide));

        LinkedHashMap<String, TensorEntry> tensors = new LinkedHashMap<>();
        tensors.put("w", TensorEntry.f32(new float[] {1f, -2f, 3.5f, 0f, Float.MIN_VALUE, 7f}, 2, 3));
        tensors.put("mask", TensorEntry.bool(new byte[] {1, 0, 1}, 3));
        tensors.put("ids", TensorEntry.u8(new byte[] {5, 6}, 2));
        Path st = dir.resolve("seed.safetensors");
        SafeTensors.write(st, tensors, Map.of("format", "pt"));
        seeds.put("safetensors", Files.readAllBytes(st));

        // a GPT-2-named sparse export of a micro model (HF layout, masks, Adam moments): the input of `verify`
        LinkedHashMap<String, TensorEntry> export = new LinkedHashMap<>();
        mediswift4j.util.Rng rng = new mediswift4j.util.Rng(3);
        var shapes = Gpt2Names.parameterShapes(new mediswift4j.nn.ModelConfig("v", 1, 4, 2, 3, 5));
        for (var e : shapes.entrySet()) {
            long[] shape = Gpt2Names.hfShape(e.getKey(), e.getValue());
            int n = (int) (shape.length == 1 ? shape[0] : shape[0] * shape[1]);
            float[] w = new float[n];
            byte[] keep = new byte[n];
            for (int i = 0; i < n; i++) {
                keep[i] = (byte) (i % 2);
                w[i] = Gpt2Names.isSparsifiable(e.getKey()) && keep[i] == 0 ? 0f : (float) rng.nextGaussian();
            }
            String hf = Gpt2Names.toHf(e.getKey(), true);
            export.put(hf, TensorEntry.f32(w, shape));
            if (Gpt2Names.isSparsifiable(e.getKey())) {
                export.put(hf + ".mask", TensorEntry.u8(keep, shape));
                export.put("optimizer." + hf + ".exp_avg", TensorEntry.f32(new float[n], shape));
            }
        }
        Path ex = dir.resolve("export-seed.safetensors");
        SafeTensors.write(ex, export, Map.of("sparsity", "0.5"));
        seeds.put("export", Files.readAllBytes(ex));
    }

    @AfterContainer
    static void cleanUp() throws Exception {
        harness.close();
        if (dir == null || !Files.exists(dir)) return;
        // Best effort: a loader still running in a timed-out watchdog thread may add a file while we delete.
        for (int attempt = 0; attempt < 3 && Files.exists(dir); attempt++) {
            try (var walk = Files.walk(dir)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            } catch (java.io.IOException | java.io.UncheckedIOException e) {
                Thread.sleep(100);
            }
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static void fuzz(String label, String fileName, int[] lengthFields, long seed, FuzzHarness.Loader loader) throws Exception {
        FuzzHarness.Tally t = harness.run(label, seeds.get(label), lengthFields, dir.resolve(fileName), loader, seed, PER_TRY);
        if (System.getenv("FUZZ_REPORT") != null) {
            System.out.printf("fuzz %-16s %-22s accepted %4d rejected %4d max alloc %6d KB cpu %5.0f ms%n", label, fileName, t.accepted,
                    t.rejected, t.maxAllocated >> 10, t.cpuNanos / 1e6);
        }
    }

    static final int[] NONE = {};

    @Property(tries = 10)
    void pubmedqaJson(@ForAll long seed) throws Exception {
        fuzz("pubmedqa", "ori_pqal.json", NONE, seed, PubmedqaData::read);
    }

    @Property(tries = 10)
    void pubmedqaLabels(@ForAll long seed) throws Exception {
        fuzz("pubmedqa-labels", "test_ground_truth.json", NONE, seed, PubmedqaData::readLabels);
    }

    @Property(tries = 10)
    void hocTsv(@ForAll long seed) throws Exception {
        fuzz("hoc", "test.tsv", NONE, seed, HocData::read);
    }

    @Property(tries = 10)
    void hocPredictions(@ForAll long seed) throws Exception {
        fuzz("hoc-predictions", "predictions.tsv", NONE, seed, f -> HocEvaluation.readPredictions(f, null, "test.tsv"));
    }

    @Property(tries = 10)
    void pubmedXml(@ForAll long seed) throws Exception {
        fuzz("pubmed-xml", "pubmed25n0001.xml", NONE, seed, f -> CorpusReader.forEachDocument(List.of(f), doc -> {}));
    }

    @Property(tries = 10)
    void jsonlCorpus(@ForAll long seed) throws Exception {
        fuzz("jsonl", "corpus.jsonl", NONE, seed, f -> CorpusReader.forEachDocument(List.of(f), doc -> {}));
    }

    @Property(tries = 10)
    void textCorpus(@ForAll long seed) throws Exception {
        fuzz("text", "corpus.txt", NONE, seed, f -> CorpusReader.forEachDocument(List.of(f), doc -> {}));
    }

    @Property(tries = 10)
    void gzipTextCorpus(@ForAll long seed) throws Exception {
        fuzz("text-gz", "corpus.txt.gz", NONE, seed, f -> CorpusReader.forEachDocument(List.of(f), doc -> {}));
    }

    @Property(tries = 10)
    void pubmedqaAsCorpus(@ForAll long seed) throws Exception {
        fuzz("pubmedqa", "corpus.json", NONE, seed, f -> CorpusReader.forEachDocument(List.of(f), doc -> {}));
    }

    @Property(tries = 10)
    void jsonDocument(@ForAll long seed) throws Exception {
        fuzz("json", "config.json", NONE, seed, Json::read);
    }

    @Property(tries = 10)
    void tokenizerVocab(@ForAll long seed) throws Exception {
        Path merges = dir.resolve("tokenizer-seed").resolve("merges.txt");
        fuzz("vocab.json", "vocab.json", NONE, seed, f -> Gpt2Files.load(f, merges));
    }

    @Property(tries = 10)
    void tokenizerMerges(@ForAll long seed) throws Exception {
        Path vocab = dir.resolve("tokenizer-seed").resolve("vocab.json");
        fuzz("merges.txt", "merges.txt", NONE, seed, f -> Gpt2Files.load(vocab, f));
    }

    /** Length fields: the header length at byte 12. */
    @Property(tries = 10)
    void checkpoint(@ForAll long seed) throws Exception {
        fuzz("checkpoint", "checkpoint.bin", new int[] {12}, seed, Checkpoint::load);
    }

    /** Length fields: vocabulary 12, bytes per id 16, token count 20, validation start 28. */
    @Property(tries = 10)
    void tokenFile(@ForAll long seed) throws Exception {
        fuzz("token-file", "tokens.bin", new int[] {12, 16, 20, 28}, seed, TokenFile::read);
    }

    @Property(tries = 10)
    void tokenFileWideIds(@ForAll long seed) throws Exception {
        fuzz("token-file-wide", "tokens-wide.bin", new int[] {12, 16, 20, 28}, seed, TokenFile::read);
    }

    /** `verify`: read a sparse GPT-2 export and audit it (the audit reports problems, it must never crash). */
    @Property(tries = 10)
    void verifyExport(@ForAll long seed) throws Exception {
        fuzz("export", "export.safetensors", new int[] {0}, seed, f -> CheckpointAudit.audit(f.toString(), SafeTensors.read(f).tensors, 0.5,
                CheckpointAudit.DEFAULT_TOLERANCE, CheckpointAudit.DEFAULT_DENSE_ZERO_LIMIT));
    }

    /** The seed whose mutant 902 (a block index turned into 65537) made the audit build 65538 layers' shapes. */
    @Example
    void verifyExportSeedThatFoundTheInferredLayerBlowUp() throws Exception {
        fuzz("export", "export.safetensors", new int[] {0}, -59435L, f -> CheckpointAudit.audit(f.toString(), SafeTensors.read(f).tensors, 0.5,
                CheckpointAudit.DEFAULT_TOLERANCE, CheckpointAudit.DEFAULT_DENSE_ZERO_LIMIT));
    }

    /** Length field: the header length at byte 0. */
    @Property(tries = 10)
    void safetensors(@ForAll long seed) throws Exception {
        fuzz("safetensors", "model.safetensors", new int[] {0}, seed, SafeTensors::read);
    }
}
