package mediswift4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import mediswift4j.data.TokenFile;
import mediswift4j.tokenizer.BpeTokenizer;
import mediswift4j.tokenizer.TokenizerHash;

/** Runs know their tokenizer: token files carry its hash, pre-training records it and keeps a copy, mismatches fail. */
class RunTokenizerTest {
    @TempDir
    Path dir;

    static final Path GPT2 = Path.of("src/test/resources/tokenizer/gpt2");

    @Test
    void tokenFileCarriesTheHashAndVersionOneStaysReadable() throws Exception {
        String sha = "ab".repeat(32);
        Path f = dir.resolve("a.tok");
        new TokenFile(10, new int[] {1, 2, 3}, 2, sha).write(f);
        byte[] b = Files.readAllBytes(f);
        assertEquals(2, b[8]); // version 2 at byte 8
        assertEquals(68 + 3 * 2 + 32, b.length);
        assertEquals((byte) 0xab, b[36]);
        TokenFile back = TokenFile.read(f);
        assertEquals(sha, back.tokenizerSha256());
        assertArrayEquals(new int[] {1, 2, 3}, back.tokens());
        Path old = dir.resolve("old.tok");
        new TokenFile(10, new int[] {1, 2, 3}, 2).write(old);
        assertEquals(1, Files.readAllBytes(old)[8]);
        assertEquals(36 + 3 * 2 + 32, Files.size(old));
        assertNull(TokenFile.read(old).tokenizerSha256());
    }

    @Test
    void hashIgnoresTheFileFormatButNotTheContent() throws Exception {
        BpeTokenizer gpt2 = BpeTokenizer.load(GPT2); // encoder.json + vocab.bpe
        Path saved = dir.resolve("saved");
        gpt2.save(saved); // vocab.json + merges.txt, other spacing
        assertEquals(TokenizerHash.sha256(gpt2), TokenizerHash.sha256(BpeTokenizer.load(saved)));
        // one merge fewer is another tokenizer
        String merges = Files.readString(saved.resolve("merges.txt"));
        Files.writeString(saved.resolve("merges.txt"), merges.substring(0, merges.stripTrailing().lastIndexOf('\n') + 1));
        assertTrue(!TokenizerHash.sha256(gpt2).equals(TokenizerHash.sha256(BpeTokenizer.load(saved))));
    }

    @Test
    void pretrainRecordsTheHashKeepsACopyAndRefusesAnotherTokenizer() throws Exception {
        Path corpus = Path.of("corpus-samples/pubmed-sample.txt");
        Path tok = dir.resolve("tok");
        assertEquals(0, PretrainCliTest.run("tokenizer", "train", "--input", corpus.toString(), "--vocab-size", "300", "--out", tok.toString())[0]);
        Path other = dir.resolve("other");
        assertEquals(0, PretrainCliTest.run("tokenizer", "train", "--input", corpus.toString(), "--vocab-size", "301", "--out", other.toString())[0]);
        Path data = dir.resolve("c.tok");
        Object[] t = PretrainCliTest.run("data", "tokenize", "--tokenizer", tok.toString(), "--input", corpus.toString(), "--out", data.toString());
        assertEquals(0, t[0], (String) t[2]);
        String sha = TokenizerHash.sha256(BpeTokenizer.load(tok));
        assertEquals(sha, TokenFile.read(data).tokenizerSha256());

        String[] common = {"pretrain", "--config", "mediswift-tiny", "--steps", "1", "--batch", "1", "--seq-len", "8", "--data", data.toString()};
        Object[] bad = PretrainCliTest.run(concat(common, "--tokenizer", other.toString(), "--out", dir.resolve("bad").toString()));
        assertEquals(1, bad[0]);
        assertTrue(((String) bad[2]).contains("use the tokenizer that wrote the token file"), (String) bad[2]);

        Path run = dir.resolve("run");
        Object[] ok = PretrainCliTest.run(concat(common, "--tokenizer", tok.toString(), "--out", run.toString()));
        assertEquals(0, ok[0], (String) ok[2]);
        Checkpoint.Loaded ck = Checkpoint.load(run);
        assertEquals(sha, ck.state().tokenizerSha256);
        assertEquals(sha, TokenizerHash.sha256(BpeTokenizer.load(run.resolve("tokenizer"))));

        // score tokenizes a text with the run's tokenizer: as many tokens as the tokenizer gives
        Path text = dir.resolve("t.txt");
        Files.writeString(text, "Angiogenesis in tumours is regulated by VEGF signalling.");
        Object[] sc = PretrainCliTest.run("score", "--checkpoint", run.toString(), "--input", text.toString(), "--json");
        assertEquals(0, sc[0], (String) sc[2]);
        int n = BpeTokenizer.load(tok).encode(Files.readString(text)).length;
        assertEquals((long) n, ((Number) ((java.util.Map<?, ?>) mediswift4j.io.Json.parse((String) sc[1], "score")).get("tokens")).longValue());

        // generate needs no --tokenizer once the tokenizer's own directory is gone, and refuses a different one
        Files.walk(tok).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        Object[] gen = PretrainCliTest.run("generate", "--checkpoint", run.toString(), "--prompt", "The", "--max-tokens", "2", "--json");
        assertEquals(0, gen[0], (String) gen[2]);
        assertTrue(((String) gen[1]).contains("\"ids\""), (String) gen[1]);
        Object[] wrong = PretrainCliTest.run("generate", "--checkpoint", run.toString(), "--prompt", "The", "--tokenizer", other.toString());
        assertEquals(1, wrong[0]);
        assertTrue(((String) wrong[2]).contains("not the tokenizer this model was trained with"), (String) wrong[2]);
    }

    static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
