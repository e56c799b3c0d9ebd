package dev.attentive.api.spi;

import dev.attentive.api.Similarity;
import java.util.Objects;

/**
 * What a retriever is built for: the vectors' dimension and similarity, and the fingerprint of the
 * model that produced them (persistent retrievers refuse to reopen for another model).
 *
 * @param dimension the vector dimension, at least 1
 * @param similarity how vectors compare
 * @param modelFingerprint an opaque id of the model, or {@code ""} when there is none
 * @since 0.1.0
 */
public record RetrieverSpec(int dimension, Similarity similarity, String modelFingerprint) {
    /** Validates. */
    public RetrieverSpec {
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension must be at least 1, got " + dimension);
        }
        Objects.requireNonNull(similarity, "similarity");
        Objects.requireNonNull(modelFingerprint, "modelFingerprint");
    }

    /**
     * A spec for unit vectors without model fingerprint.
     *
     * @param dimension the dimension
     * @return the spec
     */
    public static RetrieverSpec of(int dimension) {
        return new RetrieverSpec(dimension, Similarity.DOT_PRODUCT, "");
    }
}
