package mediswift4j.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import mediswift4j.cli.Main;

/** `tokenizer train/encode/decode/list` through the CLI entry point: outputs, exit codes, one-line errors. */
class TokenizerCliTest {
    @TempDir
    Path dir;

    private int run(String... argv) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(argv, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
        lastErr = err.toString(StandardCharsets.UTF_8);
        return code;
    }

    private String lastErr;

    @Test
    void trainEncodeDecodeList() throws IOException {
        Path corpus = dir.resolve("corpus.txt");
        Files.writeString(corpus, String.join("\n\n", TrainerTest.corpus()));
        Path jsonl = dir.resolve("more.jsonl");
        Files.writeString(jsonl, "{\"text\": \"Patients with diabetes.\"}\n");
        Path tok = dir.resolve("tok");
        assertEquals(0, run("tokenizer", "train", "--input", corpus.toString(), jsonl.toString(), "--vocab-size", "300",
                "--out", tok.toString()), lastErr);
        BpeTokenizer t = BpeTokenizer.load(tok);
        assertEquals(300, t.vocabSize());
        assertEquals(299, t.endOfTextId());

        Path text = dir.resolve("in.txt");
        String sample = "Metformin <|endoftext|> αβ 🧬\n\n  end";
        Files.writeString(text, sample);
        Path ids = dir.resolve("ids.txt");
        assertEquals(0, run("tokenizer", "encode", "--tokenizer", tok.toString(), "--input", text.toString(),
                "--out", ids.toString()), lastErr);
        int[] want = t.encode(sample);
        assertArrayEquals(want, Files.readAllLines(ids).stream().mapToInt(Integer::parseInt).toArray());
        Path back = dir.resolve("back.txt");
        assertEquals(0, run("tokenizer", "decode", "--tokenizer", tok.toString(), "--input", ids.toString(),
                "--out", back.toString()), lastErr);
        assertEquals(sample, Files.readString(back));

        assertEquals(0, run("tokenizer", "encode", "--tokenizer", tok.toString(), "--input", text.toString(),
                "--out", ids.toString(), "--allow-special", "--overwrite"), lastErr);
        assertTrue(Files.readAllLines(ids).contains("299"));

        Path listing = dir.resolve("list.txt");
        assertEquals(0, run("tokenizer", "list", "--tokenizer", tok.toString(), "--out", listing.toString()), lastErr);
        var lines = Files.readAllLines(listing);
        assertEquals(300, lines.size());
        assertEquals("32\t\"A\"\tbyte 0x41", lines.get(32));
        assertTrue(lines.get(256).contains("merge "), lines.get(256));
        assertEquals("299\t\"<|endoftext|>\"\tspecial", lines.get(299));
    }

    @Test
    void badInputIsOneLineAndExitCode1() throws IOException {
        Path ids = dir.resolve("ids.txt");
        Files.writeString(ids, "15496\n\n995\n99999\n");
        assertEquals(1, run("tokenizer", "decode", "--tokenizer", Gpt2FixtureTest.DIR.toString(), "--input", ids.toString()));
        assertTrue(lastErr.contains("ids.txt:4: token id 99999 outside the vocabulary"), lastErr);
        assertEquals(1, lastErr.strip().split("\n").length);
        Files.writeString(ids, "15496\nabc\n");
        assertEquals(1, run("tokenizer", "decode", "--tokenizer", Gpt2FixtureTest.DIR.toString(), "--input", ids.toString()));
        assertTrue(lastErr.contains("ids.txt:2:"), lastErr);

        Path bad = dir.resolve("bad.txt");
        Files.write(bad, new byte[] {'o', 'k', (byte) 0xFF});
        assertEquals(1, run("tokenizer", "train", "--input", bad.toString(), "--vocab-size", "300", "--out", dir.resolve("t").toString()));
        assertTrue(lastErr.contains("bad.txt: invalid UTF-8 at byte offset 2"), lastErr);
        assertEquals(2, run("tokenizer", "train", "--input", bad.toString(), "--vocab-size", "100", "--out", "x"));
        assertEquals(2, run("tokenizer", "encode", "--tokenizr", "x"));
        assertEquals(1, run("tokenizer", "encode", "--tokenizer", dir.resolve("nothing").toString(), "--input", bad.toString()));
    }
}
