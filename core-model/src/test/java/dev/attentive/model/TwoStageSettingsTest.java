package dev.attentive.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.attentive.api.Dataset;
import dev.attentive.api.FeatureTable;
import dev.attentive.api.Interaction;
import dev.attentive.api.ItemId;
import dev.attentive.api.UserId;
import dev.attentive.api.spi.ConfigException;
import dev.attentive.api.spi.ProviderRegistry;
import dev.attentive.api.spi.TrainingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ranker-training settings of {@code two-stage}: defaults, errors reported together, and itemInit's checks. */
class TwoStageSettingsTest {
    private final TwoStageModelProvider provider = new TwoStageModelProvider();

    @Test
    void theDefaultsTrainAsBefore() {
        TwoStageModelProvider.Config c = provider.defaultConfig();
        assertThat(c.listsPerUser()).isEqualTo(1);
        assertThat(c.checksPerEpoch()).isEqualTo(1);
        assertThat(c.deepLrScale()).isEqualTo(1.0);
        assertThat(c.wideFreeze()).isZero();
        assertThat(c.itemInit()).isEqualTo(TwoStageModelProvider.ItemInit.RANDOM);
        assertThat(c.embeddingLrScale()).isEqualTo(1.0);
        assertThat(provider.configure(Map.of("itemInit", "retrieval", "listsPerUser", "4")).itemInit())
                .isEqualTo(TwoStageModelProvider.ItemInit.RETRIEVAL);
    }

    @Test
    void everyBadRankerTrainingSettingIsReportedAtOnce() {
        assertThatThrownBy(() -> provider.configure(Map.of("listsPerUser", "0", "checksPerEpoch", "101",
                "deepLrScale", "0", "wideFreeze", "-1", "embeddingLrScale", "-0.5")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("listsPerUser must be between 1 and 100, got 0")
                .hasMessageContaining("checksPerEpoch must be between 1 and 100, got 101")
                .hasMessageContaining("deepLrScale must be positive, got 0.0")
                .hasMessageContaining("wideFreeze must be at least 0 epochs, got -1")
                .hasMessageContaining("embeddingLrScale must be 0 (frozen embeddings) or positive, got -0.5");
    }

    @Test
    void anUnknownItemInitIsRejected() {
        assertThatThrownBy(() -> provider.configure(Map.of("itemInit", "pretrained")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("itemInit");
    }

    @Test
    void itemInitFromTheRetrievalNeedsARankerWithItemEmbeddings() {
        List<Interaction> all = new ArrayList<>();
        for (int u = 0; u < 12; u++) {
            for (int k = 0; k < 6; k++) {
                all.add(new Interaction(UserId.of("u" + u), ItemId.of("i" + (u + 3 * k) % 20), 1000L * u + k, 1f));
            }
        }
        Dataset data = new Dataset("tiny", all, FeatureTable.empty(), FeatureTable.empty());
        assertThatThrownBy(() -> ProviderRegistry.models().get("two-stage").train(data,
                Map.of("ranker", "test-linear", "itemInit", "retrieval", "candidates", "5", "epochs", "1", "lambda", "10",
                        "retrieval.epochs", "1", "retrieval.dim", "8", "retrieval.batch", "16"),
                new TrainingContext(3, 1, r -> Double.NaN, s -> { })))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("two-stage: itemInit=retrieval needs a ranker with an item.embedding parameter; ranker "
                        + "test-linear has none: use itemInit=random");
    }
}
