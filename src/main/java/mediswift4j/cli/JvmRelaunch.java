package mediswift4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.module.ModuleFinder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import mediswift4j.io.AtomicFiles;
import mediswift4j.tensor.Simd;

/**
 * Makes `java -jar mediswift4j.jar ...` use the SIMD kernels. They need the JDK's incubating Vector API module,
 * which a JVM loads only when started with `--add-modules jdk.incubator.vector`, and a jar's manifest cannot ask
 * for that. So when the module is missing, main() starts the same command once more in a child JVM that has it
 * (same java binary, same JVM options, same class path), passes stdin/stdout through, forwards stderr (minus the
 * JVM's one-line "Using incubator modules" notice), and exits with the child's exit code.
 *
 * Results do not depend on this: the plain-Java kernels compute the same bits, only slower. No relaunch happens
 * when the module is already loaded, when the user switched SIMD off (-Dmediswift4j.simd=false), when the JDK lacks
 * the module, or inside a relaunched child (environment variable {@link #CHILD_MARK}). If the parent is killed,
 * the child stops too, so `kill` behaves as it would on a single process.
 */
final class JvmRelaunch {
    private JvmRelaunch() {}

    /** Set in the child's environment: it must not relaunch again, and it watches its parent. */
    static final String CHILD_MARK = "MEDISWIFT4J_RELAUNCHED";
    private static final String NOTICE = "WARNING: Using incubator modules: " + Simd.MODULE;

    /** True when this JVM should hand the command to a child JVM with the Vector API module. */
    static boolean wanted() {
        return !ModuleLayer.boot().findModule(Simd.MODULE).isPresent()
                && !"false".equals(System.getProperty("mediswift4j.simd"))
                && System.getenv(CHILD_MARK) == null
                && ModuleFinder.ofSystem().find(Simd.MODULE).isPresent();
    }

    /** Runs argv in the child JVM and returns its exit code; -1 if the child could not be started. */
    static int run(String[] argv) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("--add-modules=" + Simd.MODULE);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(Arrays.asList(argv));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.INHERIT)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put(CHILD_MARK, "1");
        Process child;
        try {
            child = pb.start();
        } catch (IOException e) {
            return -1; // fall back to running here, with the plain-Java kernels
        }
        // Ctrl-C reaches both processes; a plain `kill` of this one must reach the child too.
        Thread stopChild = new Thread(child::destroy, "mediswift4j-stop-child");
        Runtime.getRuntime().addShutdownHook(stopChild);
        Thread pump = new Thread(() -> forwardStderr(child.getErrorStream(), System.err), "mediswift4j-stderr");
        pump.setDaemon(true);
        pump.start();
        try {
            int code = child.waitFor();
            pump.join(2000);
            Runtime.getRuntime().removeShutdownHook(stopChild);
            return code;
        } catch (InterruptedException e) {
            child.destroy();
            return 1;
        } catch (IllegalStateException e) {
            return 1; // shutting down already: the hook stops the child
        }
    }

    /** How often the child looks for its parent: well inside the 100 ms it may outlive it (SPEC.md section 14). */
    static final long WATCH_MILLIS = 10;

    /**
     * In a relaunched child: halt when the parent disappears (for example, killed with SIGKILL), within
     * {@link #WATCH_MILLIS}, and look once more right before every file commit (io.AtomicFiles), so that nothing
     * is written after the parent is gone and the last line the user saw matches the files on disk.
     * (ProcessHandle.onExit is no use here: for a process that is not our child it polls with a back-off that
     * let a child train on for two seconds.)
     */
    static void watchParent() {
        if (System.getenv(CHILD_MARK) == null) return;
        ProcessHandle parent = ProcessHandle.current().parent().orElse(null);
        if (parent == null) return;
        Runnable stopIfOrphaned = () -> {
            if (isGone(parent)) Runtime.getRuntime().halt(137);
        };
        AtomicFiles.setCommitGuard(stopIfOrphaned);
        Thread watch = new Thread(() -> {
            while (true) {
                stopIfOrphaned.run();
                try {
                    Thread.sleep(WATCH_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "mediswift4j-parent-watch");
        watch.setDaemon(true);
        watch.start();
    }

    /** The parent ended, or this process was handed to another parent (what happens when the parent dies). */
    static boolean isGone(ProcessHandle parent) {
        if (!parent.isAlive()) return true;
        return ProcessHandle.current().parent().map(p -> p.pid() != parent.pid()).orElse(true);
    }

    /** Copies the child's stderr as it comes (progress lines use \r), dropping the JVM's notice line once. */
    static void forwardStderr(InputStream from, OutputStream to) {
        byte[] buf = new byte[8192];
        StringBuilder firstLine = new StringBuilder();
        boolean checking = true;
        try {
            int n;
            while ((n = from.read(buf)) > 0) {
                int start = 0;
                if (checking) {
                    // Hold back the first line until it is complete, then drop it if it is the notice.
                    int nl = -1;
                    for (int i = 0; i < n; i++) if (buf[i] == '\n') { nl = i; break; }
                    firstLine.append(new String(buf, 0, nl < 0 ? n : nl + 1, StandardCharsets.ISO_8859_1));
                    if (nl < 0 && firstLine.length() < 200) continue;
                    checking = false;
                    String line = firstLine.toString();
                    if (!line.strip().equals(NOTICE)) to.write(line.getBytes(StandardCharsets.ISO_8859_1));
                    start = nl < 0 ? n : nl + 1;
                }
                to.write(buf, start, n - start);
                to.flush();
            }
            if (checking && firstLine.length() > 0 && !firstLine.toString().strip().equals(NOTICE)) {
                to.write(firstLine.toString().getBytes(StandardCharsets.ISO_8859_1));
            }
            to.flush();
        } catch (IOException e) {
            // the child's stderr closed abnormally: nothing left to forward
        }
    }
}
