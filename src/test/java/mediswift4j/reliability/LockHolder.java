package mediswift4j.reliability;

import java.nio.file.Path;

import mediswift4j.io.RunLock;

/**
 * A second process for the run-lock tests: locks the directory in args[0], says "locked" on stdout and waits to be
 * killed (the OS then drops the lock).
 */
public final class LockHolder {
    private LockHolder() {}

    public static void main(String[] args) throws Exception {
        RunLock lock = RunLock.acquire(Path.of(args[0]));
        System.out.println("locked");
        System.out.flush();
        Thread.sleep(120_000);
        lock.close();
    }
}
