package mediswift4j.util;

/**
 * A request a library entry point cannot run as given: an option missing, out of range, inconsistent with another
 * or refused (a resumed run changing its settings). The message names the command-line option; the CLI prints it
 * as a usage error and exits with code 2. Bad files are InputException instead.
 */
public class BadRequest extends IllegalArgumentException {
    public BadRequest(String message) {
        super(message);
    }
}
