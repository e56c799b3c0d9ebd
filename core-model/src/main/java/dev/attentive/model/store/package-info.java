/**
 * Internal (not exported): persistence of trained models, one class per file of the saved
 * directory (manifest, weights, feature vocabularies, entities; for a two-stage model also the
 * ranker's slots and catalogue) and one for the atomic, checksummed directory itself, coordinated by
 * {@link dev.attentive.model.store.ModelStore} for a two-tower model and by
 * {@link dev.attentive.model.store.TwoStageStore} for a two-stage pipeline, which nests a two-tower
 * directory ({@code retrieval/}) beside its own files:
 * <pre>
 * model.json       manifest: format attentive-two-stage, provenance, full config, ranker settings and shape, checksums
 * weights.bin      ranker/&lt;parameter&gt; tensors and itemRegression.weights [items, items]
 * slots.json       the ranker's feature-value slots: fields, slot counts, bucket edges, vocabulary
 * catalogue.json   items in the ranker's order, the user feature table, each known user's items
 * retrieval/       the served two-tower model: model.json, weights.bin, features.json, entities.json
 * </pre>
 * The formats are documented in {@code core-model/MODEL-FORMAT.md}.
 */
package dev.attentive.model.store;
