/**
 * Attention plugins ({@code attention-pooling}, {@code field-self-attention},
 * {@code history-attention}, {@code self-attention}, {@code field-gating}, {@code concat-mlp}) found through
 * {@link dev.attentive.api.spi.AttentionProvider}, and {@link dev.attentive.attention.AttentionExplanations},
 * which ranks a pass's weights for explanations. Implementation classes are package-private.
 */
package dev.attentive.attention;
