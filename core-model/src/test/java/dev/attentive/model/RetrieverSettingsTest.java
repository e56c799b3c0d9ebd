package dev.attentive.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.attentive.api.Recommender;
import dev.attentive.api.spi.ConfigException;
import dev.attentive.api.spi.EpochStats;
import dev.attentive.api.spi.ProviderRegistry;
import dev.attentive.api.spi.TrainingContext;
import dev.attentive.model.serve.TwoTowerModelTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The retriever's settings travel through the two-tower config (in brackets or prefixed
 * {@code retriever.}), reach the retriever, are saved and loaded with the model; and every plugin
 * name and setting is checked before training starts, all problems in one message.
 */
class RetrieverSettingsTest {
    private static final Map<String, String> TINY = Map.of("dim", "8", "userWidths", "16", "itemWidths", "16",
            "batch", "64", "epochs", "1", "historyLength", "5", "attention", "mean");

    private final TwoTowerModelProvider provider = new TwoTowerModelProvider();

    private static Map<String, String> tiny(String... more) {
        Map<String, String> settings = new LinkedHashMap<>(TINY);
        for (int i = 0; i < more.length; i += 2) {
            settings.put(more[i], more[i + 1]);
        }
        return settings;
    }

    @Test
    void theBracketFormAndPrefixedSettingsFoldIntoRetrieverSettings() {
        TwoTowerModelProvider.Config both = provider.configure(Map.of("retriever", "lucene-hnsw[fanout=50,maxConn=32]",
                "retriever.beamWidth", "200"));
        assertThat(both.retriever()).isEqualTo("lucene-hnsw");
        assertThat(both.retrieverSettings()).isEqualTo("fanout=50;maxConn=32;beamWidth=200");
        TwoTowerModelProvider.Config prefixed = provider.configure(Map.of("retriever", "lucene-hnsw",
                "retriever.fanout", "50"));
        assertThat(prefixed.retrieverSettings()).isEqualTo("fanout=50");
        assertThat(provider.configure(Map.of("retriever", "exact[]")).retriever()).isEqualTo("exact");
        assertThat(provider.defaultConfig().retrieverSettings()).isEmpty();
        assertThat(provider.configBuilder().set("retriever", "lucene-hnsw[fanout=50;maxConn=32]").build()
                .retrieverSettings()).isEqualTo("fanout=50;maxConn=32");
    }

