package mediswift4j.cli;

/** A command line the program cannot understand: unknown option, missing value, bad number. Exit code 2. */
public class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
