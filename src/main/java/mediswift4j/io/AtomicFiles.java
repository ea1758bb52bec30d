package mediswift4j.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes that matter are atomic: the bytes go to a temporary file beside the target, are forced to disk, and the
 * temporary file is renamed over the target, and the directory is forced too. A crash leaves either the old file or
 * the new one, never half of one; a killed writer may leave its temporary file (".NAME.*.tmp"), which readers
 * never open.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /**
     * Run right before every commit (the rename of {@link #write}, an appended log line): a process that must not
     * write any more (a relaunched JVM whose parent is gone, see cli.JvmRelaunch) stops here instead. The default
     * does nothing.
     */
    private static volatile Runnable commitGuard = () -> {};

    /** Sets the check {@link #beforeCommit} runs. */
    public static void setCommitGuard(Runnable guard) {
        commitGuard = guard == null ? () -> {} : guard;
    }

    /** Runs the commit guard; writers that append (log lines) call it before each line, {@link #write} before its rename. */
    public static void beforeCommit() {
        commitGuard.run();
    }

    /** Something that writes a file's bytes to a stream. */
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /**
     * Writes `target` atomically. A failure (disk full, no permission, a directory in the way) is an IOException
     * whose message names the target, the step that failed and the cause, and says whether the previous file is
     * still there unchanged (it always is: only the rename replaces it).
     */
    public static void write(Path target, Writer writer) throws IOException {
        try {
            writeAtomically(target, writer);
        } catch (IOException e) {
            boolean kept = Files.isRegularFile(target);
            String cause = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new IOException("cannot write " + target + " (" + cause + "); "
                    + (kept ? "the previous " + target.getFileName() + " is kept unchanged" : "nothing was written"), e);
        }
    }

    private static void writeAtomically(Path target, Writer writer) throws IOException {
        if (Files.isDirectory(target)) throw new IOException(target + " is a directory, not a file");
        Path dir = target.toAbsolutePath().getParent();
        if (dir != null) Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE);
                 OutputStream out = new java.io.BufferedOutputStream(java.nio.channels.Channels.newOutputStream(ch), 1 << 16)) {
                writer.write(out);
                out.flush();
                ch.force(true);
            }
            beforeCommit();
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            forceDirectory(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Forces the directory entry of the rename to disk, so that after a power loss the directory names the new file
     * (a killed process needs no such step: the rename is done once it returns). Not every platform can open a
     * directory for this (Windows cannot); there it is skipped.
     */
    private static void forceDirectory(Path dir) {
        if (dir == null) return;
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // best effort: the file itself was already forced before the rename
        }
    }

    public static void writeString(Path target, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        write(target, out -> out.write(bytes));
    }
}
