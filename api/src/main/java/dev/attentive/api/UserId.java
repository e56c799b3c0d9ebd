package dev.attentive.api;

import java.util.Objects;

/**
 * The identifier of a user, as the host application spells it.
 *
 * @param value the non-blank id
 * @since 0.1.0
 */
public record UserId(String value) implements Comparable<UserId> {
    /** Validates the id. */
    public UserId {
        Objects.requireNonNull(value, "user id");
        if (value.isBlank()) {
            throw new IllegalArgumentException("A user id must not be blank");
        }
    }

    /**
     * Creates a user id.
     *
     * @param value the non-blank id
     * @return the id
     */
    public static UserId of(String value) {
        return new UserId(value);
    }

    @Override
    public int compareTo(UserId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
