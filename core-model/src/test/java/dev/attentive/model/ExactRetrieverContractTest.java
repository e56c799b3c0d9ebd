package dev.attentive.model;

import dev.attentive.api.Retriever;
import dev.attentive.api.spi.RetrieverSpec;
import dev.attentive.testkit.RetrieverContractTest;

class ExactRetrieverContractTest extends RetrieverContractTest {
    @Override
    protected Retriever create(RetrieverSpec spec) {
        return new ExactRetrieverProvider().create(new ExactRetrieverProvider.Config(), spec);
    }
}
