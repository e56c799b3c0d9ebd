package dev.attentive.model.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.attentive.api.Features;
import dev.attentive.api.ItemFilter;
import dev.attentive.api.ItemId;
import dev.attentive.api.Recommendation;
import dev.attentive.api.RecommendationRequest;
import dev.attentive.api.Recommender;
import dev.attentive.api.UserId;
import dev.attentive.api.spi.ProviderRegistry;
import dev.attentive.api.spi.TrainingContext;
import dev.attentive.model.ConcatMlpProvider;
import dev.attentive.model.ModelFormatException;
import dev.attentive.model.TwoTowerModels;
import dev.attentive.model.serve.TwoTowerModelTest;
import dev.attentive.model.serve.TwoTowerRecommender;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Save/load round trips, the golden model, and refusal of damaged model directories. */
class TwoTowerPersistenceTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static Recommender trained;

    @TempDir
    Path tmp;

    @BeforeAll
    static void train() {
        Map<String, String> settings = new LinkedHashMap<>(GoldenModel.SETTINGS);
        settings.put("epochs", "3");
        settings.put("numericBuckets", "0"); // also round-trip a standardised numeric field
        trained = ProviderRegistry.models().get("two-tower").train(TwoTowerModelTest.planted(5), settings,
                new TrainingContext(5, 1, r -> Double.NaN, s -> { }));
    }

    private static List<RecommendationRequest> requests() {
        List<RecommendationRequest> out = new ArrayList<>(GoldenModel.requests());
        out.add(RecommendationRequest.forUser(UserId.of("u3")).k(30).excludeSeen(false).build());
        out.add(RecommendationRequest.forUser(UserId.of("u4")).k(4).filter(ItemFilter.equalTo("kind", "b")).build());
        out.add(RecommendationRequest.forUser(UserId.of("stranger"))
                .features(Features.builder().categorical("taste", "a").build()).k(6).build());
        return out;
    }

    @Test
    void aLoadedModelScoresExactlyAsTheSavedOne() throws IOException {
        Path dir = tmp.resolve("model");
        TwoTowerModels.save(trained, dir);
        assertThat(dir.resolve("model.json")).exists();
        assertThat(dir.resolve("weights.bin")).exists();
        try (Recommender loaded = TwoTowerModels.load(dir)) {
            for (RecommendationRequest request : requests()) {
                assertThat(loaded.recommend(request)).as("%s", request).isEqualTo(trained.recommend(request));
            }
            assertThat(loaded.similarItems(ItemId.of("i2"), 5, ItemFilter.all()))
                    .isEqualTo(trained.similarItems(ItemId.of("i2"), 5, ItemFilter.all()));
            // A loaded model saves again to the same weights, features and entities.
            Path again = tmp.resolve("again");
            TwoTowerModels.save(loaded, again);
            for (String f : List.of("weights.bin", "features.json", "entities.json")) {
                assertThat(Files.readAllBytes(again.resolve(f))).as(f).isEqualTo(Files.readAllBytes(dir.resolve(f)));
            }
        }
        JsonNode manifest = JSON.readTree(dir.resolve("model.json").toFile());
        assertThat(manifest.get("format").asString()).isEqualTo("attentive-two-tower");
        assertThat(manifest.get("formatVersion").asInt()).isEqualTo(1);
        assertThat(manifest.at("/provenance/dataFingerprint").asString()).hasSize(64);
        assertThat(manifest.at("/provenance/trainedAt").asString()).isNotEmpty();
        assertThat(manifest.at("/model/config/numericBuckets").asString()).isEqualTo("0");
        assertThat(manifest.at("/plugins/user.attention/name").asString()).isEqualTo(ConcatMlpProvider.NAME);
        assertThat(manifest.at("/plugins/user.tower/formatVersion").asInt()).isEqualTo(1);
        assertThat(manifest.at("/library/version").asString()).isNotEmpty();
        assertThat(manifest.at("/files/weights.bin/sha256").asString()).hasSize(64);
    }

    @Test
    void embeddingsAreTheUnitVectorsTheModelServes() throws IOException {
        TwoTowerModels.Embeddings e = TwoTowerModels.embeddings(trained);
        assertThat(e.itemVectors()).hasSize(e.items().size() * e.dim());
        assertThat(e.userVectors()).hasSize(e.users().size() * e.dim());
        for (int i = 0; i < e.items().size(); i++) {
            double norm = 0;
            for (int d = 0; d < e.dim(); d++) {
                norm += e.itemVectors()[i * e.dim() + d] * e.itemVectors()[i * e.dim() + d];
            }
            assertThat(norm).as("squared norm of item %s", e.items().get(i)).isCloseTo(1.0, within(1e-4));
        }
        // The most similar item by the exported vectors is the model's own first similar item.
        int a = e.items().indexOf(ItemId.of("i2"));
        int best = -1;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < e.items().size(); i++) {
            double dot = 0;
            for (int d = 0; d < e.dim(); d++) {
                dot += e.itemVectors()[a * e.dim() + d] * e.itemVectors()[i * e.dim() + d];
            }
            if (i != a && dot > bestScore) {
                bestScore = dot;
                best = i;
            }
        }
        assertThat(trained.similarItems(ItemId.of("i2"), 1, ItemFilter.all()).get(0).item()).isEqualTo(e.items().get(best));
        assertThatThrownBy(() -> TwoTowerModels.embeddings(null)).hasMessageContaining("needs a two-tower model");
    }

    @Test
    void theGoldenModelKeepsLoading() throws IOException, URISyntaxException {
        Path dir = Path.of(getClass().getResource("/golden/two-tower-v1/model.json").toURI()).getParent();
        JsonNode expected = JSON.readTree(dir.resolve("expected.json").toFile()).get("answers");
        List<RecommendationRequest> requests = GoldenModel.requests();
        try (Recommender golden = TwoTowerModels.load(dir)) {
            // Saved before retrieverSettings existed: the retriever gets its defaults.
            assertThat(((TwoTowerRecommender) golden).model.config.retrieverSettings()).isEmpty();
            // Saved before historyDropout existed: no dropout, as it was trained.
            assertThat(((TwoTowerRecommender) golden).model.config.historyDropout()).isZero();
            // Saved before logQWeight existed: the whole logQ correction, as it was trained.
            assertThat(((TwoTowerRecommender) golden).model.config.logQWeight()).isEqualTo(1.0);
            // Saved before softmax existed: the in-batch sampled softmax it was trained with.
            assertThat(((TwoTowerRecommender) golden).model.config.softmax())
                    .isEqualTo(dev.attentive.model.TwoTowerModelProvider.Softmax.SAMPLED);
            for (int q = 0; q < requests.size(); q++) {
                List<Recommendation> got = golden.recommend(requests.get(q));
                JsonNode want = expected.get(q);
                assertThat(got).hasSize(want.size());
                for (int i = 0; i < want.size(); i++) {
                    assertThat(got.get(i).item().value()).isEqualTo(want.get(i).get("item").asString());
                    assertThat(got.get(i).score()).isCloseTo(want.get(i).get("score").asDouble(), within(1e-5));
                }
            }
        }
    }

    @Test
    void aFlippedByteIsRefusedNamingTheFile() throws IOException {
        Path dir = tmp.resolve("flipped");
        TwoTowerModels.save(trained, dir);
        Path weights = dir.resolve("weights.bin");
        byte[] bytes = Files.readAllBytes(weights);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(weights, bytes);
        assertThatThrownBy(() -> TwoTowerModels.load(dir)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("weights.bin: checksum mismatch")
                .hasMessageContaining("corrupt or was modified");
    }

    @Test
    void truncatedFilesAreRefused() throws IOException {
        Path dir = tmp.resolve("truncated");
        TwoTowerModels.save(trained, dir);
        Path weights = dir.resolve("weights.bin");
        byte[] bytes = Files.readAllBytes(weights);
        Files.write(weights, java.util.Arrays.copyOf(bytes, bytes.length - 7));
        assertThatThrownBy(() -> TwoTowerModels.load(dir)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("weights.bin: truncated: " + (bytes.length - 7) + " bytes, expected " + bytes.length);
        Path manifest = dir.resolve("model.json");
        byte[] json = Files.readAllBytes(manifest);
        Files.write(manifest, java.util.Arrays.copyOf(json, json.length / 2));
        assertThatThrownBy(() -> TwoTowerModels.load(dir)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("model.json: is not valid JSON (truncated or corrupt)");
    }

    @Test
    void aWeightsFileEndingInsideATensorIsRefusedEvenWithAMatchingChecksum() throws IOException {
        Path dir = tmp.resolve("short");
        TwoTowerModels.save(trained, dir);
        byte[] bytes = Files.readAllBytes(dir.resolve("weights.bin"));
        rewrite(dir, "weights.bin", java.util.Arrays.copyOf(bytes, bytes.length - 8));
        assertThatThrownBy(() -> TwoTowerModels.load(dir)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("weights.bin: truncated: it ends inside a tensor");
    }

    @Test
    void aNewerFormatVersionIsRefused() throws IOException {
        Path dir = tmp.resolve("newer");
        TwoTowerModels.save(trained, dir);
        ObjectNode manifest = (ObjectNode) JSON.readTree(dir.resolve("model.json").toFile());
        manifest.put("formatVersion", 2);
        Files.write(dir.resolve("model.json"), JSON.writeValueAsBytes(manifest));
        assertThatThrownBy(() -> TwoTowerModels.load(dir)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("format version 2 is not supported")
                .hasMessageContaining("reads versions 1 to 1");
    }

    @Test
    void aFeatureOfTheWrongTypeIsRefusedWithTheFieldName() throws IOException {
        Path dir = tmp.resolve("types");
        TwoTowerModels.save(trained, dir);
        String entities = Files.readString(dir.resolve("entities.json"));
        String broken = entities.replaceFirst("\"taste\":\"a\"", "\"taste\":3");
        assertThat(broken).isNotEqualTo(entities);
        rewrite(dir, "entities.json", broken.getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> TwoTowerModels.load(dir)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("entities.json: user u0 field 'taste' must be CATEGORICAL per the schema");
    }

    @Test
    void aVocabularyThatDoesNotMatchTheWeightsIsRefusedWithTheTensorName() throws IOException {
        Path dir = tmp.resolve("vocab");
        TwoTowerModels.save(trained, dir);
        ObjectNode features = (ObjectNode) JSON.readTree(dir.resolve("features.json").toFile());
        ((tools.jackson.databind.node.ArrayNode) features.at("/user/encoders/1/vocabulary")).add("c");
        rewrite(dir, "features.json", JSON.writeValueAsBytes(features));
        assertThatThrownBy(() -> TwoTowerModels.load(dir)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("weights.bin: tensor user.field.taste has shape [3, 8], but the model its "
                        + "config and vocabularies build needs [4, 8]");
    }

    @Test
    void aDivergedModelIsNeverWritten() {
        Map<String, String> settings = new LinkedHashMap<>(GoldenModel.SETTINGS);
        settings.put("learnTemperature", "true");
        settings.put("temperature", "1e-45");
        Path dir = tmp.resolve("diverged");
        assertThatThrownBy(() -> {
            try (Recommender r = ProviderRegistry.models().get("two-tower").train(TwoTowerModelTest.planted(3), settings,
                    new TrainingContext(3, 1, x -> Double.NaN, s -> { }))) {
                TwoTowerModels.save(r, dir);
            }
        }).hasMessageContaining("Training diverged");
        assertThat(dir).doesNotExist();
    }

    @Test
    void aModelWithNonFiniteParametersIsNotWrittenAndTheDirectoryMustBeEmpty() throws IOException {
        try (Recommender copy = TwoTowerModels.load(saved("source"))) {
            ((TwoTowerRecommender) copy).model.logScale.values()[0] = Float.NaN;
            Path dir = tmp.resolve("nan");
            assertThatThrownBy(() -> TwoTowerModels.save(copy, dir)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Parameter temperature.logScale is not finite")
                    .hasMessageContaining("not written");
            assertThat(dir).doesNotExist();
            try (var siblings = Files.list(tmp)) {
                assertThat(siblings.map(p -> p.getFileName().toString())).containsExactly("source");
            }
        }
        assertThatThrownBy(() -> TwoTowerModels.save(trained, tmp.resolve("source")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("the directory is not empty");
    }

    private Path saved(String name) throws IOException {
        Path dir = tmp.resolve(name);
        TwoTowerModels.save(trained, dir);
        return dir;
    }

    /** Replaces a data file and updates its size and checksum in model.json, as a tamperer would. */
    private static void rewrite(Path dir, String file, byte[] bytes) throws IOException {
        Files.write(dir.resolve(file), bytes);
        ObjectNode manifest = (ObjectNode) JSON.readTree(dir.resolve("model.json").toFile());
        ObjectNode entry = (ObjectNode) manifest.get("files").get(file);
        entry.put("bytes", bytes.length);
        entry.put("sha256", ModelDirectory.sha256(bytes));
        Files.write(dir.resolve("model.json"), JSON.writeValueAsBytes(manifest));
    }
}
