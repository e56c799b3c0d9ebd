/**
 * Internal (not exported): serving a trained model. The recommender embeds the catalogue into the
 * configured retriever and answers requests and explanations; the {@code exact} retriever scans
 * every item.
 */
package dev.attentive.model.serve;
