package dev.attentive.index.opensearch;

import dev.attentive.api.Retriever;
import dev.attentive.api.spi.RetrieverSpec;
import dev.attentive.testkit.RetrieverContractTest;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The contract kit against a real single-node cluster; each retriever gets its own alias. One replica
 * is left out (a one-node cluster cannot place it).
 */
@ExtendWith(SharedOpenSearchNode.class)
class OpenSearchRetrieverContractTest extends RetrieverContractTest {
    private static final AtomicInteger INDICES = new AtomicInteger();

    @Override
    protected Retriever create(RetrieverSpec spec) {
        return new OpenSearchRetrieverProvider().create(Map.of("endpoints", SharedOpenSearchNode.endpoints(),
                "index", "contract-" + INDICES.incrementAndGet(), "replicas", "0"), spec);
    }

    /** HNSW is approximate: the kit's brute-force agreement is checked as recall, as for lucene-hnsw. */
    @Override
    protected double minimumRecall() {
        return 0.95;
    }
}