    @Test
    void aMalformedRetrieverOrARepeatedSettingIsNamed() {
        assertThatThrownBy(() -> provider.configure(Map.of("retriever", "lucene-hnsw[fanout=50")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid config for two-tower: retriever 'lucene-hnsw[fanout=50' must be a name, or a name "
                        + "with its settings in brackets such as lucene-hnsw[fanout=50,maxConn=32]");
        assertThatThrownBy(() -> provider.configure(Map.of("retriever", "lucene-hnsw[fanout=50]",
                "retriever.fanout", "60")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid config for two-tower: retrieverSettings: key 'fanout' is given twice");
    }

    @Test
    void theSettingsReachTheRetrieverAndAreSavedAndLoaded(@TempDir Path tmp) throws IOException {
        Map<String, String> settings = tiny("retriever", "test-recording[fanout=50]", "retriever.tag", "saved");
        try (Recommender model = provider.train(TwoTowerModelTest.planted(1), settings, TrainingContext.of(1))) {
            // Each epoch's validation snapshot and the trained model: one retriever each, all with the settings.
            assertThat(RecordingRetrieverProvider.tagged("saved")).hasSize(2)
                    .extracting(RecordingRetrieverProvider.Created::config)
                    .containsOnly(new RecordingRetrieverProvider.Config(50, "saved"));
            TwoTowerModels.save(model, tmp.resolve("m"));
        }
        String manifest = Files.readString(tmp.resolve("m/model.json"), StandardCharsets.UTF_8);
        assertThat(manifest).contains("\"retriever\" : \"test-recording\"")
                .contains("\"retrieverSettings\" : \"fanout=50;tag=saved\"");
        try (Recommender loaded = TwoTowerModels.load(tmp.resolve("m"))) {
            assertThat(loaded.catalogue().size()).isEqualTo(30);
            assertThat(RecordingRetrieverProvider.tagged("saved")).hasSize(3).last()
                    .extracting(RecordingRetrieverProvider.Created::config)
                    .isEqualTo(new RecordingRetrieverProvider.Config(50, "saved"));
        }
    }

    @Test
    void everyUnknownPluginIsReportedTogetherBeforeTraining() {
        List<EpochStats> epochs = new ArrayList<>();
        assertThatThrownBy(() -> provider.train(TwoTowerModelTest.planted(2), tiny("retriever", "nope", "attention",
                "alsonope"), new TrainingContext(2, 1, r -> Double.NaN, epochs::add)))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).satisfiesExactly(
                        p -> assertThat(p).startsWith("attention: No attention named 'alsonope'. Available: "),
                        p -> assertThat(p).startsWith("retriever: No retriever named 'nope'. Available: ")
                                .contains("exact", "test-recording")))
                .hasMessageStartingWith("Invalid config for two-tower: attention: No attention named 'alsonope'");
        assertThat(epochs).as("no epoch ran").isEmpty();
    }

    @Test
    void pluginSettingsAreCheckedBeforeTrainingToo() {
        List<EpochStats> epochs = new ArrayList<>();
        assertThatThrownBy(() -> provider.train(TwoTowerModelTest.planted(2), tiny("retriever.fanot", "5",
                "attention.heads", "2", "historyAttention", "mean", "historyAttention.x", "1", "activation", "gelu",
                "tower", "nosuchtower"), new TrainingContext(2, 1, r -> Double.NaN, epochs::add)))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).satisfiesExactly(
                        p -> assertThat(p).startsWith("attentionSettings: Invalid config for mean: unknown setting 'heads'"),
                        p -> assertThat(p).startsWith("historyAttentionSettings: Invalid config for mean: unknown "
                                + "setting 'x'"),
                        p -> assertThat(p).startsWith("tower: No tower named 'nosuchtower'"),
                        p -> assertThat(p).isEqualTo("retrieverSettings: Invalid config for exact: unknown setting "
                                + "'fanot' (valid: )")));
        assertThat(epochs).isEmpty();
    }

    @Test
    void theTwoStageModelChecksItsRankerAndItsRetrievalsPluginsBeforeTraining() {
        List<EpochStats> epochs = new ArrayList<>();
        assertThatThrownBy(() -> ProviderRegistry.models().get("two-stage").train(TwoTowerModelTest.planted(3),
                Map.of("ranker", "nope", "retrieval.retriever", "alsonope", "retrieval.attention.heads", "2",
                        "retrieval.attention", "mean"),
                new TrainingContext(3, 1, r -> Double.NaN, epochs::add)))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).satisfiesExactly(
                        p -> assertThat(p).startsWith("ranker: No ranker named 'nope'. Available: "),
                        p -> assertThat(p).startsWith("retrieval.attentionSettings: Invalid config for mean: "),
                        p -> assertThat(p).startsWith("retrieval.retriever: No retriever named 'alsonope'")))
                .hasMessageStartingWith("Invalid config for two-stage: ");
        assertThatThrownBy(() -> ProviderRegistry.models().get("two-stage").train(TwoTowerModelTest.planted(3),
                Map.of("ranker", "test-linear", "retrieval.retriever", "test-recording", "retrieval.retriever.path",
                        "/tmp/x"), new TrainingContext(3, 1, r -> Double.NaN, epochs::add)))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).satisfiesExactly(
                        p -> assertThat(p).startsWith("retrieval.retrieverSettings: Invalid config for test-recording: "
                                + "unknown setting 'path'"),
                        p -> assertThat(p).isEqualTo("retrieval.retriever.path: training keeps no index on disk (each "
                                + "epoch's validation serves a model of its own); leave it out and keep the served index in "
                                + "a directory with TwoTowerModels.serve(model, serving), or with 'indexDirectory' in an "
                                + "Attentive config")));
        assertThat(epochs).isEmpty();
    }
}
