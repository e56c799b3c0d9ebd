/**
 * The {@code lucene-hnsw} retriever: item embeddings in an Apache Lucene HNSW index, with filters
 * applied during the search, exclusions, updates without rebuilding and on-disk persistence.
 */
module dev.attentive.index.lucene {
    requires transitive dev.attentive.api;
    requires dev.attentive.kernels;
    requires org.apache.lucene.core;

    exports dev.attentive.index.lucene;

    provides dev.attentive.api.spi.RetrieverProvider with dev.attentive.index.lucene.LuceneHnswRetrieverProvider;
}
