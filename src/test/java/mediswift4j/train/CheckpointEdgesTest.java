package mediswift4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import mediswift4j.nn.MaskedLinear;
import mediswift4j.tensor.Tensor;
import mediswift4j.util.InputException;

/**
 * Checkpoint.load at the edges of its size checks (SPEC.md section 9), on files built by HandMadeCheckpoint from
 * the documented layout: a valid file loads with every value it holds; files one byte either side of each limit
 * (the 48-byte minimum, the header length, the size the tensor table describes, a dimension equal to the file
 * size) are refused with the error the limit is about, or pass it. The byte fuzzer hits these limits only by
 * chance; PIT showed boundary mutants of each surviving it.
 */
class CheckpointEdgesTest {
    @TempDir
    Path dir;

    Path write(byte[] b) throws Exception {
        Path f = dir.resolve("checkpoint.bin");
        Files.write(f, b);
        return f;
    }

    InputException refused(byte[] b) throws Exception {
        Path f = write(b);
        InputException e = assertThrows(InputException.class, () -> Checkpoint.load(f));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        return e;
    }

    static void assertMentions(InputException e, String text) {
        assertTrue(e.getMessage().contains(text), "expected \"" + text + "\" in: " + e.getMessage());
    }

    static void assertDoesNotMention(InputException e, String text) {
        assertTrue(!e.getMessage().contains(text), "did not expect \"" + text + "\" in: " + e.getMessage());
    }

    // ---------------------------------------------------------------- files that load

    @Test
    void handMadeSparseCheckpointLoadsWithEveryValue() throws Exception {
        HandMadeCheckpoint h = HandMadeCheckpoint.sparseAtStep3();
        Checkpoint.Loaded c = Checkpoint.load(write(h.bytes()));
        assertEquals(3, c.state().step);
        assertEquals(9, c.state().tokensSeen);
        assertEquals(3, c.optimizer().stepCount());
        assertEquals(0.5, c.settings().sparsity());
        assertEquals(HandMadeCheckpoint.PARAMETER_COUNT, c.model().parameters().stream().mapToInt(Tensor::size).sum());
        for (int k = 0; k < h.params.size(); k++) {
            HandMadeCheckpoint.Param p = h.params.get(k);
            Tensor t = c.model().parameters().get(k);
            assertEquals(p.name(), t.name);
            for (int j = 0; j < t.size(); j++) {
                assertEquals(HandMadeCheckpoint.value(p, k, j, true), t.data[j], p.name() + "[" + j + "]");
                assertEquals(HandMadeCheckpoint.firstMoment(p, k, j, true), c.optimizer().firstMoment(k)[j], "adam_m " + p.name());
                assertEquals(HandMadeCheckpoint.secondMoment(p, k, j, true), c.optimizer().secondMoment(k)[j], "adam_v " + p.name());
            }
        }
        assertEquals(8, c.masks().size());
        for (MaskedLinear l : c.model().maskedLayers()) {
            byte[] want = new byte[l.weight.size()];
            for (int j = 0; j < want.length; j++) want[j] = HandMadeCheckpoint.keep(j);
            assertArrayEquals(want, l.keep(), l.weight.name);
            assertArrayEquals(want, c.masks().get(l.weight.name), l.weight.name);
        }
    }

    /** The table's sizes add up to the file size exactly at its last entry, here a parameter: it still counts. */
    @Test
    void checkpointWhoseLastTensorIsAParameterLoads() throws Exception {
        HandMadeCheckpoint h = HandMadeCheckpoint.parametersOnly();
        Checkpoint.Loaded c = Checkpoint.load(write(h.bytes()));
        assertEquals(0, c.state().step);
        assertTrue(c.masks().isEmpty());
        int last = h.params.size() - 1;
        Tensor lnfBias = c.model().parameters().get(last);
        assertEquals("ln_f.bias", lnfBias.name);
        for (int j = 0; j < lnfBias.size(); j++) assertEquals(HandMadeCheckpoint.value(h.params.get(last), last, j, false), lnfBias.data[j]);
        for (int k = 0; k <= last; k++) assertTrue(allZero(c.optimizer().firstMoment(k)) && allZero(c.optimizer().secondMoment(k)));
    }

