package mediswift4j.io;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import mediswift4j.util.InputException;

/**
 * A small, strict JSON reader and writer (RFC 8259) with no dependency.
 *
 * Values map to Java as: object -> LinkedHashMap (key order kept), array -> ArrayList, string -> String,
 * number -> Long when it is an integer that fits, else Double, true/false -> Boolean, null -> null.
 * Errors name the source, line and column. Writing can escape non-ASCII as \\uXXXX and indent like Python's
 * json.dump(indent=N), so files we write can match files written by Python scripts byte for byte.
 */
public final class Json {
    private final String text;
    private final String source;
    private int pos;
    private int depth;
    private static final int MAX_DEPTH = 512;

    private Json(String text, String source) {
        this.text = text;
        this.source = source;
    }

    /** Parses a whole document; `source` names it in error messages (a file name, or "<string>"). */
    public static Object parse(String text, String source) {
        Json p = new Json(text, source);
        p.skipSpace();
        Object v = p.value();
        p.skipSpace();
        if (p.pos != text.length()) throw p.error("unexpected text after the JSON value");
        return v;
    }

    /** Reads and parses a UTF-8 file; invalid UTF-8 is an error naming the byte offset. */
    public static Object read(Path file) {
        return parse(readUtf8(file), file.toString());
    }

    /** Reads a file as strict UTF-8 (no silent replacement), naming the file and byte offset on failure. */
    public static String readUtf8(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InputException(file + ": cannot read (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            return decoder.decode(in).toString();
        } catch (CharacterCodingException e) {
            throw new InputException(file + ": invalid UTF-8 at byte offset " + in.position());
        }
    }

    // ---------------------------------------------------------------- reading

