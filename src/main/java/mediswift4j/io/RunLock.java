package mediswift4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import mediswift4j.util.BadRequest;
import mediswift4j.util.InputException;

/**
 * One writer per run directory: an OS file lock on RUN/.lock, held from before the first write until the
 * command ends. The operating system drops the lock when the process dies, however it dies, so a crash never
 * leaves a stale lock; the file itself stays and is harmless. The holder writes its process id into the file so a
 * second writer can say who holds the run ("RUN is in use by process N").
 *
 * Within one JVM a second lock on the same file throws OverlappingFileLockException; that counts as "in use" too.
 */
public final class RunLock implements AutoCloseable {
    /** The lock file's name inside a run directory. */
    public static final String FILE_NAME = ".lock";

    private final Path dir;
    private final boolean createdDir;
    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(Path dir, boolean createdDir, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.createdDir = createdDir;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Creates `dir` if needed and locks it for this process. Throws InputException (naming the directory and the
     * holder's process id) when another writer holds it, or when the lock file cannot be created; BadRequest
     * when `dir` is a file (every caller takes it from --out).
     */
    public static RunLock acquire(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new BadRequest("--out " + dir + " is a file, not a directory; give a directory for the run");
        }
        FileChannel ch;
        boolean created = !Files.exists(dir);
        try {
            Files.createDirectories(dir);
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new InputException(file + ": cannot create the run's lock file (" + reason(e) + ")", e);
        }
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            closeQuietly(ch);
            throw new InputException(file + ": cannot lock the run directory (" + reason(e) + ")", e);
        }
        if (lock == null) {
            String holder = holder(ch);
            closeQuietly(ch);
            throw new InputException(dir + " is in use by process " + holder
                    + " (one writer per run directory; wait for it to finish or choose another directory)");
        }
        try {
            byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(pid), 0);
        } catch (IOException e) {
            // the id is only for the message a second writer prints; the lock itself holds
        }
        return new RunLock(dir, created, ch, lock);
    }

    /** The process id recorded in the lock file, or "unknown". */
    private static String holder(FileChannel ch) {
        try {
            ByteBuffer buf = ByteBuffer.allocate(32);
            int n = ch.read(buf, 0);
            String s = n <= 0 ? "" : new String(buf.array(), 0, n, StandardCharsets.US_ASCII).strip();
            return s.matches("\\d{1,19}") ? s : "unknown";
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String reason(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // nothing was written through it
        }
    }

    /**
     * Releases the lock (the OS releases it anyway when the process ends). A directory this lock created and in
     * which nothing else was written (the command failed before its first write) is removed again.
     */
    @Override
    public void close() {
        try {
            if (createdDir && onlyLockFileIn(dir)) Files.deleteIfExists(dir.resolve(FILE_NAME));
        } catch (IOException e) {
            // an empty lock file left behind is harmless
        }
        try {
            if (lock.isValid()) lock.release();
        } catch (IOException e) {
            // closing the channel below releases it too
        }
        closeQuietly(channel);
        try {
            if (createdDir) Files.deleteIfExists(dir);
        } catch (IOException e) {
            // not empty: the command wrote something after all
        }
    }

    private static boolean onlyLockFileIn(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.allMatch(p -> p.getFileName().toString().equals(FILE_NAME));
        }
    }
}
