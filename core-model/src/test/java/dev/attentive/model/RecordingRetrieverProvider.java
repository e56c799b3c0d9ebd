package dev.attentive.model;

import dev.attentive.api.Retriever;
import dev.attentive.api.spi.RetrieverProvider;
import dev.attentive.api.spi.RetrieverSpec;
import dev.attentive.model.serve.ExactRetriever;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A test-only retriever ({@code test-recording}): the exact retriever, created with two settings that
 * change nothing but are recorded with the spec of every retriever it creates, so that a test can see
 * which settings and fingerprint reached the retriever. Tests tell their retrievers apart by
 * {@code tag}.
 */
public final class RecordingRetrieverProvider implements RetrieverProvider<RecordingRetrieverProvider.Config> {
    /** The name. */
    public static final String NAME = "test-recording";

    /** Every retriever created, oldest first. */
    public static final List<Created> CREATED = new CopyOnWriteArrayList<>();

    /**
     * The settings.
     *
     * @param fanout any number, recorded (default 25)
     * @param tag any text, recorded (default empty)
     */
    public record Config(int fanout, String tag) {
    }

    /**
     * One retriever created.
     *
     * @param config its settings
     * @param spec its spec
     */
    public record Created(Config config, RetrieverSpec spec) {
    }

    /** For ServiceLoader. */
    public RecordingRetrieverProvider() {
    }

    /**
     * The retrievers created with a tag.
     *
     * @param tag the tag
     * @return them, oldest first
     */
    public static List<Created> tagged(String tag) {
        return CREATED.stream().filter(c -> c.config().tag().equals(tag)).toList();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Config defaultConfig() {
        return new Config(25, "");
    }

    @Override
    public Retriever create(Config config, RetrieverSpec spec) {
        CREATED.add(new Created(config, spec));
        return new ExactRetriever(spec.dimension());
    }
}
