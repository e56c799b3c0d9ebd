package dev.attentive.eval.data;

import java.nio.file.Path;

/**
 * A data file does not have the expected format. The message names the file, the line (from 1),
 * the field and what was expected, so that the user can fix the file.
 */
public final class DataFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** The file, as a string (paths are not serializable). */
    private final String file;
    /** The line number from 1, or 0 when the problem is not tied to a line. */
    private final long line;
    /** The field, or an empty string. */
    private final String field;

    /**
     * Creates the exception.
     *
     * @param file the file
     * @param line the line number from 1, or 0 when the problem concerns the whole file
     * @param field the field name (or column), possibly empty
     * @param problem what was found and what was expected
     */
    public DataFormatException(Path file, long line, String field, String problem) {
        super(file + (line > 0 ? ":" + line : "") + (field.isEmpty() ? "" : " field '" + field + "'") + ": " + problem);
        this.file = String.valueOf(file);
        this.line = line;
        this.field = field;
    }

    /**
     * The file.
     *
     * @return the file path as given to the loader
     */
    public String file() {
        return file;
    }

    /**
     * The line number.
     *
     * @return the line from 1, or 0
     */
    public long line() {
        return line;
    }

    /**
     * The field.
     *
     * @return the field name, possibly empty
     */
    public String field() {
        return field;
    }
}
