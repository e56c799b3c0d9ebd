package dev.attentive.api;

/**
 * How a retriever compares a query vector with item vectors. Higher scores are closer.
 *
 * @since 0.1.0
 */
public enum Similarity {
    /** The dot product of unit vectors (cosine); the two-tower model's embeddings are unit vectors. */
    DOT_PRODUCT,
    /** The dot product of vectors of any length (maximum inner product search). */
    MAXIMUM_INNER_PRODUCT
}
