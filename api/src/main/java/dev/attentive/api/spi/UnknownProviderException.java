package dev.attentive.api.spi;

import java.util.List;

/**
 * No provider of the asked kind has the asked name; the message lists those that do exist.
 *
 * @since 0.1.0
 */
public final class UnknownProviderException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** The name that was asked for. */
    private final String name;
    /** The names that are available. */
    private final transient List<String> available; // exceptions are never serialized by Attentive

    UnknownProviderException(String message, String name, List<String> available) {
        super(message);
        this.name = name;
        this.available = List.copyOf(available);
    }

    /**
     * The name that was asked for.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The names that are available, sorted.
     *
     * @return the names
     */
    public List<String> available() {
        return available;
    }
}
