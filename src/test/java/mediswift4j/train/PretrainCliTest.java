package mediswift4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import mediswift4j.cli.Main;
import mediswift4j.data.TokenFile;
import mediswift4j.io.Json;
import mediswift4j.util.Rng;

/** The commands end to end: pretrain, interrupt (--stop-after), --resume, checkpoint info, model info. */
class PretrainCliTest {
    @TempDir
    Path dir;

    /** Runs a command with System.out captured; returns {exit code, stdout}. */
    static Object[] run(String... argv) {
        PrintStream old = System.out, oldErr = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(argv, System.out, System.err);
            return new Object[] {code, buf.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(old);
            System.setErr(oldErr);
        }
    }

    @Test
    void interruptedAndResumedRunEqualsOneRun() throws Exception {
        Rng rng = new Rng(5);
        int[] ids = new int[3000];
        for (int i = 0; i < ids.length; i++) ids[i] = rng.nextInt(40);
        Path tok = dir.resolve("d.tok");
        new TokenFile(40, ids, TokenFile.validationStart(ids.length, 0.05)).write(tok);
        String[] common = {"pretrain", "--config", "mediswift-tiny", "--sparsity", "0.75", "--steps", "4", "--batch", "2",
                "--seq-len", "8", "--lr", "1e-3", "--warmup", "1", "--seed", "9", "--data", tok.toString(), "--eval-every", "2", "--json"};
        Object[] one = run(concat(common, "--out", dir.resolve("one").toString()));
        assertEquals(0, one[0], (String) one[2]);
        Object[] half = run(concat(common, "--out", dir.resolve("two").toString(), "--stop-after", "2"));
        assertEquals(0, half[0], (String) half[2]);
        Object[] rest = run("pretrain", "--resume", dir.resolve("two").toString(), "--json");
        assertEquals(0, rest[0], (String) rest[2]);
        String h1 = (String) ((Map<?, ?>) Json.parse((String) one[1], "one")).get("parameters_sha256");
        String h2 = (String) ((Map<?, ?>) Json.parse((String) rest[1], "rest")).get("parameters_sha256");
        assertEquals(h1, h2);
        assertEquals(Files.readAllLines(dir.resolve("one/metrics.jsonl")).size(), Files.readAllLines(dir.resolve("two/metrics.jsonl")).size());

        Object[] info = run("checkpoint", "info", dir.resolve("two").toString(), "--json");
        assertEquals(0, info[0]);
        Map<?, ?> m = (Map<?, ?>) Json.parse((String) info[1], "info");
        assertEquals(h1, m.get("parameters_sha256"));
        assertEquals(4L, m.get("step"));
        assertEquals(0.75, (Double) ((Map<?, ?>) m.get("tensor_sparsity")).get("h.1.attn.v"), 1e-12);

        Path ck = dir.resolve("two/checkpoint.bin");
        byte[] bytes = Files.readAllBytes(ck);
        Files.write(ck, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        Object[] bad = run("checkpoint", "info", dir.resolve("two").toString());
        assertEquals(1, bad[0]);
        assertTrue(((String) bad[2]).contains("checkpoint.bin"), (String) bad[2]);
        Object[] badResume = run("pretrain", "--resume", dir.resolve("two").toString());
        assertEquals(1, badResume[0]);
    }

    @Test
    void modelInfoPrintsCounts() {
        Object[] r = run("model", "info", "--config", "mediswift-med", "--vocab", "50257", "--json");
        assertEquals(0, r[0]);
        Map<?, ?> m = (Map<?, ?>) Json.parse((String) r[1], "info");
        assertEquals(302311424L, m.get("params_non_embedding"));
        assertEquals(301989888L, m.get("params_sparsifiable"));
        assertEquals(50257L * 1024 + 2048L * 1024, m.get("params_embedding"));
        Object[] list = run("model", "list");
        for (String n : List.of("mediswift-tiny", "mediswift-small", "mediswift-base", "mediswift-med", "mediswift-large", "mediswift-xl")) {
            assertTrue(((String) list[1]).contains(n));
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
