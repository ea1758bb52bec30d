package mediswift4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import mediswift4j.util.Rng;

/**
 * The packages of src/main form no cycle: the graph "package A uses package B" has no path back from B to A, so
 * the packages can be read bottom-up. Two sources of edges, merged:
 *   - the compiled classes (jdeps -verbose:class), which see every type a class touches, named or not;
 *   - the source files' imports, which also see compile-time constants (inlined, so absent from the bytecode).
 * A failure names each cycle and, for every edge on it, the classes that make it. A second test keeps the imports
 * honest: no fully-qualified mediswift4j name in code (only in imports and comments).
 */
class ArchitectureTest {
    static final Path SOURCES = Path.of("src/main/java");
    private static final Pattern NAME = Pattern.compile("\\bmediswift4j\\.([a-z][a-z0-9_]*)\\.([A-Z*][A-Za-z0-9_]*)");

    /** from package -> to package -> "FromClass -> ToClass" (sorted, so failures read the same on every run). */
    private final Map<String, Map<String, Set<String>>> graph = new TreeMap<>();

    @Test
    void packagesFormNoCycle() throws Exception {
        addBytecodeEdges();
        addSourceEdges();
        assertTrue(graph.size() > 10, "found only " + graph.keySet() + ": wrong directory?");
        List<List<String>> cycles = cycles(graph);
        if (!cycles.isEmpty()) fail(describe(graph, cycles));
    }

    @Test
    void codeUsesImportsNotQualifiedNames() throws IOException {
        List<String> found = new ArrayList<>();
        for (Path f : javaFiles()) {
            String source = Files.readString(f);
            String[] code = codeOnly(source).split("\n", -1), text = source.split("\n", -1);
            for (int i = 0; i < code.length; i++) {
                String l = code[i].strip();
                if (l.startsWith("import ") || l.startsWith("package ")) continue;
                if (NAME.matcher(l).find()) found.add("  " + SOURCES.relativize(f) + ":" + (i + 1) + ": " + text[i].strip());
            }
        }
        if (!found.isEmpty()) {
            fail("fully-qualified names in code; import the types instead (the imports are a file's dependency list):\n"
                    + String.join("\n", found));
        }
    }

    /** The finder itself: it reports a planted cycle, with the edge reasons, and passes an acyclic graph. */
    @Test
    void cycleFinderNamesTheCycle() {
        Map<String, Map<String, Set<String>>> g = new TreeMap<>();
        edge(g, "a", "b", "A -> B");
        edge(g, "b", "c", "B -> C");
        edge(g, "c", "d", "C -> D");
        assertEquals(List.of(), cycles(g));
        edge(g, "d", "b", "D -> B");
        List<List<String>> cycles = cycles(g);
        assertEquals(List.of(List.of("b", "c", "d", "b")), cycles);
        String text = describe(g, cycles);
        assertTrue(text.contains("b -> c -> d -> b") && text.contains("d -> b: D -> B"), text);
    }

    // ---- the graph ----

