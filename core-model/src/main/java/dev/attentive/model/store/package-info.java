/**
 * Internal (not exported): persistence of trained models, one class per file of the saved
 * directory (manifest, weights, feature vocabularies, entities) and one for the atomic, checksummed
 * directory itself, coordinated by {@link dev.attentive.model.store.ModelStore}.
 */
package dev.attentive.model.store;
