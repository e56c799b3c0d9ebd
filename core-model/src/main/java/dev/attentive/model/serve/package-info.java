/**
 * Internal (not exported): serving a trained model. The recommender embeds the catalogue into the
 * configured retriever and answers requests; the explainer splits their scores over the towers'
 * fields; the {@code exact} retriever scans every item.
 */
package dev.attentive.model.serve;
