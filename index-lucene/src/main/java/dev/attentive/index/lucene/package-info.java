/**
 * The {@code lucene-hnsw} retriever plugin ({@link dev.attentive.index.lucene.LuceneHnswRetrieverProvider}).
 * Everything else here is package-private implementation behind the {@code LuceneHnswRetriever} facade.
 */
package dev.attentive.index.lucene;