    private InputException error(String what) {
        int line = 1, col = 1;
        for (int i = 0; i < Math.min(pos, text.length()); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        return new InputException(source + ":" + line + ":" + col + ": malformed JSON: " + what);
    }

    private void skipSpace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') pos++;
            else break;
        }
    }

    private Object value() {
        if (pos >= text.length()) throw error("unexpected end of input");
        char c = text.charAt(pos);
        switch (c) {
            case '{': return object();
            case '[': return array();
            case '"': return string();
            case 't': return literal("true", Boolean.TRUE);
            case 'f': return literal("false", Boolean.FALSE);
            case 'n': return literal("null", null);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) return number();
                throw error("unexpected character '" + c + "'");
        }
    }

    private Object literal(String word, Object v) {
        if (!text.startsWith(word, pos)) throw error("expected '" + word + "'");
        pos += word.length();
        return v;
    }

    private Map<String, Object> object() {
        if (++depth > MAX_DEPTH) throw error("nesting deeper than " + MAX_DEPTH);
        pos++;
        Map<String, Object> m = new LinkedHashMap<>();
        skipSpace();
        if (pos < text.length() && text.charAt(pos) == '}') {
            pos++;
            depth--;
            return m;
        }
        while (true) {
            skipSpace();
            if (pos >= text.length() || text.charAt(pos) != '"') throw error("expected a string key");
            String key = string();
            skipSpace();
            expect(':');
            skipSpace();
            if (m.containsKey(key)) throw error("duplicate key \"" + key + "\"");
            m.put(key, value());
            skipSpace();
            if (pos < text.length() && text.charAt(pos) == ',') {
                pos++;
                continue;
            }
            expect('}');
            depth--;
            return m;
        }
    }

    private List<Object> array() {
        if (++depth > MAX_DEPTH) throw error("nesting deeper than " + MAX_DEPTH);
        pos++;
        List<Object> a = new ArrayList<>();
        skipSpace();
        if (pos < text.length() && text.charAt(pos) == ']') {
            pos++;
            depth--;
            return a;
        }
        while (true) {
            skipSpace();
            a.add(value());
            skipSpace();
            if (pos < text.length() && text.charAt(pos) == ',') {
                pos++;
                continue;
            }
            expect(']');
            depth--;
            return a;
        }
    }

    private void expect(char c) {
        if (pos >= text.length()) throw error("expected '" + c + "' but the input ended");
        if (text.charAt(pos) != c) throw error("expected '" + c + "' but found '" + text.charAt(pos) + "'");
        pos++;
    }

    private String string() {
        pos++; // opening quote
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= text.length()) throw error("unterminated string");
            char c = text.charAt(pos++);
            if (c == '"') return sb.toString();
            if (c < 0x20) throw error("control character in string");
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (pos >= text.length()) throw error("unterminated escape");
            char e = text.charAt(pos++);
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
                    if (pos + 4 > text.length()) throw error("short \\u escape");
                    int code = 0;
                    for (int i = 0; i < 4; i++) {
                        int d = Character.digit(text.charAt(pos++), 16);
                        if (d < 0) throw error("bad hex digit in \\u escape");
                        code = code * 16 + d;
                    }
                    sb.append((char) code);
                    break;
                default:
                    throw error("bad escape \\" + e);
            }
        }
    }

    private Object number() {
        int start = pos;
        if (text.charAt(pos) == '-') pos++;
        if (pos >= text.length() || !Character.isDigit(text.charAt(pos))) throw error("bad number");
        if (text.charAt(pos) == '0') pos++;
        else while (pos < text.length() && Character.isDigit(text.charAt(pos))) pos++;
        boolean integral = true;
        if (pos < text.length() && text.charAt(pos) == '.') {
            integral = false;
            pos++;
            if (pos >= text.length() || !Character.isDigit(text.charAt(pos))) throw error("bad number");
            while (pos < text.length() && Character.isDigit(text.charAt(pos))) pos++;
        }
        if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
            integral = false;
            pos++;
            if (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) pos++;
            if (pos >= text.length() || !Character.isDigit(text.charAt(pos))) throw error("bad number");
            while (pos < text.length() && Character.isDigit(text.charAt(pos))) pos++;
        }
        String s = text.substring(start, pos);
        if (integral && s.length() < 19) return Long.parseLong(s);
        return Double.parseDouble(s);
    }

    // ---------------------------------------------------------------- typed access with clear errors

    /** The object at `v`, or an error naming `where` (e.g. "ori_pqal.json: record 12345"). */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> asObject(Object v, String where) {
        if (v instanceof Map) return (Map<String, Object>) v;
        throw new InputException(where + ": expected a JSON object, found " + kind(v));
    }

    @SuppressWarnings("unchecked")
    public static List<Object> asArray(Object v, String where) {
        if (v instanceof List) return (List<Object>) v;
        throw new InputException(where + ": expected a JSON array, found " + kind(v));
    }

    public static String asString(Object v, String where) {
        if (v instanceof String) return (String) v;
        throw new InputException(where + ": expected a string, found " + kind(v));
    }

    public static double asNumber(Object v, String where) {
        if (v instanceof Number) return ((Number) v).doubleValue();
        throw new InputException(where + ": expected a number, found " + kind(v));
    }

    public static long asLong(Object v, String where) {
        if (v instanceof Long) return (Long) v;
        throw new InputException(where + ": expected an integer, found " + kind(v));
    }

    /** An integer that fits in a Java int (no silent wrap-around of larger values), or an error naming `where`. */
    public static int asInt(Object v, String where) {
        long x = asLong(v, where);
        if (x < Integer.MIN_VALUE || x > Integer.MAX_VALUE) throw new InputException(where + ": " + x + " is outside the 32-bit integer range");
        return (int) x;
    }

    /** The field `key` of `obj`, which must be present. */
    public static Object field(Map<String, Object> obj, String key, String where) {
        if (!obj.containsKey(key)) throw new InputException(where + ": missing field \"" + key + "\"");
        return obj.get(key);
    }

    private static String kind(Object v) {
        if (v == null) return "null";
        if (v instanceof Map) return "an object";
        if (v instanceof List) return "an array";
        if (v instanceof String) return "a string";
        if (v instanceof Boolean) return "a boolean";
        return "a number";
    }

    // ---------------------------------------------------------------- writing

    /** Compact JSON on one line (keys in map order), non-ASCII written as is. */
    public static String write(Object v) {
        StringBuilder sb = new StringBuilder();
        write(sb, v, -1, false, 0);
        return sb.toString();
    }

    /** Indented JSON like Python's json.dumps(v, indent=indent, ensure_ascii=asciiOnly). */
    public static String write(Object v, int indent, boolean asciiOnly) {
        StringBuilder sb = new StringBuilder();
        write(sb, v, indent, asciiOnly, 0);
        return sb.toString();
    }

    private static void newline(StringBuilder sb, int indent, int level) {
        if (indent < 0) return;
        sb.append('\n');
        for (int i = 0; i < indent * level; i++) sb.append(' ');
    }

    private static void write(StringBuilder sb, Object v, int indent, boolean ascii, int level) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String) {
            quote(sb, (String) v, ascii);
        } else if (v instanceof Boolean) {
            sb.append(v.toString());
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (!Double.isFinite(d)) throw new IllegalArgumentException("JSON cannot hold " + d);
            if (d == Math.rint(d) && Math.abs(d) < 1e15) sb.append((long) d).append(".0");
            else sb.append(Double.toString(d));
        } else if (v instanceof Number) {
            sb.append(v.toString());
        } else if (v instanceof Map) {
            Map<?, ?> m = (Map<?, ?>) v;
            if (m.isEmpty()) {
                sb.append("{}");
                return;
            }
            sb.append('{');
            boolean first = true;
            for (var e : m.entrySet()) {
                if (!first) sb.append(indent < 0 ? "," : ",");
                first = false;
                newline(sb, indent, level + 1);
                quote(sb, String.valueOf(e.getKey()), ascii);
                sb.append(indent < 0 ? ":" : ": ");
                write(sb, e.getValue(), indent, ascii, level + 1);
            }
            newline(sb, indent, level);
            sb.append('}');
        } else if (v instanceof List) {
            List<?> a = (List<?>) v;
            if (a.isEmpty()) {
                sb.append("[]");
                return;
            }
            sb.append('[');
            boolean first = true;
            for (Object x : a) {
                if (!first) sb.append(',');
                first = false;
                newline(sb, indent, level + 1);
                write(sb, x, indent, ascii, level + 1);
            }
            newline(sb, indent, level);
            sb.append(']');
        } else if (v instanceof double[]) {
            List<Object> l = new ArrayList<>();
            for (double d : (double[]) v) l.add(d);
            write(sb, l, indent, ascii, level);
        } else if (v instanceof long[]) {
            List<Object> l = new ArrayList<>();
            for (long d : (long[]) v) l.add(d);
            write(sb, l, indent, ascii, level);
        } else if (v instanceof int[]) {
            List<Object> l = new ArrayList<>();
            for (int d : (int[]) v) l.add((long) d);
            write(sb, l, indent, ascii, level);
        } else {
            throw new IllegalArgumentException("cannot write " + v.getClass().getSimpleName() + " as JSON");
        }
    }

    private static void quote(StringBuilder sb, String s, boolean ascii) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                case '\b': sb.append("\\b"); break;
                case '\f': sb.append("\\f"); break;
                default:
                    if (c < 0x20 || (ascii && c > 0x7E)) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
            }
        }
        sb.append('"');
    }
}