    static boolean allZero(float[] f) {
        for (float x : f) if (x != 0f) return false;
        return true;
    }

    // ---------------------------------------------------------------- the preamble's limits

    /** 16 bytes of preamble plus 32 of checksum is the least a file can hold: 47 bytes is too short. */
    @Test
    void fileOfFortySevenBytesIsTooShortAndOfFortyEightIsRead() throws Exception {
        byte[] b48 = HandMadeCheckpoint.file("MSW4JCKP", 1, 0, new byte[0], new byte[0]);
        assertEquals(48, b48.length);
        InputException e = refused(Arrays.copyOf(b48, 47));
        assertMentions(e, "truncated checkpoint (47 bytes)");
        // 48 bytes: long enough to read the preamble, whose header length 0 is then refused
        e = refused(b48);
        assertMentions(e, "header length 0 at byte 12");
    }

    @Test
    void headerLengthBelowTwoIsRefusedAndTwoIsRead() throws Exception {
        InputException e = refused(HandMadeCheckpoint.file("MSW4JCKP", 1, 1, "{".getBytes(StandardCharsets.UTF_8), new byte[0]));
        assertMentions(e, "header length 1 at byte 12");
        // "{}" is the shortest JSON object: read, and refused only for what it lacks
        e = refused(HandMadeCheckpoint.file("MSW4JCKP", 1, 2, "{}".getBytes(StandardCharsets.UTF_8), new byte[0]));
        assertDoesNotMention(e, "header length");
        assertMentions(e, "config");
    }

    /** 16 + H + 32 may equal the file size (an empty tensor section) but not exceed it by one byte. */
    @Test
    void headerLengthReachingTheChecksumIsRefused() throws Exception {
        byte[] two = "{}".getBytes(StandardCharsets.UTF_8);
        InputException e = refused(HandMadeCheckpoint.file("MSW4JCKP", 1, 3, two, new byte[0]));
        assertMentions(e, "header length 3 at byte 12, file 50 bytes");
        HandMadeCheckpoint h = HandMadeCheckpoint.sparseAtStep3();
        byte[] header = h.header().getBytes(StandardCharsets.UTF_8);
        byte[] payload = h.payload();
        int fits = header.length + payload.length; // the header then runs up to the checksum
        e = refused(HandMadeCheckpoint.file("MSW4JCKP", 1, fits, header, payload));
        assertDoesNotMention(e, "header length");
        e = refused(HandMadeCheckpoint.file("MSW4JCKP", 1, fits + 1, header, payload));
        assertMentions(e, "header length " + (fits + 1) + " at byte 12, file " + (16 + fits + 32) + " bytes");
    }

    // ---------------------------------------------------------------- the size the table describes

    @Test
    void oneByteMoreOrLessThanTheTableDescribesIsNamedAsSuch() throws Exception {
        HandMadeCheckpoint h = HandMadeCheckpoint.sparseAtStep3();
        byte[] header = h.header().getBytes(StandardCharsets.UTF_8);
        byte[] payload = h.payload();
        long exact = 16L + header.length + payload.length + 32;
        InputException e = refused(HandMadeCheckpoint.file("MSW4JCKP", 1, header.length, header, Arrays.copyOf(payload, payload.length + 1)));
        assertMentions(e, "trailing bytes in checkpoint: " + (exact + 1) + " bytes, the header describes " + exact);
        e = refused(HandMadeCheckpoint.file("MSW4JCKP", 1, header.length, header, Arrays.copyOf(payload, payload.length - 1)));
        assertMentions(e, "truncated checkpoint: " + (exact - 1) + " bytes, the header describes more");
    }

    /** A dimension of 0 is not negative: the entry is read and refused for its shape (no division by 0 either). */
    @Test
    void zeroDimensionIsAShapeMismatch() throws Exception {
        HandMadeCheckpoint h = HandMadeCheckpoint.sparseAtStep3();
        HandMadeCheckpoint.Entry e = h.entry("adam_v", "ln_f.bias");
        e.shape = "[0]";
        e.payload = new byte[0];
        InputException x = refused(h.bytes());
        assertMentions(x, "shape of ln_f.bias does not match");
        assertDoesNotMention(x, "negative");
    }

