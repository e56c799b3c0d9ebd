package dev.attentive.attention;

/**
 * How a learned query scores a field vector {@code x} in {@code attention-pooling} and
 * {@code history-attention}.
 */
public enum AttentionScoring {
    /**
     * Scaled dot product {@code q · x / sqrt(dim)}, or {@code q · (K x) / sqrt(attentionDim)} with a
     * key projection {@code K}. The score is linear in {@code x}; cheapest.
     */
    DOT,
    /**
     * Additive (Bahdanau) scoring {@code v · tanh(W x + c)} with {@code attentionDim} hidden units:
     * non-linear in {@code x}, about {@code attentionDim} times the work of {@link #DOT} per field.
     */
    ADDITIVE
}
