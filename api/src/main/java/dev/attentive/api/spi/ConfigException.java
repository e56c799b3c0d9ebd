package dev.attentive.api.spi;

import java.util.ArrayList;
import java.util.List;

/**
 * A config with one or more problems; the message lists them all, each with the setting and the fix.
 *
 * @since 0.1.0
 */
public final class ConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** The problems, each naming its setting. */
    private final transient List<String> problems; // exceptions are never serialized by Attentive

    /**
     * Creates the exception.
     *
     * @param component what was being configured, such as {@code "lucene-hnsw"}
     * @param problems the problems, at least one
     */
    public ConfigException(String component, List<String> problems) {
        super("Invalid config for " + component + ": " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /**
     * The individual problems.
     *
     * @return the problems, each naming its setting
     */
    public List<String> problems() {
        return problems;
    }

    /**
     * Collects problems so that a config's compact constructor reports all of them at once:
     * <pre>{@code
     * var p = new ConfigException.Problems("mlp");
     * p.check(dim > 0, "dim must be positive, got " + dim);
     * p.throwIfAny();
     * }</pre>
     * Not thread safe.
     *
     * @since 0.1.0
     */
    public static final class Problems {
        private final String component;
        private final List<String> problems = new ArrayList<>();

        /**
         * Creates an empty collector.
         *
         * @param component what is being configured
         */
        public Problems(String component) {
            this.component = component;
        }

        /**
         * Records a problem when the condition is false.
         *
         * @param ok the condition that must hold
         * @param problem the problem, naming the setting and what is expected
         * @return this collector
         */
        public Problems check(boolean ok, String problem) {
            if (!ok) {
                problems.add(problem);
            }
            return this;
        }

        /**
         * Records a problem.
         *
         * @param problem the problem
         * @return this collector
         */
        public Problems add(String problem) {
            problems.add(problem);
            return this;
        }

        /**
         * Throws when any problem was recorded.
         *
         * @throws ConfigException with every problem
         */
        public void throwIfAny() {
            if (!problems.isEmpty()) {
                throw new ConfigException(component, problems);
            }
        }
    }
}
