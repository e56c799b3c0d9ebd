package dev.attentive.index.lucene;

import dev.attentive.api.Retriever;
import dev.attentive.api.spi.RetrieverSpec;
import dev.attentive.testkit.RetrieverContractTest;
import java.util.Map;

/**
 * The contract kit on the graph path: {@code exactMaxDocs = 0} so that every search walks the HNSW
 * graph even on the kit's small catalogues (with the default, catalogues this small are scored
 * exactly and the kit would not exercise the graph).
 */
class LuceneHnswRetrieverContractTest extends RetrieverContractTest {
    @Override
    protected Retriever create(RetrieverSpec spec) {
        return new LuceneHnswRetrieverProvider().create(Map.of("exactMaxDocs", "0"), spec);
    }

    /** HNSW is approximate: the kit's brute-force agreement is checked as recall. */
    @Override
    protected double minimumRecall() {
        return 0.95;
    }
}
