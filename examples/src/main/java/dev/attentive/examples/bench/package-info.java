/**
 * The {@code attentive bench-index} benchmark: the {@code lucene-hnsw} retriever, through its public
 * provider API, against exact search and Lucene's own default query path on the same index.
 */
package dev.attentive.examples.bench;
