/**
 * The {@code opensearch} retriever: item embeddings in an OpenSearch k-NN index on a cluster that runs
 * as separate processes (never inside the host's JVM), with filters applied inside the kNN query,
 * exclusions, atomic catalogue replacement and updates visible when the writing call returns.
 */
module dev.attentive.index.opensearch {
    requires transitive dev.attentive.api;
    requires opensearch.java;
    requires org.apache.httpcomponents.core5.httpcore5;
    requires org.apache.httpcomponents.client5.httpclient5;
    requires jakarta.json;

    exports dev.attentive.index.opensearch;

    provides dev.attentive.api.spi.RetrieverProvider
            with dev.attentive.index.opensearch.OpenSearchRetrieverProvider;
}
