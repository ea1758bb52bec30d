package mediswift4j.tensor;

/**
 * Whether the SIMD kernels (written with the JDK's incubating Vector API, module jdk.incubator.vector) can run in
 * this JVM. The module is part of every JDK 17+, but a JVM only loads it when started with
 * `--add-modules jdk.incubator.vector`; the command line does that for the user (cli/JvmRelaunch). Without it, or
 * with -Dmediswift4j.simd=false, every kernel falls back to its plain-Java twin. Both twins compute each output
 * element with the same chain of fused multiply-adds in the same order, so the choice never changes a result,
 * only the speed (tests check bit equality).
 *
 * Classes that use jdk.incubator.vector are touched only behind {@link #ENABLED}, so the JVM never tries to load
 * them when the module is absent.
 */
public final class Simd {
    private Simd() {}

    /** The module name the JVM must be started with. */
    public static final String MODULE = "jdk.incubator.vector";

    /** True when the Vector API module is loaded and not switched off with -Dmediswift4j.simd=false. */
    public static final boolean ENABLED = ModuleLayer.boot().findModule(MODULE).isPresent()
            && !"false".equals(System.getProperty("mediswift4j.simd"));

    /** "vector-api" or "plain-java", for benchmark output and logs. */
    public static String kernelName() {
        return ENABLED ? "vector-api" : "plain-java";
    }

    /**
     * Float lanes of the kernels' vectors (the JVM's preferred species: 16 with AVX-512, 8 with AVX2, 4 with
     * 128-bit vectors such as NEON or -XX:MaxVectorSize=16), or 1 on the plain-Java kernels.
     */
    public static int floatLanes() {
        return ENABLED ? Lanes.FLOAT : 1;
    }

    /** "vector-api, 8 float lanes (256-bit)" or "plain-java", for benchmark and training output. */
    public static String describe() {
        return ENABLED ? "vector-api, " + floatLanes() + " float lanes (" + 32 * floatLanes() + "-bit)" : "plain-java";
    }

    /** Loaded only behind ENABLED (a nested class is initialised on first use). */
    private static final class Lanes {
        static final int FLOAT = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length();
    }
}
