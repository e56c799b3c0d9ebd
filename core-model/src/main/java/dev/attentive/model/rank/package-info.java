/**
 * The two-stage pipeline: candidate sources (the two-tower retrieval and a closed-form item-item
 * regression), a {@link dev.attentive.api.Ranker} plugin that re-scores their union, and the
 * leakage-free nested training of the ranker. Internal; used through the {@code two-stage} model.
 */
package dev.attentive.model.rank;
