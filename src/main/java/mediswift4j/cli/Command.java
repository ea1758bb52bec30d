package mediswift4j.cli;

/**
 * One top-level command of the CLI (`java -jar mediswift4j.jar NAME ...`).
 *
 * A command parses its own options from {@link Args}, calls the library, and prints results. It returns the
 * process exit code: 0 success, 1 failure. Usage mistakes are thrown as {@link UsageException} (exit 2); bad input
 * files as {@link mediswift4j.util.InputException} (exit 1). Library code never calls System.exit.
 */
public interface Command {
    /** The word typed after the jar, e.g. "pretrain". */
    String name();

    /** One line for the command list. */
    String summary();

    /** The full help text printed for `NAME --help`. */
    String help();

    int run(Args args) throws Exception;
}
