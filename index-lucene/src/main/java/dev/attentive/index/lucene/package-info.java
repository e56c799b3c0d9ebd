/**
 * The {@code lucene-hnsw} retriever plugin ({@link dev.attentive.index.lucene.LuceneHnswRetrieverProvider})
 * and its benchmark ({@link dev.attentive.index.lucene.IndexBenchmark}). Everything else here is
 * package-private implementation.
 */
package dev.attentive.index.lucene;
