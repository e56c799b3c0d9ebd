package dev.attentive.api;

/**
 * The kind of value a feature field holds.
 *
 * @since 0.1.0
 */
public enum FeatureType {
    /** One value from a vocabulary, such as an occupation or a zip prefix. */
    CATEGORICAL,
    /** Any number of values from a vocabulary, such as a movie's genres or tags. */
    MULTI_CATEGORICAL,
    /** A real number, such as an age or a release year. */
    NUMERIC
}
