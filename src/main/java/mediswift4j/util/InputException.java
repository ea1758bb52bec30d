package mediswift4j.util;

/**
 * Bad input from the user: a malformed file, a missing field, a wrong shape, an unknown label.
 *
 * The message must say where the problem is (file, line, field or byte offset) and what was expected. The CLI
 * prints the message alone on stderr and exits with code 1; it never shows a stack trace for this type.
 * Every loader in the project throws this type, and only this type, for input it cannot accept.
 */
public class InputException extends RuntimeException {
    public InputException(String message) {
        super(message);
    }

    public InputException(String message, Throwable cause) {
        super(message, cause);
    }
}