    /**
     * A dimension equal to the file size, after a dimension of 1 or as the only one, does not by itself overflow
     * anything: the loader goes on and reports the table describing more bytes than the file has.
     */
    @Test
    void dimensionEqualToTheFileSizeIsATruncatedFile() throws Exception {
        for (String form : new String[] {"[%d,1]", "[1,%d]"}) {
            HandMadeCheckpoint h = HandMadeCheckpoint.sparseAtStep3();
            HandMadeCheckpoint.Entry e = h.entry("adam_v", "ln_f.bias");
            e.payload = new byte[0];
            e.shape = String.format(form, 10000); // 5 digits, like the size it stands for
            int size = h.bytes().length;
            assertTrue(size >= 10000 && size < 99999, "size " + size);
            e.shape = String.format(form, size);
            assertEquals(size, h.bytes().length);
            InputException x = refused(h.bytes());
            assertMentions(x, "truncated checkpoint: " + size + " bytes, the header describes more");
            // one more than the file size is refused as a dimension
            e.shape = String.format(form, size + 1);
            x = refused(h.bytes());
            assertMentions(x, "dimension " + (size + 1) + " is negative or larger than the file");
        }
    }

    // ---------------------------------------------------------------- tensors

    /** A mask byte other than 0 or 1 is named with its file offset, counted over the f32 and u8 tensors before it. */
    @Test
    void badMaskValueIsNamedWithItsByteOffset() throws Exception {
        for (int value : new int[] {2, -1}) {
            HandMadeCheckpoint h = HandMadeCheckpoint.sparseAtStep3();
            h.entry("mask", "h.0.attn.c_proj.weight").payload[5] = (byte) value;
            // parameters (528 floats), then the 48-byte mask of h.0.attn.c_attn.weight
            long at = h.payloadStart() + 4L * HandMadeCheckpoint.PARAMETER_COUNT + 48 + 5;
            InputException e = refused(h.bytes());
            assertMentions(e, "mask h.0.attn.c_proj.weight has value " + value + " at byte " + at);
        }
    }

    /** Each kind has its dtype: f32 for param and the moments, u8 for masks (sizes kept consistent with the dtype). */
    @Test
    void dtypeOtherThanTheKindsIsRefused() throws Exception {
        HandMadeCheckpoint h = HandMadeCheckpoint.sparseAtStep3();
        h.entry("param", "ln_f.bias").dtype = "f64";
        assertMentions(refused(h.bytes()), "param ln_f.bias has dtype \"f64\", expected f32");
        h = HandMadeCheckpoint.sparseAtStep3();
        HandMadeCheckpoint.Entry m = h.entry("mask", "h.1.mlp.c_proj.weight");
        m.dtype = "f32";
        m.payload = Arrays.copyOf(m.payload, 4 * m.payload.length);
        assertMentions(refused(h.bytes()), "mask h.1.mlp.c_proj.weight has dtype \"f32\", expected u8");
        h = HandMadeCheckpoint.sparseAtStep3();
        HandMadeCheckpoint.Entry v = h.entry("adam_v", "wpe.weight");
        v.dtype = "u8";
        v.payload = Arrays.copyOf(v.payload, v.payload.length / 4);
        assertMentions(refused(h.bytes()), "adam_v wpe.weight has dtype \"u8\", expected f32");
    }

    @Test
    void entryListedTwiceIsRefused() throws Exception {
        HandMadeCheckpoint h = HandMadeCheckpoint.sparseAtStep3();
        HandMadeCheckpoint.Entry first = h.entry("adam_m", "h.0.ln_1.weight");
        h.entries.add(h.entries.indexOf(first) + 1, new HandMadeCheckpoint.Entry(first.name, first.kind, first.dtype, first.shape, first.payload));
        assertMentions(refused(h.bytes()), "adam_m h.0.ln_1.weight appears twice");
    }

