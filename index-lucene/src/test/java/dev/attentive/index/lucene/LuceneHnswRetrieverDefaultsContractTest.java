package dev.attentive.index.lucene;

import dev.attentive.api.Retriever;
import dev.attentive.api.spi.RetrieverSpec;
import dev.attentive.testkit.RetrieverContractTest;

/**
 * The contract kit with the default config, where catalogues up to {@code exactMaxDocs} items are
 * scored exactly: results must then equal brute force.
 */
class LuceneHnswRetrieverDefaultsContractTest extends RetrieverContractTest {
    @Override
    protected Retriever create(RetrieverSpec spec) {
        return new LuceneHnswRetrieverProvider().create(LuceneHnswRetrieverProvider.Config.DEFAULT, spec);
    }
}
