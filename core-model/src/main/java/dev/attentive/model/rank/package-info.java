/**
 * The two-stage pipeline: candidate sources (the two-tower retrieval and a closed-form item-item
 * regression), a {@link dev.attentive.api.Ranker} plugin that re-scores their union, and the
 * leakage-free nested training of the ranker. {@link dev.attentive.model.rank.TwoStageState} is what
 * a model serves from, as the {@code store} package saves and loads it. Internal; used through the
 * {@code two-stage} model.
 */
package dev.attentive.model.rank;
