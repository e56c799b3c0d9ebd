package dev.attentive.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A saved model that cannot be loaded: a file is missing, corrupt (checksum mismatch), truncated,
 * of an unknown or newer format version, or inconsistent with the model's config. The message names
 * the file and the reason. Immutable.
 */
public final class ModelFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The offending file; a Path is not serializable, so the exception keeps its string form. */
    private final String file;

    /**
     * Creates the exception.
     *
     * @param file the offending file, not null
     * @param reason what is wrong and how to fix it, not null
     */
    public ModelFormatException(Path file, String reason) {
        super(file + ": " + Objects.requireNonNull(reason, "reason"));
        this.file = file.toString();
    }

    /**
     * The offending file.
     *
     * @return its path
     */
    public Path file() {
        return Path.of(file);
    }
}
