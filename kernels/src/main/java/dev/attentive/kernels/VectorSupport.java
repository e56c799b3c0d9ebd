package dev.attentive.kernels;

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
 * any Java 21+ runtime. Thread safe (immutable).
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

    /** Read once: the JIT folds it, so the dispatch costs nothing in hot loops. */
    static final boolean ENABLED = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && !"false".equals(System.getProperty(PROPERTY));

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
