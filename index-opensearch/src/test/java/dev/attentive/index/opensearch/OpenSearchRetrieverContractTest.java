package dev.attentive.index.opensearch;

import dev.attentive.api.Retriever;
import dev.attentive.api.spi.RetrieverSpec;
import dev.attentive.testkit.RetrieverContractTest;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The contract kit against the shared three-node cluster; each retriever gets its own alias, with no
 * replica (the kit checks the retriever, not replication).
 */
@ExtendWith(SharedOpenSearchCluster.class)
class OpenSearchRetrieverContractTest extends RetrieverContractTest {
    private static final AtomicInteger INDICES = new AtomicInteger();

    @Override
    protected Retriever create(RetrieverSpec spec) {
        return new OpenSearchRetrieverProvider().create(Map.of("endpoints", SharedOpenSearchCluster.endpoints(),
                "index", "contract-" + INDICES.incrementAndGet(), "replicas", "0"), spec);
    }

    /** HNSW is approximate: the kit's brute-force agreement is checked as recall, as for lucene-hnsw. */
    @Override
    protected double minimumRecall() {
        return 0.95;
    }
}
