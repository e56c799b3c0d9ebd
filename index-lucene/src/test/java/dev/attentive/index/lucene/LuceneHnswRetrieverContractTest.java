package dev.attentive.index.lucene;

import dev.attentive.api.Retriever;
import dev.attentive.api.spi.RetrieverSpec;
import dev.attentive.testkit.RetrieverContractTest;

/**
 * The contract kit on the graph path: {@code exactMaxDocs = 0} so that every search walks the HNSW
 * graph even on the kit's small catalogues (with the default, catalogues this small are scored
 * exactly and the kit would not exercise the graph).
 */
class LuceneHnswRetrieverContractTest extends RetrieverContractTest {
    @Override
    protected Retriever create(RetrieverSpec spec) {
        var c = LuceneHnswRetrieverProvider.Config.DEFAULT;
        var graphOnly = new LuceneHnswRetrieverProvider.Config(c.maxConn(), c.beamWidth(), c.fanout(), c.quantization(),
                c.oversample(), 0, c.filteredSearchThreshold(), c.exclusionFilterMaxOverfetch(), c.filterCacheSize(),
                "", c.ramBufferMb(), c.indexThreads(), c.mergeThreads(), c.forceMergeOnIndex(), c.bulkGraphBuild(), c.localityOrder(),
                c.refreshIntervalMs());
        return new LuceneHnswRetrieverProvider().create(graphOnly, spec);
    }

    /** HNSW is approximate: the kit's brute-force agreement is checked as recall. */
    @Override
    protected double minimumRecall() {
        return 0.95;
    }
}
