package dev.attentive.model;

import dev.attentive.api.Retriever;
import dev.attentive.api.spi.RetrieverProvider;
import dev.attentive.api.spi.RetrieverSpec;
import dev.attentive.model.serve.ExactRetriever;

/**
 * The {@code exact} retriever: brute-force top-k over a contiguous in-memory matrix of item
 * vectors, filters and exclusions applied while scanning. Exact by construction; the right choice
 * for catalogues up to some hundred thousand items.
 */
public final class ExactRetrieverProvider implements RetrieverProvider<ExactRetrieverProvider.Config> {
    /** The provider name. */
    public static final String NAME = "exact";

    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public ExactRetrieverProvider() {
    }

    /** The exact retriever has no settings. */
    public record Config() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Config defaultConfig() {
        return new Config();
    }

    @Override
    public Retriever create(Config config, RetrieverSpec spec) {
        return new ExactRetriever(spec.dimension());
    }
}
