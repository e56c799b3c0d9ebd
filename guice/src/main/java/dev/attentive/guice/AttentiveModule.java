package dev.attentive.guice;

import com.google.inject.AbstractModule;
import com.google.inject.Provider;
import com.google.inject.Singleton;
import dev.attentive.api.Recommender;
import dev.attentive.model.TwoTowerModels;
import dev.attentive.runtime.Attentive;
import dev.attentive.runtime.ServingRecommender;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Binds {@link Recommender} as a singleton created on first injection, in one of two ways:
 * <ul>
 *   <li>{@link #AttentiveModule(Path) new AttentiveModule(modelDir)}: the model (two-tower or two-stage)
 *       saved in a directory (see {@link TwoTowerModels#save});</li>
 *   <li>{@link #fromConfig(Path) AttentiveModule.fromConfig(configFile)}: the
 *       {@link ServingRecommender} that an Attentive config file describes (see
 *       {@link Attentive#fromConfig}), bound as both {@code Recommender} and
 *       {@code ServingRecommender} (one instance), so the application can also reach its catalogue and
 *       swap models.</li>
 * </ul>
 * The host application closes the recommender when it shuts down. It ships in its own artifact,
 * {@code dev.attentive:attentive-guice}, so that hosts without Guice never load it.
 *
 * <pre>{@code
 * Injector injector = Guice.createInjector(AttentiveModule.fromConfig(Path.of("attentive.yaml")));
 * Recommender recommender = injector.getInstance(Recommender.class);
 * }</pre>
 */
// "exports": Guice is an automatic module, so it cannot be re-exported with requires transitive
// without another warning; applications using this module require Guice themselves.
@SuppressWarnings("exports")
public final class AttentiveModule extends AbstractModule {
    private final Path modelDir;
    private final Path configFile;

    /**
     * Creates the module that binds a saved model.
     *
     * @param modelDir the directory a model was saved to, not null; it is read when the recommender
     *     is first injected
     */
    public AttentiveModule(Path modelDir) {
        this(Objects.requireNonNull(modelDir, "modelDir"), null);
    }

    private AttentiveModule(Path modelDir, Path configFile) {
        this.modelDir = modelDir;
        this.configFile = configFile;
    }

    /**
     * Creates the module that binds the serving recommender an Attentive config file describes. The
     * file is read, validated and served (training, when it names training data and its index directory
     * holds no model yet) when the recommender is first injected; an invalid config fails that
     * injection with the {@link dev.attentive.runtime.AttentiveConfigException}'s message, which lists
     * every problem.
     *
     * @param configFile the JSON or YAML config file, not null
     * @return the module
     * @since 0.2.0
     */
    public static AttentiveModule fromConfig(Path configFile) {
        return new AttentiveModule(null, Objects.requireNonNull(configFile, "configFile"));
    }

    @Override
    protected void configure() {
        if (configFile != null) {
            bind(ServingRecommender.class).toProvider(new Serving(configFile)).in(Singleton.class);
            bind(Recommender.class).to(ServingRecommender.class);
        } else {
            bind(Recommender.class).toProvider(new Loader(modelDir)).in(Singleton.class);
        }
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

    /** Builds the serving recommender of a config file. */
    private record Serving(Path configFile) implements Provider<ServingRecommender> {
        @Override
        public ServingRecommender get() {
            return Attentive.fromConfig(configFile).build();
        }
    }
}
