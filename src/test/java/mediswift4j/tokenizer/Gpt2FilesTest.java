package mediswift4j.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import mediswift4j.util.InputException;

/** Malformed vocab.json / merges.txt fail with an InputException naming the file and line. */
class Gpt2FilesTest {
    @TempDir
    Path dir;

    /** A valid tiny vocabulary written by us, then edited by each test. */
    private BpeTokenizer writeSmall() throws IOException {
        BpeTokenizer tok = BpeTrainer.train(TrainerTest.corpus(), 270, null);
        tok.save(dir);
        return tok;
    }

    private String failure() {
        return assertThrows(InputException.class, () -> BpeTokenizer.load(dir)).getMessage();
    }

    private void replaceLine(String file, int line, String text) throws IOException {
        Path p = dir.resolve(file);
        String[] lines = Files.readString(p).split("\n", -1);
        lines[line - 1] = text;
        Files.writeString(p, String.join("\n", lines));
    }

    @Test
    void savedFilesLookLikeGpt2s() throws IOException {
        writeSmall();
        String vocab = Files.readString(dir.resolve("vocab.json"));
        assertTrue(vocab.startsWith("{\n\"!\": 0,\n"), vocab.substring(0, 20));
        assertTrue(vocab.contains("\"Ġ\": 220,"));
        assertTrue(vocab.endsWith("\"<|endoftext|>\": 269\n}\n"));
        assertTrue(Files.readString(dir.resolve("merges.txt")).startsWith("#version: 0.2\n"));
    }

    @Test
    void vocabSyntaxError() throws IOException {
        writeSmall();
        replaceLine("vocab.json", 5, "\"$\" 3,");
        String msg = failure();
        assertTrue(msg.contains("vocab.json:5:5"), msg);
    }

    @Test
    void vocabDuplicateId() throws IOException {
        writeSmall();
        replaceLine("vocab.json", 5, "\"$\": 2,");
        String msg = failure();
        assertTrue(msg.contains("vocab.json:5:1") && msg.contains("id 2 given to two tokens"), msg);
    }

    @Test
    void vocabIdOutOfRange() throws IOException {
        writeSmall();
        replaceLine("vocab.json", 5, "\"$\": 9999,");
        String msg = failure();
        assertTrue(msg.contains("vocab.json:5:1") && msg.contains("9999"), msg);
    }

    @Test
    void vocabFractionalId() throws IOException {
        writeSmall();
        replaceLine("vocab.json", 5, "\"$\": 3.5,");
        assertTrue(failure().contains("vocab.json:5:6"));
    }

    @Test
    void vocabCharacterOutsideByteMap() throws IOException {
        writeSmall();
        replaceLine("vocab.json", 5, "\"\\n\": 3,");
        String msg = failure();
        assertTrue(msg.contains("vocab.json:5:1") && msg.contains("byte-to-unicode"), msg);
    }

    @Test
    void mergesWrongShape() throws IOException {
        writeSmall();
        replaceLine("merges.txt", 3, "onlyone");
        String msg = failure();
        assertTrue(msg.contains("merges.txt:3:") && msg.contains("two tokens"), msg);
    }

    @Test
    void mergesUnknownToken() throws IOException {
        writeSmall();
        replaceLine("merges.txt", 4, "Ġ zzzzqq");
        String msg = failure();
        assertTrue(msg.contains("merges.txt:4:") && msg.contains("zzzzqq"), msg);
    }

    @Test
    void mergesRepeated() throws IOException {
        writeSmall();
        String second = Files.readString(dir.resolve("merges.txt")).split("\n")[1];
        replaceLine("merges.txt", 5, second);
        String msg = failure();
        assertTrue(msg.contains("merges.txt:5:"), msg);
    }

    @Test
    void invalidUtf8InVocab() throws IOException {
        writeSmall();
        byte[] b = Files.readAllBytes(dir.resolve("vocab.json"));
        b[10] = (byte) 0xFF;
        Files.write(dir.resolve("vocab.json"), b);
        String msg = failure();
        assertTrue(msg.contains("vocab.json") && msg.contains("10"), msg);
    }

    @Test
    void missingFiles() throws IOException {
        assertTrue(failure().contains("no vocab.json"));
        writeSmall();
        Files.delete(dir.resolve("merges.txt"));
        assertTrue(failure().contains("merges.txt"));
    }

    @Test
    void acceptsBothFileNames() throws IOException {
        BpeTokenizer tok = writeSmall();
        Files.move(dir.resolve("vocab.json"), dir.resolve("encoder.json"));
        Files.move(dir.resolve("merges.txt"), dir.resolve("vocab.bpe"));
        assertEquals(tok.vocabSize(), BpeTokenizer.load(dir).vocabSize());
        assertEquals("x", new String(BpeTokenizer.load(dir).tokenBytes(BpeTokenizer.load(dir).byteId('x')), StandardCharsets.UTF_8));
    }
}
