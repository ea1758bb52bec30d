package mediswift4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import mediswift4j.util.InputException;

/**
 * A Reader that decodes UTF-8 strictly: the first malformed or truncated byte sequence stops reading with an
 * InputException naming the file and the byte offset (0-based, counted in the decompressed stream for .gz files).
 * This is the corpus rule for invalid UTF-8: rejection, never silent replacement. A leading byte-order mark
 * (EF BB BF) is skipped.
 */
final class StrictUtf8Reader extends Reader {
    private final InputStream in;
    private final String source;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteBuffer bytes = ByteBuffer.allocate(1 << 16);
    private final CharBuffer chars = CharBuffer.allocate(1 << 16);
    private long consumedBefore; // bytes that left `bytes` before its current start
    private boolean eof, flushed, first = true;

    StrictUtf8Reader(InputStream in, String source) {
        this.in = in;
        this.source = source;
        bytes.flip();
        chars.flip();
    }

    @Override
    public int read(char[] buf, int off, int len) throws IOException {
        if (len == 0) return 0;
        while (!chars.hasRemaining()) {
            if (flushed) return -1;
            fill();
        }
        int n = Math.min(len, chars.remaining());
        chars.get(buf, off, n);
        return n;
    }

    /** Decodes more bytes into `chars`. */
    private void fill() throws IOException {
        chars.clear();
        try {
            if (!eof && bytes.remaining() < 4096) {
                consumedBefore += bytes.position();
                bytes.compact();
                int r = in.read(bytes.array(), bytes.position(), bytes.remaining());
                if (r < 0) eof = true;
                else bytes.position(bytes.position() + r);
                bytes.flip();
            }
            if (first) {
                if (bytes.remaining() < 3 && !eof) return; // read more before looking for a byte-order mark
                first = false;
                if (bytes.remaining() >= 3 && (bytes.get(0) & 0xFF) == 0xEF && (bytes.get(1) & 0xFF) == 0xBB
                        && (bytes.get(2) & 0xFF) == 0xBF) bytes.position(3);
            }
            CoderResult cr = decoder.decode(bytes, chars, eof);
            if (cr.isError()) throw invalid(consumedBefore + bytes.position());
            if (eof && !bytes.hasRemaining()) {
                cr = decoder.flush(chars);
                if (cr.isError()) throw invalid(consumedBefore + bytes.position());
                if (cr.isUnderflow()) flushed = true;
            }
        } catch (java.util.zip.ZipException e) {
            throw new InputException(source + ": corrupt gzip data (" + e.getMessage() + ")");
        } catch (java.io.EOFException e) {
            throw new InputException(source + ": truncated file (" + e.getMessage() + ")");
        } finally {
            chars.flip();
        }
    }

    private InputException invalid(long offset) {
        return new InputException(source + ": invalid UTF-8 at byte offset " + offset);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
