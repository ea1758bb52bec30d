package mediswift4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import mediswift4j.util.InputException;
import mediswift4j.util.Rng;

class TokenFileTest {
    @TempDir
    Path dir;

    @Property(tries = 20)
    void roundTrips(@ForAll @IntRange(min = 1, max = 200000) int vocab, @ForAll @IntRange(min = 0, max = 3000) int n,
                    @ForAll long seed) throws Exception {
        Path tmp = Files.createTempDirectory("tok");
        Rng rng = new Rng(seed);
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) ids[i] = rng.nextInt(vocab);
        TokenFile tf = new TokenFile(vocab, ids, TokenFile.validationStart(n, 0.05));
        Path f = tmp.resolve("x.tok");
        tf.write(f);
        assertEquals(TokenFile.HEADER_BYTES + (long) n * TokenFile.bytesPerId(vocab) + 32, Files.size(f));
        TokenFile back = TokenFile.read(f);
        assertArrayEquals(ids, back.tokens());
        assertEquals(vocab, back.vocabSize());
        assertEquals(tf.validationStart(), back.validationStart());
        assertTrue(TokenFile.isTokenFile(f));
        Files.delete(f);
        Files.delete(tmp);
    }

    @Test
    void truncatedAndCorruptedFilesFailNamingTheFile() throws Exception {
        Path f = dir.resolve("c.tok");
        new TokenFile(100, new int[] {1, 2, 3, 99, 0}, 4).write(f);
        byte[] bytes = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(bytes, bytes.length - 5));
        InputException e = assertThrows(InputException.class, () -> TokenFile.read(f));
        assertTrue(e.getMessage().contains("c.tok") && e.getMessage().contains("truncated"), e.getMessage());
        byte[] bad = bytes.clone();
        bad[TokenFile.HEADER_BYTES + 2] ^= 1;
        Files.write(f, bad);
        e = assertThrows(InputException.class, () -> TokenFile.read(f));
        assertTrue(e.getMessage().contains("c.tok") && e.getMessage().contains("checksum"), e.getMessage());
        bad = bytes.clone();
        bad[0] = 'X';
        Files.write(f, bad);
        e = assertThrows(InputException.class, () -> TokenFile.read(f));
        assertTrue(e.getMessage().contains("magic"), e.getMessage());
    }

    @Test
    void validationSplitAndWindows() {
        assertEquals(95, TokenFile.validationStart(100, 0.05));
        assertEquals(100, TokenFile.validationStart(100, 0.0));
        assertEquals(90, TokenFile.validationStart(95, 0.05)); // 4.75 rounds to 5
        assertArrayEquals(new int[] {90, 94}, Batches.validationWindows(90, 100, 4, 10));
        assertArrayEquals(new int[] {90}, Batches.validationWindows(90, 100, 4, 1));
    }

    @Test
    void samplingStaysInTheTrainingSplit() {
        int[] tokens = new int[50];
        for (int i = 0; i < 50; i++) tokens[i] = i;
        Rng rng = new Rng(9);
        int[] in = new int[3 * 4], tg = new int[3 * 4];
        for (int k = 0; k < 200; k++) {
            Batches.sample(tokens, 40, 3, 4, rng, in, tg);
            for (int i = 0; i < in.length; i++) {
                assertEquals(in[i] + 1, tg[i]);
                assertTrue(tg[i] < 40);
            }
        }
    }
}
