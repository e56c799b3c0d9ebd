package dev.attentive.guice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.ProvisionException;
import dev.attentive.api.Dataset;
import dev.attentive.api.FeatureSchema;
import dev.attentive.api.FeatureTable;
import dev.attentive.api.Features;
import dev.attentive.api.Interaction;
import dev.attentive.api.ItemId;
import dev.attentive.api.RecommendationRequest;
import dev.attentive.api.Recommender;
import dev.attentive.api.UserId;
import dev.attentive.api.spi.ProviderRegistry;
import dev.attentive.api.spi.TrainingContext;
import dev.attentive.model.TwoTowerModels;
import dev.attentive.runtime.ServingRecommender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Guice module binds a recommender loaded from a saved model directory. */
class AttentiveModuleTest {

    /** Saves a small two-tower model (ten users, each with three of ten items) into {@code dir}. */
    private static Path savedModel(Path dir) throws IOException {
        List<Interaction> interactions = new ArrayList<>();
        Map<ItemId, Features> items = new LinkedHashMap<>();
        for (int i = 0; i < 10; i++) {
            items.put(ItemId.of("i" + i), Features.NONE);
        }
        for (int u = 0; u < 10; u++) {
            for (int k = 0; k < 3; k++) {
                interactions.add(new Interaction(UserId.of("u" + u), ItemId.of("i" + (u + k) % 10), 100L * k + u, 1f));
            }
        }
        Dataset data = new Dataset("tiny", interactions, new FeatureTable<>(FeatureSchema.of(), Map.of()),
                new FeatureTable<>(FeatureSchema.of(), items));
        try (Recommender r = ProviderRegistry.models().get("two-tower").train(data, Map.of("dim", "4",
                "userWidths", "4", "itemWidths", "4", "batch", "8", "epochs", "1", "historyLength", "2"),
                new TrainingContext(1, 1, x -> Double.NaN, s -> { }))) {
            Path model = dir.resolve("model");
            TwoTowerModels.save(r, model);
            return model;
        }
    }

    @Test
    void injectsTheSavedModelAsASingleton(@TempDir Path tmp) throws IOException {
        Path dir = savedModel(tmp);
        Injector injector = Guice.createInjector(new AttentiveModule(dir));
        try (Recommender r = injector.getInstance(Recommender.class)) {
            assertThat(injector.getInstance(Recommender.class)).isSameAs(r);
            assertThat(r.recommend(RecommendationRequest.forUser(UserId.of("u0")).k(5).build())).hasSize(5);
        }
    }

    @Test
    void aMissingModelFailsTheInjectionWithTheReason(@TempDir Path empty) {
        Injector injector = Guice.createInjector(new AttentiveModule(empty));
        assertThatThrownBy(() -> injector.getInstance(Recommender.class)).isInstanceOf(ProvisionException.class)
                .hasMessageContaining("model.json: missing");
    }

    @Test
    void aConfigFileBindsOneServingRecommenderAsBothTypes(@TempDir Path tmp) throws IOException {
        Path config = tmp.resolve("attentive.yaml");
        Files.writeString(config, """
                data:
                  synthetic: {seed: 3, users: 40, items: 60, topics: 4, meanInteractionsPerUser: 6}
                model: two-tower[dim=4,userWidths=4,itemWidths=4,batch=32,epochs=1,historyLength=3]
                training: {seed: 1, threads: 1}
                """);
        Injector injector = Guice.createInjector(AttentiveModule.fromConfig(config));
        try (Recommender r = injector.getInstance(Recommender.class)) {
            assertThat(r).isSameAs(injector.getInstance(ServingRecommender.class)).isInstanceOf(ServingRecommender.class);
            assertThat(r.recommend(RecommendationRequest.forUser(UserId.of("u0")).k(5).build())).hasSize(5);
        }
    }

    @Test
    void anInvalidConfigFailsTheInjectionWithEveryProblem(@TempDir Path tmp) throws IOException {
        Path config = tmp.resolve("attentive.yaml");
        Files.writeString(config, "data: {synthetic: {}}\nmodel: two-tower[dimm=4]\ntraning: {}\n");
        Injector injector = Guice.createInjector(AttentiveModule.fromConfig(config));
        assertThatThrownBy(() -> injector.getInstance(Recommender.class)).isInstanceOf(ProvisionException.class)
                .hasMessageContaining("Invalid Attentive config in " + config + ": line 3, column 1: unknown key "
                        + "'traning'; the keys at the top level are data, model, retriever, indexDirectory, training; "
                        + "'model.settings' of two-tower: unknown setting 'dimm'");
    }
}
