package dev.attentive.model.serve;

import dev.attentive.api.Features;
import dev.attentive.api.spi.ProviderRegistry;
import dev.attentive.api.spi.TrainingContext;
import java.util.Map;

/** A small two-tower model on the planted data and items of its catalogue's shape, for the serving tests. */
final class ServeFixtures {
    private ServeFixtures() {
    }

    /** Trains a small two-tower model (mean pooling, 16 dimensions) on {@link TwoTowerModelTest#planted}. */
    static TwoTowerRecommender train(long seed, int epochs) {
        Map<String, String> settings = Map.of("dim", "16", "userWidths", "32", "itemWidths", "32", "batch", "32",
                "epochs", Integer.toString(epochs), "lr", "0.01", "historyLength", "5", "temperature", "0.1",
                "historyAttention", "mean", "attention", "mean");
        return (TwoTowerRecommender) ProviderRegistry.models().get("two-tower").train(TwoTowerModelTest.planted(seed),
                settings, TrainingContext.of(seed));
    }

    /** An item of the planted catalogue's schema. */
    static Features item(String kind, double year) {
        return Features.builder().categorical("kind", kind).numeric("year", year).build();
    }
}
