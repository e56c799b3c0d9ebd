/**
 * Internal (not exported): serving a trained model. The recommender embeds the catalogue into the
 * configured retriever (or reopens a persistent index built for its item tower) and answers requests;
 * the explainer splits their scores over the towers' fields; its living catalogue puts and removes items while serving; the {@code exact}
 * retriever scans every item.
 */
package dev.attentive.model.serve;
