package dev.attentive.runtime;

import java.util.List;

/**
 * A configuration that cannot be served: every problem found before any training started, each
 * naming where it is (the config file with line and column, or the builder method), the key or
 * setting, and how to fix it. The message is one line, fit for a command line to print as is.
 *
 * @since 0.2.0
 */
public final class AttentiveConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** The problems, in the order found. */
    private final transient List<String> problems; // exceptions are never serialized by Attentive

    /**
     * Creates the exception.
     *
     * @param source where the config came from: {@code "in <file>"} or {@code "from the builder"}
     * @param problems the problems, at least one
     */
    AttentiveConfigException(String source, List<String> problems) {
        super("Invalid Attentive config " + source + ": " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /**
     * The individual problems.
     *
     * @return the problems, each naming its key or setting and the fix
     */
    public List<String> problems() {
        return problems;
    }
}