    private void addBytecodeEdges() throws URISyntaxException {
        Path classes = Path.of(Rng.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElse(null);
        assertNotNull(jdeps, "jdeps not found: run the tests on a JDK");
        StringWriter out = new StringWriter(), err = new StringWriter();
        int rc = jdeps.run(new PrintWriter(out), new PrintWriter(err), "-verbose:class", "-e", "mediswift4j\\..*",
                "--multi-release", "17", classes.toString());
        assertEquals(0, rc, "jdeps failed: " + err);
        // "   mediswift4j.io.Json    -> mediswift4j.util.InputException    classes"
        Matcher m = Pattern.compile("(?m)^\\s+mediswift4j\\.(\\w+)\\.(\\S+)\\s+->\\s+mediswift4j\\.(\\w+)\\.(\\S+)").matcher(out.toString());
        while (m.find()) edge(graph, m.group(1), m.group(3), outer(m.group(2)) + " -> " + outer(m.group(4)));
    }

    private void addSourceEdges() throws IOException {
        for (Path f : javaFiles()) {
            String code = codeOnly(Files.readString(f));
            Matcher p = Pattern.compile("(?m)^\\s*package\\s+mediswift4j\\.(\\w+)\\s*;").matcher(code);
            if (!p.find()) continue;
            String from = p.group(1), cls = f.getFileName().toString().replace(".java", "");
            Matcher m = NAME.matcher(code);
            while (m.find()) edge(graph, from, m.group(1), cls + " -> " + m.group(2));
        }
    }

    private static void edge(Map<String, Map<String, Set<String>>> g, String from, String to, String why) {
        g.computeIfAbsent(from, k -> new TreeMap<>());
        if (from.equals(to)) return;
        g.computeIfAbsent(to, k -> new TreeMap<>());
        g.get(from).computeIfAbsent(to, k -> new TreeSet<>()).add(why);
    }

    private static String outer(String className) {
        int d = className.indexOf('$');
        return d < 0 ? className : className.substring(0, d);
    }

    private static List<Path> javaFiles() throws IOException {
        try (Stream<Path> s = Files.walk(SOURCES)) {
            return s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
    }

    /** The source with comments and string and character literals blanked (line breaks kept). */
    static String codeOnly(String src) {
        StringBuilder b = new StringBuilder(src.length());
        int i = 0, n = src.length();
        while (i < n) {
            char c = src.charAt(i);
            String end = src.startsWith("//", i) ? "\n" : src.startsWith("/*", i) ? "*/"
                    : src.startsWith("\"\"\"", i) ? "\"\"\"" : c == '"' ? "\"" : c == '\'' ? "'" : null;
            if (end == null) {
                b.append(c);
                i++;
                continue;
            }
            int j = i + (end.equals("\"\"\"") ? 3 : end.equals("*/") ? 2 : 1);
            while (j < n && !src.startsWith(end, j)) j += src.charAt(j) == '\\' && !end.equals("\n") && !end.equals("*/") ? 2 : 1;
            j = Math.min(n, j + (end.equals("\n") ? 0 : end.length()));
            for (int k = i; k < j; k++) b.append(src.charAt(k) == '\n' ? '\n' : ' ');
            i = j;
        }
        return b.toString();
    }

    // ---- cycles ----

    /** One shortest cycle per strongly connected component with more than one package, as a closed path. */
    static List<List<String>> cycles(Map<String, Map<String, Set<String>>> g) {
        List<List<String>> out = new ArrayList<>();
        for (Set<String> component : components(g)) {
            if (component.size() < 2) continue;
            String start = component.iterator().next();
            // Breadth-first from start inside the component, back to start.
            Map<String, String> parent = new HashMap<>();
            Deque<String> queue = new ArrayDeque<>(List.of(start));
            String last = null;
            while (!queue.isEmpty() && last == null) {
                String u = queue.poll();
                for (String v : g.get(u).keySet()) {
                    if (!component.contains(v)) continue;
                    if (v.equals(start)) {
                        last = u;
                        break;
                    }
                    if (parent.putIfAbsent(v, u) == null) queue.add(v);
                }
            }
            List<String> path = new ArrayList<>();
            for (String v = last; !v.equals(start); v = parent.get(v)) path.add(0, v);
            path.add(0, start);
            path.add(start);
            out.add(path);
        }
        return out;
    }

    private static Set<String> component(Map<String, Map<String, Set<String>>> g, String member) {
        for (Set<String> c : components(g)) if (c.contains(member)) return c;
        return Set.of(member);
    }

    /** Tarjan's strongly connected components, each sorted (so the cycle starts at its first package by name). */
    private static List<Set<String>> components(Map<String, Map<String, Set<String>>> g) {
        Map<String, Integer> index = new HashMap<>(), low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new LinkedHashSet<>();
        List<Set<String>> out = new ArrayList<>();
        for (String v : g.keySet()) if (!index.containsKey(v)) connect(v, g, index, low, stack, onStack, out);
        return out;
    }

    private static void connect(String v, Map<String, Map<String, Set<String>>> g, Map<String, Integer> index,
                                Map<String, Integer> low, Deque<String> stack, Set<String> onStack, List<Set<String>> out) {
        index.put(v, index.size());
        low.put(v, index.get(v));
        stack.push(v);
        onStack.add(v);
        for (String w : g.get(v).keySet()) {
            if (!index.containsKey(w)) {
                connect(w, g, index, low, stack, onStack, out);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> c = new TreeSet<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                c.add(w);
            } while (!w.equals(v));
            out.add(c);
        }
    }

    private static String describe(Map<String, Map<String, Set<String>>> g, List<List<String>> cycles) {
        StringBuilder b = new StringBuilder(cycles.size() + " package cycle(s) under mediswift4j:\n");
        for (List<String> c : cycles) {
            b.append("  ").append(String.join(" -> ", c)).append("   (tangled: ")
                    .append(String.join(", ", component(g, c.get(0)))).append(")\n");
            for (int i = 0; i + 1 < c.size(); i++) {
                Set<String> why = g.get(c.get(i)).get(c.get(i + 1));
                b.append("    ").append(c.get(i)).append(" -> ").append(c.get(i + 1)).append(": ")
                        .append(String.join(", ", why.stream().limit(6).toList()))
                        .append(why.size() > 6 ? ", ... (" + why.size() + " in all)" : "").append('\n');
            }
        }
        return b.toString();
    }
}
