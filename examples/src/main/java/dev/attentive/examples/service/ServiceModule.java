package dev.attentive.examples.service;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.attentive.api.Recommender;
import dev.attentive.guice.AttentiveModule;
import dev.attentive.runtime.ServingRecommender;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * Wires the service from an Attentive config file: installs {@link AttentiveModule#fromConfig}, which
 * binds the config's {@link ServingRecommender} (also as {@link Recommender}), binds the
 * {@link ModelSwap} of {@code POST /model} to its {@link ServingRecommender#swap(java.nio.file.Path)},
 * and the {@link RecommendationService}; all singletons, created on first injection. The host closes
 * the service, then the recommender.
 *
 * <pre>{@code
 * Injector injector = Guice.createInjector(new ServiceModule(ServiceConfig.of(Path.of("attentive.yaml"))));
 * RecommendationService service = injector.getInstance(RecommendationService.class);
 * InetSocketAddress address = service.start();
 * }</pre>
 */
// "exports": Guice is an automatic module, so AbstractModule cannot be re-exported (see AttentiveModule).
@SuppressWarnings("exports")
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

    @Override
    protected void configure() {
        bind(ServiceConfig.class).toInstance(config);
        install(AttentiveModule.fromConfig(config.attentiveConfig()));
    }

    @Provides
    @Singleton
    ModelSwap swap(ServingRecommender serving) {
        return dir -> {
            try {
                serving.swap(dir);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        };
    }

    @Provides
    @Singleton
    RecommendationService service(Recommender recommender, ModelSwap swap) {
        return new RecommendationService(recommender, swap, config);
    }
}
