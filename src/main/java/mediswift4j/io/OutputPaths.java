package mediswift4j.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;

import mediswift4j.util.BadRequest;

/**
 * Checks a command's output paths before it does any work, so that no command writes over one of its inputs or
 * replaces a file or run it did not make (SPEC.md section 14). Every refusal is a {@link BadRequest} (exit 2) whose
 * message names what exists and which option to pass.
 *
 * Paths are compared by real path (symbolic links and `..` resolved); an output that does not exist yet is
 * compared by its parent's real path plus its name, so `--out ./x.txt` and `--input x.txt` are the same file.
 */
public final class OutputPaths {
    private OutputPaths() {}

    /** The file a path names, by real path as far as it exists (see the class comment). */
    public static Path realPath(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        try {
            return abs.toRealPath();
        } catch (IOException e) {
            Path parent = abs.getParent();
            if (parent == null || abs.getFileName() == null) return abs;
            return realPath(parent).resolve(abs.getFileName());
        }
    }

    /**
     * Refuses when one of `outputs` (the files a command will write) is one of `inputs` (the files and directories
     * it reads). `outOption` names the output option in the message.
     */
    public static void notAnInput(String outOption, Collection<Path> outputs, Collection<Path> inputs) {
        for (Path out : outputs) {
            Path o = realPath(out);
            for (Path in : inputs) {
                Path i = realPath(in);
                if (o.equals(i)) {
                    throw new BadRequest(outOption + " " + out + " is also an input (" + in + "); it would be overwritten:"
                            + " choose another output path");
                }
            }
        }
    }

    /** Shorthand for one output. */
    public static void notAnInput(String outOption, Path output, Collection<Path> inputs) {
        notAnInput(outOption, List.of(output), inputs);
    }

    /**
     * An output file: refused when it is a directory, or exists and `overwrite` is false, or its parent is a file.
     */
    public static void newFile(String outOption, Path out, boolean overwrite) {
        if (Files.isDirectory(out)) {
            throw new BadRequest(outOption + " " + out + " is a directory; give the path of a file to write");
        }
        if (Files.exists(out) && !overwrite) {
            throw new BadRequest(outOption + " " + out + " already exists; pass --overwrite to replace it (or choose another path)");
        }
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null && Files.exists(parent) && !Files.isDirectory(parent)) {
            throw new BadRequest(outOption + " " + out + ": " + parent + " is a file, not a directory");
        }
    }

    /**
     * An output directory whose files are `owned` (the names the command writes there): refused when it is a
     * file, or when one of those files exists and neither `resume` (continue the run found there) nor `overwrite`
     * is set. `resumeHint` is how to continue it (for example "--resume DIR"), or null when the command cannot.
     */
    public static void runDirectory(String outOption, Path dir, boolean resume, boolean overwrite, String resumeHint,
                                    String... owned) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new BadRequest(outOption + " " + dir + " is a file, not a directory; give a directory for the run");
        }
        if (resume || overwrite) return;
        for (String name : owned) {
            if (Files.exists(dir.resolve(name))) {
                throw new BadRequest(outOption + " " + dir + " already holds a run (" + name + " exists); pass "
                        + (resumeHint == null ? "" : resumeHint + " to continue it, or ") + "--overwrite to replace it");
            }
        }
    }

    /** True when `dir` does not exist or has no entries. */
    public static boolean isEmptyOrMissing(Path dir) {
        if (!Files.isDirectory(dir)) return !Files.exists(dir);
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }
}
