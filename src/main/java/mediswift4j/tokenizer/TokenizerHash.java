package mediswift4j.tokenizer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The identity of a tokenizer, independent of its file format (vocab.json + merges.txt or encoder.json +
 * vocab.bpe, any JSON spacing): SHA-256, as 64 lowercase hex digits, of (integers uint32 little-endian)
 *   V, then for each id 0..V-1 its byte length and bytes;
 *   M, then for each merge rank 0..M-1 its left id and right id;
 *   S, then for each special token in increasing id order its id, UTF-8 byte length and UTF-8 name.
 * Token files and runs record it (SPEC.md section 9), so a token file is never read with another tokenizer.
 */
public final class TokenizerHash {
    private TokenizerHash() {}

    public static String sha256(BpeTokenizer tok) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        int v = tok.vocabSize();
        u32(md, b, v);
        for (int id = 0; id < v; id++) {
            byte[] t = tok.tokenBytesShared(id);
            u32(md, b, t.length);
            md.update(t);
        }
        u32(md, b, tok.mergeCount());
        for (int r = 0; r < tok.mergeCount(); r++) {
            int[] m = tok.merge(r);
            u32(md, b, m[0]);
            u32(md, b, m[1]);
        }
        Map<Integer, String> specials = new TreeMap<>();
        for (var e : tok.specialTokens().entrySet()) specials.put(e.getValue(), e.getKey());
        u32(md, b, specials.size());
        for (var e : specials.entrySet()) {
            byte[] name = e.getValue().getBytes(StandardCharsets.UTF_8);
            u32(md, b, e.getKey());
            u32(md, b, name.length);
            md.update(name);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static void u32(MessageDigest md, ByteBuffer b, int x) {
        b.clear();
        b.putInt(x);
        md.update(b.array());
    }
}
