package dev.attentive.guice;

import com.google.inject.AbstractModule;
import com.google.inject.Provider;
import com.google.inject.Singleton;
import dev.attentive.api.Recommender;
import dev.attentive.model.TwoTowerModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Binds {@link Recommender} to the model (two-tower or two-stage) saved in a directory (see
 * {@link TwoTowerModels#save}), as a singleton loaded on first injection. The host application closes
 * it when it shuts down. It ships in its own artifact, {@code dev.attentive:attentive-guice}, so that
 * hosts without Guice never load it.
 *
 * <pre>{@code
 * Injector injector = Guice.createInjector(new AttentiveModule(Path.of("models/2026-11-28")));
 * Recommender recommender = injector.getInstance(Recommender.class);
 * }</pre>
 */
// "exports": Guice is an automatic module, so it cannot be re-exported with requires transitive
// without another warning; applications using this module require Guice themselves.
@SuppressWarnings("exports")
public final class AttentiveModule extends AbstractModule {
    private final Path modelDir;

    /**
     * Creates the module.
     *
     * @param modelDir the directory a model was saved to, not null; it is read when the recommender
     *     is first injected
     */
    public AttentiveModule(Path modelDir) {
        this.modelDir = Objects.requireNonNull(modelDir, "modelDir");
    }

    @Override
    protected void configure() {
        bind(Recommender.class).toProvider(new Loader(modelDir)).in(Singleton.class);
    }

    /** Loads the model; an unreadable model fails the injection with the loader's reason. */
    private record Loader(Path dir) implements Provider<Recommender> {
        @Override
        public Recommender get() {
            try {
                return TwoTowerModels.load(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot load the model bound by AttentiveModule: " + e.getMessage(), e);
            }
        }
    }
}
