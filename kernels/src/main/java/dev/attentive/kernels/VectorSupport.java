package dev.attentive.kernels;

import java.lang.module.ModuleFinder;

/**
 * The one switch between the kernels' Vector API paths and their scalar fallbacks.
 *
 * <p>The vector paths run when the JDK's incubating {@code jdk.incubator.vector} module is in the
 * boot layer (start the JVM with {@code --add-modules jdk.incubator.vector}) and the system property
 * {@value #PROPERTY} is not {@code false}. Both are read once, when this class is initialised; set
 * the property on the command line ({@code -Dattentive.vector=false}), not at run time. Where the
 * two paths round differently, each kernel's javadoc says how; a given path is deterministic.
 *
 * <p>The classes that use the Vector API are never loaded when it is disabled, so the kernels run on
 * any Java 21+ runtime. When the module is missing and the property does not switch the vector paths
 * off on purpose, this class logs one {@link System.Logger.Level#WARNING} (logger
 * {@code dev.attentive.kernels.VectorSupport}, once per class loader, when a kernel is first used)
 * naming the flag, where to put it and what its absence costs. Thread safe (immutable).
 *
 * @since 0.2.0
 */
public final class VectorSupport {
    /**
     * The system property that disables the vector paths when set to {@code false}.
     *
     * @since 0.2.0
     */
    public static final String PROPERTY = "attentive.vector";

    /** The incubating module the vector paths need. */
    static final String MODULE = "jdk.incubator.vector";

    /**
     * The warning when the module is not in the boot layer but the runtime has it. The cost quoted is
     * measured: {@code attentive evaluate --dataset synthetic --models two-tower[epochs=10,patience=30]
     * --threads 2}, three runs with and three without the flag, alternating, on a shared 2-core machine
     * (CPU time, as wall time there depended on the other load: 12.9 s against 71.5 s at the quietest).
     */
    static final String MISSING_MODULE_WARNING = "Attentive runs its kernels without the Vector API: "
            + "this JVM was started without --add-modules jdk.incubator.vector, so dot products, matrix products "
            + "and softmax fall back to scalar loops and two-tower training takes about 5 times as long (measured: "
            + "10 epochs on the synthetic data, 20 CPU-seconds with the flag and 92 without; a user measured 30 epochs, "
            + "20 s with and 207 s without). Add the flag to the java command, before "
            + "-jar or the main class: java --add-modules jdk.incubator.vector -jar attentive.jar ...; for every "
            + "java launch of a shell or service: export JDK_JAVA_OPTIONS=\"--add-modules jdk.incubator.vector\"; "
            + "Maven Surefire/Failsafe: <argLine>--add-modules jdk.incubator.vector</argLine>; exec:exec: in the java "
            + "arguments; exec:java (runs inside Maven's JVM): MAVEN_OPTS or .mvn/jvm.config. To run on the scalar "
            + "loops on purpose and silence this warning, set -D" + PROPERTY + "=false.";

    /** The warning when the Java runtime has no such module at all (a jlink image without it). */
    static final String ABSENT_MODULE_WARNING = "Attentive runs its kernels without the Vector API: this Java "
            + "runtime has no jdk.incubator.vector module (a jlink image built without it?), so dot products, "
            + "matrix products and softmax fall back to scalar loops and two-tower training takes about 5 times as "
            + "long. "
            + "Run on a full JDK 21+ with --add-modules jdk.incubator.vector, or add the module to the image "
            + "(jlink --add-modules jdk.incubator.vector,...). To run on the scalar loops on purpose and silence this "
            + "warning, set -D" + PROPERTY + "=false.";

    /** Read once: the JIT folds it, so the dispatch costs nothing in hot loops. */
    static final boolean ENABLED;

    static {
        boolean inBootLayer = ModuleLayer.boot().findModule(MODULE).isPresent();
        boolean switchedOff = "false".equals(System.getProperty(PROPERTY));
        ENABLED = inBootLayer && !switchedOff;
        if (!inBootLayer && !switchedOff) {
            // Once per class loader, at the first kernel call: loud, because the cost is an order of
            // magnitude and nothing else would tell the user.
            System.getLogger(VectorSupport.class.getName()).log(System.Logger.Level.WARNING,
                    ModuleFinder.ofSystem().find(MODULE).isPresent() ? MISSING_MODULE_WARNING : ABSENT_MODULE_WARNING);
        }
    }

    private VectorSupport() {
    }

    /**
     * Whether the kernels run on the Vector API in this JVM.
     *
     * @return true when {@code jdk.incubator.vector} is in the boot layer and {@value #PROPERTY} is not
     *     {@code false}
     * @since 0.2.0
     */
    public static boolean enabled() {
        return ENABLED;
    }
}
