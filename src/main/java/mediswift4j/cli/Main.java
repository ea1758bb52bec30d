package mediswift4j.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import mediswift4j.train.TrainingDivergedException;
import mediswift4j.util.BadRequest;
import mediswift4j.util.InputException;

/**
 * Entry point: `java -jar mediswift4j.jar COMMAND [options]`.
 *
 * Exit codes: 0 success, 1 failure (bad input, failed check), 2 usage error (UsageException here, util.BadRequest
 * from a library entry point). Errors are one line on stderr; a stack trace is printed only with --debug. The
 * commands live in this package, one class each, and call the library packages; nothing below `cli` prints to the
 * console or exits the process.
 */
public final class Main {
    /** Every command, in the order of the data flow: text -> tokens -> model -> fine-tuning -> report. */
    static List<Command> commands() {
        return List.of(
                new TokenizerCommand(),
                new DataCommand(),
                new ModelCommand(),
                new PretrainCommand(),
                new CheckpointCommand(),
                new GenerateCommand(),
                new ScoreCommand(),
                new FinetuneCommand(),
                new EvalCommand(),
                new FlopsCommand(),
                new Cs2Command(),
                new ExportCommand(),
                new ImportCommand(),
                new VerifyCommand(),
                new BenchCommand(),
                new ReproduceCommand());
    }

    public static void main(String[] argv) {
        // The SIMD kernels need a JVM started with the Vector API module: hand the command to one (JvmRelaunch).
        if (JvmRelaunch.wanted()) {
            int code = JvmRelaunch.run(argv);
            if (code >= 0) System.exit(code);
        }
        JvmRelaunch.watchParent();
        System.exit(run(argv, System.out, System.err));
    }

    /** Runs one command line and returns its exit code (used by tests as well as by main). */
    public static int run(String[] argv, PrintStream out, PrintStream err) {
        List<String> words = new ArrayList<>(Arrays.asList(argv));
        boolean debug = words.remove("--debug");
        Map<String, Command> byName = new LinkedHashMap<>();
        for (Command c : commands()) byName.put(c.name(), c);

        if (words.isEmpty() || words.get(0).equals("--help") || words.get(0).equals("help")) {
            printOverview(byName, words.isEmpty() ? err : out);
            return words.isEmpty() ? 2 : 0;
        }
        Command command = byName.get(words.get(0));
        if (command == null) {
            err.println("error: unknown command '" + words.get(0) + "' (run with --help for the list)");
            return 2;
        }
        String[] rest = words.subList(1, words.size()).toArray(new String[0]);
        if (Arrays.asList(rest).contains("--help") || Arrays.asList(rest).contains("-h")) {
            out.println(command.help());
            return 0;
        }
        try {
            return command.run(new Args(rest));
        } catch (UsageException | BadRequest e) {
            err.println("usage error: " + e.getMessage() + " (see: " + command.name() + " --help)");
            if (debug) e.printStackTrace(err);
            return 2;
        } catch (InputException | TrainingDivergedException e) {
            err.println("error: " + e.getMessage());
            if (debug) e.printStackTrace(err);
            return 1;
        } catch (OutOfMemoryError e) {
            err.println("error: out of memory; raise the Java heap, e.g. java -Xmx16g -jar mediswift4j.jar ...");
            return 1;
        } catch (Exception | StackOverflowError e) {
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            err.println("error: " + msg + (debug ? "" : " (run with --debug for details)"));
            if (debug) e.printStackTrace(err);
            return 1;
        }
    }

    private static void printOverview(Map<String, Command> byName, PrintStream to) {
        to.println("mediswift4j: sparse pre-training of biomedical GPT models (MediSwift), in plain Java");
        to.println();
        to.println("usage: java -jar mediswift4j.jar COMMAND [options]   (COMMAND --help for details)");
        to.println();
        for (Command c : byName.values()) to.printf("  %-11s %s%n", c.name(), c.summary());
        to.println();
        to.println("--debug with any command prints stack traces on errors.");
    }

    /** Console output for commands: UTF-8 regardless of the platform default. */
    public static PrintStream utf8(PrintStream s) {
        return new PrintStream(s, true, StandardCharsets.UTF_8);
    }
}
