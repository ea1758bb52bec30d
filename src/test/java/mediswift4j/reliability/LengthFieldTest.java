package mediswift4j.reliability;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import mediswift4j.data.TokenFile;
import mediswift4j.io.SafeTensors;
import mediswift4j.train.Checkpoint;
import mediswift4j.train.Trainer;
import mediswift4j.util.InputException;

/**
 * Length and size fields that claim gigabytes, in files whose checksums are recomputed so that only the claim is
 * wrong: each loader must refuse them with an InputException naming the file, allocating at most 64 MB
 * (measured, see FuzzHarness) although the test JVM has a 4 GB heap.
 */
class LengthFieldTest {
    @TempDir
    Path dir;

    final FuzzHarness harness = new FuzzHarness();

    @AfterEach
    void close() {
        harness.close();
    }

    /** Replaces the last 32 bytes by the SHA-256 of everything before them (checkpoint and token file layout). */
    static byte[] resealed(byte[] b) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(b, 0, b.length - 32);
        byte[] out = b.clone();
        System.arraycopy(sha.digest(), 0, out, b.length - 32, 32);
        return out;
    }

    byte[] checkpointBytes() throws Exception {
        Path ck = dir.resolve("seed");
        Trainer t = Trainer.fresh(TinyRuns.MICRO, TinyRuns.tokens(13, 200, 1), TinyRuns.settings(1, 1e-2, 1, 0.5), null);
        t.run(1, ck, null);
        return Files.readAllBytes(Checkpoint.file(ck));
    }

    /** The checkpoint with its JSON header text edited (header length and checksum fixed up). */
    static byte[] withHeader(byte[] ck, java.util.function.UnaryOperator<String> edit) throws Exception {
        int hlen = ByteBuffer.wrap(ck, 12, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        String header = new String(ck, 16, hlen, StandardCharsets.UTF_8);
        byte[] nh = edit.apply(header).getBytes(StandardCharsets.UTF_8);
        assertTrue(!Arrays.equals(nh, header.getBytes(StandardCharsets.UTF_8)), "the edit changed nothing");
        byte[] out = new byte[ck.length - hlen + nh.length];
        System.arraycopy(ck, 0, out, 0, 16);
        ByteBuffer.wrap(out, 12, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(nh.length);
        System.arraycopy(nh, 0, out, 16, nh.length);
        System.arraycopy(ck, 16 + hlen, out, 16 + nh.length, ck.length - 16 - hlen);
        return resealed(out);
    }

    @Test
    void checkpointConfigClaimingAHugeModel() throws Exception {
        byte[] ck = checkpointBytes();
        Path f = dir.resolve("checkpoint.bin");
        // a d_model of 30000 would need 12 * 30000^2 floats (43 GB) per layer
        InputException e = harness.expectRejected("checkpoint d_model", withHeader(ck, h -> h.replace("\"d_model\":8,", "\"d_model\":30000,")), f, Checkpoint::load);
        assertTrue(e.getMessage().contains("d_model") || e.getMessage().contains("config"), e.getMessage());
        harness.expectRejected("checkpoint layers", withHeader(ck, h -> h.replace("\"layers\":1,", "\"layers\":2000000000,")), f, Checkpoint::load);
        harness.expectRejected("checkpoint vocab", withHeader(ck, h -> h.replace("\"vocab_size\":13}", "\"vocab_size\":2000000000}")), f, Checkpoint::load);
        e = harness.expectRejected("checkpoint layers wrapping to 1", withHeader(ck, h -> h.replace("\"layers\":1,", "\"layers\":4294967297,")), f, Checkpoint::load);
        assertTrue(e.getMessage().contains("layers"), e.getMessage());
        e = harness.expectRejected("checkpoint steps wrapping to 1", withHeader(ck, h -> h.replace("\"steps\":1,", "\"steps\":4294967297,")), f, Checkpoint::load);
        assertTrue(e.getMessage().contains("steps"), e.getMessage());
        harness.expectRejected("checkpoint context", withHeader(ck, h -> h.replace("\"context_length\":8,", "\"context_length\":1500000000,")), f, Checkpoint::load);
    }

    @Test
    void checkpointTensorTableClaimingHugeOrNegativeShapes() throws Exception {
        byte[] ck = checkpointBytes();
        Path f = dir.resolve("checkpoint.bin");
        harness.expectRejected("checkpoint shape", withHeader(ck, h -> h.replaceFirst("\"shape\":\\[13,8\\]", "\"shape\":[13000000000,8]")), f, Checkpoint::load);
        harness.expectRejected("checkpoint negative shape", withHeader(ck, h -> h.replaceFirst("\"shape\":\\[13,8\\]", "\"shape\":[-13,-8]")), f, Checkpoint::load);
        harness.expectRejected("checkpoint overflowing shape", withHeader(ck,
                h -> h.replaceFirst("\"shape\":\\[13,8\\]", "\"shape\":[4294967296,4294967296,13,8]")), f, Checkpoint::load);
        byte[] big = ck.clone();
        ByteBuffer.wrap(big, 12, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(Integer.MAX_VALUE);
        harness.expectRejected("checkpoint header length", resealed(big), f, Checkpoint::load);
    }

    @Test
    void tokenFileCountClaimingGigabytes() throws Exception {
        Path seed = dir.resolve("seed.bin");
        TinyRuns.tokens(13, 40, 2).write(seed);
        byte[] b = Files.readAllBytes(seed);
        Path f = dir.resolve("tokens.bin");
        for (long n : new long[] {Integer.MAX_VALUE - 9L, 1L << 40, -1L, 41}) {
            byte[] m = b.clone();
            ByteBuffer.wrap(m).order(ByteOrder.LITTLE_ENDIAN).putLong(20, n);
            harness.expectRejected("token count " + n, resealed(m), f, TokenFile::read);
        }
        byte[] m = b.clone();
        ByteBuffer.wrap(m).order(ByteOrder.LITTLE_ENDIAN).putInt(12, Integer.MAX_VALUE).putInt(16, 4);
        harness.expectRejected("token vocabulary", resealed(m), f, TokenFile::read);
    }

    @Test
    void safetensorsHeaderAndShapesClaimingGigabytes() throws Exception {
        Path f = dir.resolve("model.safetensors");
        byte[] header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[100000,100000],\"data_offsets\":[0,40000000000]}}".getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + 16).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(header.length).put(header);
        harness.expectRejected("safetensors shape", b.array(), f, SafeTensors::read);
        ByteBuffer.wrap(b.array()).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 33);
        harness.expectRejected("safetensors header length", b.array(), f, SafeTensors::read);
        ByteBuffer.wrap(b.array()).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 90_000_000L);
        harness.expectRejected("safetensors header length in range", b.array(), f, SafeTensors::read);
    }
}
