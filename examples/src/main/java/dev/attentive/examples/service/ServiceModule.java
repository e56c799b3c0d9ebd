package dev.attentive.examples.service;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.attentive.api.Recommender;
import dev.attentive.model.TwoTowerModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Wires the service from its config: binds {@link ServiceConfig}, the served {@link Recommender}
 * (the config's saved model, swappable), the {@link ModelSwap} that replaces its model, and the
 * {@link RecommendationService}, all singletons. The host closes the service, then the recommender.
 *
 * <pre>{@code
 * Injector injector = Guice.createInjector(ServiceModule.fromFile(Path.of("service.json")));
 * RecommendationService service = injector.getInstance(RecommendationService.class);
 * InetSocketAddress address = service.start();
 * }</pre>
 */
public final class ServiceModule extends AbstractModule {
    private final ServiceConfig config;

    /**
     * A module for a config.
     *
     * @param config the config, not null
     */
    public ServiceModule(ServiceConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * A module for the config in a file.
     *
     * @param file the config file ({@link ServiceConfig#read})
     * @return the module
     * @throws IllegalArgumentException when the config is missing or invalid, saying why
     * @throws IOException when the file cannot be read
     */
    public static ServiceModule fromFile(Path file) throws IOException {
        return new ServiceModule(ServiceConfig.read(file));
    }

    @Override
    protected void configure() {
        bind(ServiceConfig.class).toInstance(config);
        bind(Recommender.class).to(SwappableRecommender.class);
        bind(ModelSwap.class).to(SwappableRecommender.class);
    }

    @Provides
    @Singleton
    SwappableRecommender recommender() {
        try {
            return new SwappableRecommender(TwoTowerModels.load(config.model()));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot load the model the service config names: " + e.getMessage(), e);
        }
    }

    @Provides
    @Singleton
    RecommendationService service(Recommender recommender, ModelSwap swap) {
        return new RecommendationService(recommender, swap, config);
    }
}
