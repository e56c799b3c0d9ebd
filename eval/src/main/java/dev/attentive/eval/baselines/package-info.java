/**
 * Baseline models as {@link dev.attentive.api.spi.ModelProvider}s: {@code random}, {@code pop},
 * {@code itemknn}, {@code ease}, {@code bpr} and the feature-aware {@code fm}.
 */
package dev.attentive.eval.baselines;