    @Test
    void unknownNamesAndKindsAreRefused() throws Exception {
        HandMadeCheckpoint h = HandMadeCheckpoint.sparseAtStep3();
        HandMadeCheckpoint.Entry e = h.entry("adam_m", "ln_f.bias");
        h.entries.set(h.entries.indexOf(e), new HandMadeCheckpoint.Entry("ln_g.bias", "adam_m", "f32", e.shape, e.payload));
        assertMentions(refused(h.bytes()), "unknown parameter \"ln_g.bias\"");
        h = HandMadeCheckpoint.sparseAtStep3();
        e = h.entry("adam_m", "ln_f.bias");
        h.entries.set(h.entries.indexOf(e), new HandMadeCheckpoint.Entry("ln_f.bias", "adam_w", "f32", e.shape, e.payload));
        assertMentions(refused(h.bytes()), "unknown tensor kind \"adam_w\"");
        // a mask on a weight no layer masks
        h = HandMadeCheckpoint.sparseAtStep3();
        h.entries.add(h.entries.indexOf(h.entry("mask", "h.1.mlp.c_proj.weight")) + 1,
                new HandMadeCheckpoint.Entry("ln_f.weight", "mask", "u8", "[4]", new byte[] {1, 1, 1, 1}));
        assertMentions(refused(h.bytes()), "mask for ln_f.weight, which is not a maskable weight");
    }

    /** A damaged byte is reported at the checksum's offset, the file size minus 32. */
    @Test
    void checksumMismatchNamesTheChecksumOffset() throws Exception {
        byte[] b = HandMadeCheckpoint.sparseAtStep3().bytes();
        b[b.length - 40] ^= 1; // inside the last moment
        assertMentions(refused(b), "checksum mismatch at byte " + (b.length - 32));
    }

    /**
     * After the checksum holds, load applies each consistency rule of SPEC.md section 9 (CheckpointRulesTest has
     * their edges) and reads the kernel choices: one forged field or value per rule, in an otherwise valid file.
     */
    @Test
    void consistencyRulesRunOnLoad() throws Exception {
        HandMadeCheckpoint h = HandMadeCheckpoint.sparseAtStep3();
        h.headerEdit = x -> x.replace("\"beta1\":0.9,", "\"beta1\":1.0,");
        assertMentions(refused(h.bytes()), "betas 1.0, 0.95 must be in [0, 1)");
        h.headerEdit = x -> x.replace("\"tokens_seen\":9,", "\"tokens_seen\":-9,");
        assertMentions(refused(h.bytes()), "tokens_seen is -9");
        h.headerEdit = x -> x.replace("\"sparsity\":0.5,", "\"sparsity\":0.25,"); // floor(0.25 * 16 + 0.5) = 4, not 8
        assertMentions(refused(h.bytes()), "mask of h.0.attn.q (h.0.attn.c_attn.weight) masks 8 of 16 weights; sparsity 0.25 means exactly 4");
        h.headerEdit = x -> x.replace("\"optimizer_step\":3,", "\"kernel_overrides\":{\"4x4\":\"fast\"},\"optimizer_step\":3,");
        assertMentions(refused(h.bytes()), "kernel_overrides");
        h.headerEdit = x -> x;
        byte[] v = h.entry("adam_v", "h.1.ln_2.bias").payload;
        java.nio.ByteBuffer.wrap(v).order(java.nio.ByteOrder.LITTLE_ENDIAN).putFloat(4, -0.5f);
        assertMentions(refused(h.bytes()), "second moment of h.1.ln_2.bias is -0.5 at element 1");
    }

    /** wte as (5, 4, 1): the right number of elements, the wrong rank. */
    @Test
    void extraDimensionOfOneIsAShapeMismatch() throws Exception {
        HandMadeCheckpoint h = HandMadeCheckpoint.sparseAtStep3();
        h.entry("param", "wte.weight").shape = "[5,4,1]";
        assertMentions(refused(h.bytes()), "shape of wte.weight does not match");
    }
}
