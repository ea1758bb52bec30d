package mediswift4j.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

import mediswift4j.io.AtomicFiles;
import mediswift4j.util.InputException;

/**
 * A tokenized corpus on disk (SPEC.md section 9): the corpus is tokenized once, training reads ids.
 *
 * Layout, every integer little-endian:
 *   offset  0  8 bytes  magic "MSW4JTOK"
 *          8  uint32   version: 2 when the tokenizer is known, 1 when not
 *         12  uint32   vocabulary size V
 *         16  uint32   bytes per id: 2 (uint16, when V <= 65536) or 4 (int32)
 *         20  uint64   token count N
 *         28  uint64   validation start S: ids [0, S) are training data, [S, N) validation
 *         36  32 bytes (version 2 only) the SHA-256 of the tokenizer that wrote the ids (tokenizer.TokenizerHash)
 *      H = 36 or 68: N ids
 *    H + N w  32 bytes SHA-256 of every byte before it
 * Documents are concatenated in corpus order, each followed by the end-of-text id when the tokenizer has one.
 * Version 1 files (written before the tokenizer hash existed) stay readable; their tokenizerSha256 is null.
 */
public record TokenFile(int vocabSize, int[] tokens, int validationStart, String tokenizerSha256) {
    public static final byte[] MAGIC = "MSW4JTOK".getBytes(StandardCharsets.US_ASCII);
    public static final int VERSION = 1;
    /** The version of files that carry their tokenizer's hash. */
    public static final int VERSION_WITH_TOKENIZER = 2;
    public static final int HEADER_BYTES = 36;
    public static final int HEADER_BYTES_WITH_TOKENIZER = 68;
    /** Default fraction of the tokens held out for validation (the last ones). */
    public static final double DEFAULT_VALIDATION_FRACTION = 0.05;

    public TokenFile {
        if (validationStart < 0 || validationStart > tokens.length) {
            throw new IllegalArgumentException("validation start " + validationStart + " outside [0, " + tokens.length + "]");
        }
        if (tokenizerSha256 != null && !tokenizerSha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("tokenizer hash must be 64 lowercase hex digits, got \"" + tokenizerSha256 + "\"");
        }
    }

    /** Ids from an unknown tokenizer (written as version 1). */
    public TokenFile(int vocabSize, int[] tokens, int validationStart) {
        this(vocabSize, tokens, validationStart, null);
    }

    /** The documented split rule: the last floor(f * N + 0.5) tokens are validation, so S = N - that. */
    public static int validationStart(int n, double fraction) {
        if (!(fraction >= 0 && fraction < 1)) throw new IllegalArgumentException("validation fraction must be in [0, 1), got " + fraction);
        return n - (int) Math.floor(fraction * n + 0.5);
    }

    public int trainCount() {
        return validationStart;
    }

    public int validationCount() {
        return tokens.length - validationStart;
    }

    public static int bytesPerId(int vocabSize) {
        return vocabSize <= 65536 ? 2 : 4;
    }

