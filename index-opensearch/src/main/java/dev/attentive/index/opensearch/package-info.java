/**
 * The {@code opensearch} retriever plugin ({@link dev.attentive.index.opensearch.OpenSearchRetrieverProvider}):
 * the {@link dev.attentive.api.Retriever} contract over an OpenSearch cluster. Everything else here is
 * package-private implementation behind the {@code OpenSearchRetriever} facade.
 */
package dev.attentive.index.opensearch;