    public void write(Path file) throws IOException {
        int w = bytesPerId(vocabSize);
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] < 0 || tokens[i] >= vocabSize) throw new IllegalArgumentException("token " + tokens[i] + " at " + i + " outside vocabulary " + vocabSize);
        }
        AtomicFiles.write(file, raw -> {
            MessageDigest sha = sha256();
            DigestOutputStream out = new DigestOutputStream(raw, sha);
            boolean known = tokenizerSha256 != null;
            ByteBuffer h = ByteBuffer.allocate(known ? HEADER_BYTES_WITH_TOKENIZER : HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            h.put(MAGIC).putInt(known ? VERSION_WITH_TOKENIZER : VERSION).putInt(vocabSize).putInt(w).putLong(tokens.length).putLong(validationStart);
            if (known) h.put(HexFormat.of().parseHex(tokenizerSha256));
            out.write(h.array());
            ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (int id : tokens) {
                if (buf.remaining() < 4) {
                    out.write(buf.array(), 0, buf.position());
                    buf.clear();
                }
                if (w == 2) buf.putShort((short) id);
                else buf.putInt(id);
            }
            out.write(buf.array(), 0, buf.position());
            raw.write(sha.digest());
        });
    }

    /** True when the file starts with the token-file magic. */
    public static boolean isTokenFile(Path file) {
        if (!Files.isRegularFile(file)) return false;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] m = in.readNBytes(MAGIC.length);
            return Arrays.equals(m, MAGIC);
        } catch (IOException e) {
            return false;
        }
    }

    /** Reads and verifies a token file; any defect is an InputException naming the file and byte offset. */
    public static TokenFile read(Path file) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new InputException(file + ": cannot read token file (" + e.getMessage() + ")");
        }
        if (size < HEADER_BYTES + 32) throw new InputException(file + ": truncated token file (" + size + " bytes, the header alone is " + HEADER_BYTES + ")");
        MessageDigest sha = sha256();
        try (DataInputStream in = new DataInputStream(new DigestInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16), sha))) {
            byte[] hb = new byte[HEADER_BYTES];
            in.readFully(hb);
            ByteBuffer h = ByteBuffer.wrap(hb).order(ByteOrder.LITTLE_ENDIAN);
            byte[] magic = new byte[MAGIC.length];
            h.get(magic);
            if (!Arrays.equals(magic, MAGIC)) throw new InputException(file + ": not a token file (bad magic at byte 0; make one with `data tokenize`)");
            int version = h.getInt();
            if (version != VERSION && version != VERSION_WITH_TOKENIZER) {
                throw new InputException(file + ": unsupported token file version " + version + " at byte 8 (expected " + VERSION + " or " + VERSION_WITH_TOKENIZER + ")");
            }
            int vocab = h.getInt();
            int w = h.getInt();
            long n = h.getLong();
            long valStart = h.getLong();
            if (vocab < 1) throw new InputException(file + ": vocabulary size " + vocab + " at byte 12 must be positive");
            if (w != bytesPerId(vocab)) throw new InputException(file + ": bytes per id " + w + " at byte 16 does not fit vocabulary " + vocab);
            if (n < 0 || n > Integer.MAX_VALUE - 8) throw new InputException(file + ": token count " + n + " at byte 20 is out of range");
            if (valStart < 0 || valStart > n) throw new InputException(file + ": validation start " + valStart + " at byte 28 is outside [0, " + n + "]");
            int headerBytes = version == VERSION ? HEADER_BYTES : HEADER_BYTES_WITH_TOKENIZER;
            String tokenizerSha = null;
            if (version == VERSION_WITH_TOKENIZER) {
                if (size < headerBytes + 32) throw new InputException(file + ": truncated token file (" + size + " bytes, the header alone is " + headerBytes + ")");
                byte[] t = new byte[32];
                in.readFully(t);
                tokenizerSha = HexFormat.of().formatHex(t);
            }
            long expected = headerBytes + n * w + 32;
            if (size != expected) {
                throw new InputException(file + ": " + (size < expected ? "truncated" : "trailing bytes in") + " token file: " + size
                        + " bytes, the header says " + expected);
            }
            int[] ids = new int[(int) n];
            byte[] chunk = new byte[1 << 16];
            int done = 0;
            while (done < n) {
                int count = (int) Math.min(chunk.length / w, n - done);
                in.readFully(chunk, 0, count * w);
                ByteBuffer b = ByteBuffer.wrap(chunk, 0, count * w).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < count; i++) {
                    int id = w == 2 ? (b.getShort() & 0xFFFF) : b.getInt();
                    if (id < 0 || id >= vocab) {
                        throw new InputException(file + ": token id " + id + " at byte " + (headerBytes + (long) (done + i) * w) + " is outside the vocabulary of " + vocab);
                    }
                    ids[done + i] = id;
                }
                done += count;
            }
            byte[] digest = sha.digest();
            byte[] stored = new byte[32];
            in.readFully(stored);
            if (!MessageDigest.isEqual(digest, stored)) {
                throw new InputException(file + ": checksum mismatch at byte " + (size - 32) + " (the token file is corrupted)");
            }
            return new TokenFile(vocab, ids, (int) valStart, tokenizerSha);
        } catch (EOFException e) {
            throw new InputException(file + ": truncated token file", e);
        } catch (IOException e) {
            throw new InputException(file + ": cannot read token file (" + e.getMessage() + ")", e);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
