package dev.attentive.model.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.attentive.api.Dataset;
import dev.attentive.api.Features;
import dev.attentive.api.Interaction;
import dev.attentive.api.ItemFilter;
import dev.attentive.api.ItemId;
import dev.attentive.api.Parameter;
import dev.attentive.api.Recommendation;
import dev.attentive.api.RecommendationRequest;
import dev.attentive.api.Recommender;
import dev.attentive.api.UserId;
import dev.attentive.api.spi.Configs;
import dev.attentive.api.spi.ProviderRegistry;
import dev.attentive.api.spi.TrainingContext;
import dev.attentive.eval.data.SyntheticData;
import dev.attentive.model.ModelFormatException;
import dev.attentive.model.TwoStageModelProvider;
import dev.attentive.model.TwoTowerModels;
import dev.attentive.model.rank.TwoStageRecommender;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Save/load of the two-stage pipeline (ranked by the test-only {@code test-linear} ranker; the
 * attention rankers round-trip in the examples module): exact answers after loading, the manifest's
 * provenance and config, the golden model of format version 1, and refusal of damaged directories
 * and of a ranker that is not installed.
 * The data is eval's synthetic generator, small, with every kind of feature on both sides.
 */
class TwoStagePersistenceTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Map<String, String> SETTINGS = Map.ofEntries(Map.entry("ranker", "test-linear"),
            Map.entry("ranker.initialWeight", "0.5"), Map.entry("candidates", "12"), Map.entry("historyLength", "7"),
            Map.entry("epochs", "2"), Map.entry("lambda", "10"), Map.entry("retrieval.epochs", "2"),
            Map.entry("retrieval.dim", "8"), Map.entry("retrieval.userWidths", "16"),
            Map.entry("retrieval.itemWidths", "16"), Map.entry("retrieval.batch", "64"),
            Map.entry("retrieval.historyLength", "5"));

    private static Dataset data;
    private static Recommender trained;
    private static Path saved;
    private static Recommender loaded;

    @TempDir
    static Path shared;

    @TempDir
    Path tmp;

    @BeforeAll
    static void trainSaveAndLoad() throws IOException {
        data = new SyntheticData(new SyntheticData.Config(120, 90, 6, 9, 0.8, 3.0, 0.3)).generate(7);
        trained = ProviderRegistry.models().get("two-stage").train(data, SETTINGS,
                new TrainingContext(7, 2, r -> Double.NaN, s -> { }));
        saved = shared.resolve("model");
        TwoTowerModels.save(trained, saved);
        loaded = TwoTowerModels.load(saved);
    }

    @AfterAll
    static void close() {
        trained.close();
        loaded.close();
    }

    private static List<UserId> users() {
        return new ArrayList<>(new LinkedHashSet<>(data.interactions().stream().map(Interaction::user).toList()));
    }

    private static Set<ItemId> catalogue() {
        Set<ItemId> all = new LinkedHashSet<>();
        data.interactions().forEach(i -> all.add(i.item()));
        all.addAll(data.items().rows().keySet());
        return all;
    }

    private static void assertSameAnswer(RecommendationRequest request) {
        List<Recommendation> expected = trained.recommend(request);
        // Records compare doubles exactly: the same items, scores and explanations, bit for bit.
        assertThat(loaded.recommend(request)).as("%s", request).isEqualTo(expected);
    }

    @Test
    void aLoadedPipelineGivesEveryUserTheSameItemsAndScores() {
        assertThat(loaded).isInstanceOf(TwoStageRecommender.class);
        ItemFilter genre = ItemFilter.equalTo("genre", "g1");
        for (UserId user : users()) {
            RecommendationRequest plain = RecommendationRequest.forUser(user).k(10).build();
            assertSameAnswer(plain);
            assertSameAnswer(RecommendationRequest.forUser(user).k(10).explain(true).build());
            Set<ItemId> excluded = new LinkedHashSet<>();
            trained.recommend(RecommendationRequest.forUser(user).k(3).build()).forEach(r -> excluded.add(r.item()));
            assertSameAnswer(RecommendationRequest.forUser(user).k(10).exclude(excluded).filter(genre).explain(true).build());
            assertSameAnswer(RecommendationRequest.forUser(user).k(10).excludeSeen(false).build());
        }
        List<ItemId> recent = List.of(ItemId.of("i1"), ItemId.of("i5"), ItemId.of("i9"));
        assertSameAnswer(RecommendationRequest.forUser(UserId.of("new-user")).recentItems(recent).k(10).explain(true).build());
        assertSameAnswer(RecommendationRequest.builder().recentItems(recent)
                .features(Features.builder().categorical("region", "r1").numeric("age", 33).build()).k(10).build());
        assertSameAnswer(RecommendationRequest.forUser(UserId.of("stranger")).k(10).build());
    }

    @Test
    void aLoadedPipelineGivesTheSameSimilarItems() {
        ItemFilter genre = ItemFilter.equalTo("genre", "g2");
        for (ItemId item : catalogue()) {
            assertThat(loaded.similarItems(item, 10, ItemFilter.all())).as("similar to %s", item)
                    .isEqualTo(trained.similarItems(item, 10, ItemFilter.all()));
            assertThat(loaded.similarItems(item, 5, genre)).as("similar to %s in g2", item)
                    .isEqualTo(trained.similarItems(item, 5, genre));
        }
    }

    @Test
    void theManifestRecordsTheFullConfigTheRankerAndTheChecksums() throws IOException {
        JsonNode manifest = JSON.readTree(saved.resolve("model.json").toFile());
        assertThat(manifest.get("format").asString()).isEqualTo("attentive-two-stage");
        assertThat(manifest.get("formatVersion").asInt()).isEqualTo(1);
        assertThat(manifest.at("/library/version").asString()).isNotEmpty();
        assertThat(manifest.at("/java/version").asString()).isNotEmpty();
        assertThat(manifest.at("/provenance/dataset").asString()).isEqualTo("synthetic");
        assertThat(manifest.at("/provenance/dataFingerprint").asString()).hasSize(64);
        assertThat(manifest.at("/provenance/trainedAt").asString()).isNotEmpty();
        assertThat(manifest.at("/provenance/rankerEpoch").asString()).isNotEmpty();
        assertThat(manifest.at("/model/provider").asString()).isEqualTo("two-stage");
        // Every setting of the pipeline, not only those given, so that a later default change does
        // not change a loaded model.
        Set<String> names = Configs.settings(new TwoStageModelProvider().defaultConfig()).keySet();
        assertThat(names(manifest.at("/model/config"))).containsExactlyElementsOf(names);
        assertThat(manifest.at("/model/config/candidates").asString()).isEqualTo("12");
        assertThat(manifest.at("/model/config/historyLength").asString()).isEqualTo("7");
        assertThat(manifest.at("/model/config/sourceScale").asString()).isEqualTo("4.0,2.0,1.0,0.5");
        assertThat(manifest.at("/plugins/ranker/name").asString()).isEqualTo("test-linear");
        assertThat(manifest.at("/plugins/ranker/formatVersion").asInt()).isEqualTo(1);
        assertThat(manifest.at("/plugins/retrieval/name").asString()).isEqualTo("two-tower");
        assertThat(manifest.at("/ranker/config/initialWeight").asString()).isEqualTo("0.5");
        assertThat(manifest.at("/ranker/shape/itemCount").asInt()).isEqualTo(catalogue().size());
        assertThat(manifest.at("/ranker/shape/sources").toString())
                .isEqualTo("[\"item-regression\",\"two-tower\",\"two-tower-retrieved\",\"popularity\"]");
        assertThat(names(manifest.at("/files")))
                .containsExactly("weights.bin", "slots.json", "catalogue.json", "retrieval/model.json");
        assertThat(manifest.at("/files/retrieval~1model.json/sha256").asString())
                .isEqualTo(ModelDirectory.sha256(Files.readAllBytes(saved.resolve("retrieval/model.json"))));
        JsonNode retrieval = JSON.readTree(saved.resolve("retrieval/model.json").toFile());
        assertThat(retrieval.get("format").asString()).isEqualTo("attentive-two-tower");
        assertThat(retrieval.at("/model/config/dim").asString()).isEqualTo("8");
        // The weights hold the ranker's tensors and the n x n item regression.
        long n = catalogue().size();
        assertThat(Files.size(saved.resolve("weights.bin"))).isGreaterThan(4 * n * n);
        TwoStageRecommender model = (TwoStageRecommender) loaded;
        assertThat(model.state().config()).isEqualTo(((TwoStageRecommender) trained).state().config());
        assertThat(model.state().rankerConfig()).isEqualTo(Map.of("initialWeight", "0.5"));
    }

    private static List<String> names(JsonNode object) {
        return object.properties().stream().map(Map.Entry::getKey).toList();
    }

    @Test
    void theGoldenModelKeepsLoading() throws IOException, URISyntaxException {
        Path dir = Path.of(getClass().getResource("/golden/two-stage-v1/model.json").toURI()).getParent();
        JsonNode expected = JSON.readTree(dir.resolve("expected.json").toFile()).get("answers");
        List<RecommendationRequest> requests = GoldenTwoStageModel.requests();
        try (Recommender golden = TwoTowerModels.load(dir)) {
            assertThat(golden).isInstanceOf(TwoStageRecommender.class);
            for (int q = 0; q < requests.size(); q++) {
                List<Recommendation> got = golden.recommend(requests.get(q));
                JsonNode want = expected.get(q);
                assertThat(got).as("%s", requests.get(q)).hasSize(want.size());
                for (int i = 0; i < want.size(); i++) {
                    assertThat(got.get(i).item().value()).isEqualTo(want.get(i).get("item").asString());
                    assertThat(got.get(i).score()).isCloseTo(want.get(i).get("score").asDouble(), within(1e-5));
                }
            }
        }
    }

    @Test
    void aLoadedPipelineSavesAgainToTheSameFiles() throws IOException {
        Path again = tmp.resolve("again");
        TwoTowerModels.save(loaded, again);
        for (String f : List.of("weights.bin", "slots.json", "catalogue.json", "retrieval/weights.bin",
                "retrieval/features.json", "retrieval/entities.json")) {
            assertThat(Files.readAllBytes(again.resolve(f))).as(f).isEqualTo(Files.readAllBytes(saved.resolve(f)));
        }
    }

    private Path copy(String name) throws IOException {
        Path dir = tmp.resolve(name);
        TwoTowerModels.save(loaded, dir);
        return dir;
    }

    @Test
    void aCorruptWeightsFileIsRefusedNamingTheFile() throws IOException {
        Path dir = copy("flipped");
        Path weights = dir.resolve("weights.bin");
        byte[] bytes = Files.readAllBytes(weights);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(weights, bytes);
        assertThatThrownBy(() -> TwoTowerModels.load(dir)).isInstanceOf(ModelFormatException.class)
                .hasMessageStartingWith(weights + ": checksum mismatch: SHA-256 is ")
                .hasMessageEndingWith("; the file is corrupt or was modified");
    }

    @Test
    void aCorruptRetrievalFileIsRefusedNamingTheFile() throws IOException {
        Path dir = copy("flipped-retrieval");
        Path weights = dir.resolve("retrieval/weights.bin");
        byte[] bytes = Files.readAllBytes(weights);
        bytes[bytes.length - 3] ^= 0x01;
        Files.write(weights, bytes);
        assertThatThrownBy(() -> TwoTowerModels.load(dir)).isInstanceOf(ModelFormatException.class)
                .hasMessageStartingWith(weights + ": checksum mismatch")
                .hasMessageEndingWith("; the file is corrupt or was modified");
    }

    @Test
    void aMissingFileIsRefusedNamingTheFile() throws IOException {
        Path dir = copy("missing");
        Files.delete(dir.resolve("catalogue.json"));
        assertThatThrownBy(() -> TwoTowerModels.load(dir)).isInstanceOf(ModelFormatException.class)
                .hasMessage(dir.resolve("catalogue.json") + ": missing; the model directory is incomplete");
        Path other = copy("missing-retrieval");
        Files.delete(other.resolve("retrieval/entities.json"));
        assertThatThrownBy(() -> TwoTowerModels.load(other)).isInstanceOf(ModelFormatException.class)
                .hasMessage(other.resolve("retrieval/entities.json") + ": missing; the model directory is incomplete");
    }

    @Test
    void aTruncatedFileIsRefused() throws IOException {
        Path dir = copy("truncated");
        Path slots = dir.resolve("slots.json");
        byte[] bytes = Files.readAllBytes(slots);
        Files.write(slots, java.util.Arrays.copyOf(bytes, bytes.length - 5));
        assertThatThrownBy(() -> TwoTowerModels.load(dir)).isInstanceOf(ModelFormatException.class)
                .hasMessage(slots + ": truncated: " + (bytes.length - 5) + " bytes, expected " + bytes.length);
    }

    private static void editManifest(Path dir, java.util.function.Consumer<ObjectNode> edit) throws IOException {
        ObjectNode manifest = (ObjectNode) JSON.readTree(dir.resolve("model.json").toFile());
        edit.accept(manifest);
        Files.write(dir.resolve("model.json"), JSON.writeValueAsBytes(manifest));
    }

    @Test
    void aRankerThatIsNotInstalledIsRefusedNamingTheArtifactThatAddsIt() throws IOException {
        Path dir = copy("attention");
        editManifest(dir, m -> {
            ((ObjectNode) m.at("/model/config")).put("ranker", "target-attention");
            ((ObjectNode) m.at("/plugins/ranker")).put("name", "target-attention");
        });
        assertThatThrownBy(() -> TwoTowerModels.load(dir)).isInstanceOf(ModelFormatException.class)
                .hasMessage(dir.resolve("model.json") + ": plugin ranker 'target-attention' is not available: "
                        + "No ranker named 'target-attention'. Available: test-linear. Add the dependency "
                        + "dev.attentive:attentive-attention to the class path to get 'target-attention'.");
        Path other = copy("unknown");
        editManifest(other, m -> {
            ((ObjectNode) m.at("/model/config")).put("ranker", "no-such-ranker");
            ((ObjectNode) m.at("/plugins/ranker")).put("name", "no-such-ranker");
        });
        assertThatThrownBy(() -> TwoTowerModels.load(other)).isInstanceOf(ModelFormatException.class)
                .hasMessage(other.resolve("model.json") + ": plugin ranker 'no-such-ranker' is not available: "
                        + "No ranker named 'no-such-ranker'. Available: test-linear.");
    }

    @Test
    void aRankerShapeThatDoesNotMatchTheWeightsIsRefusedNamingTheTensor() throws IOException {
        Path dir = copy("shape");
        int n = catalogue().size();
        editManifest(dir, m -> ((ObjectNode) m.at("/ranker/shape")).put("itemCount", n + 1));
        assertThatThrownBy(() -> TwoTowerModels.load(dir)).isInstanceOf(ModelFormatException.class)
                .hasMessage(dir.resolve("weights.bin") + ": tensor ranker/item.bias has shape [" + n + "], but the "
                        + "model its config and vocabularies build needs [" + (n + 1) + "]");
    }

    @Test
    void aNewerFormatVersionIsRefused() throws IOException {
        Path dir = copy("newer");
        editManifest(dir, m -> m.put("formatVersion", 2));
        assertThatThrownBy(() -> TwoTowerModels.load(dir)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("model.json: format version 2 is not supported")
                .hasMessageContaining("reads versions 1 to 1; load it with the newer library that saved it");
    }

    @Test
    void anUnknownFormatIsRefusedNamingBoth() throws IOException {
        Path dir = copy("format");
        editManifest(dir, m -> m.put("format", "attentive-three-stage"));
        assertThatThrownBy(() -> TwoTowerModels.load(dir)).isInstanceOf(ModelFormatException.class)
                .hasMessage(dir.resolve("model.json") + ": format is 'attentive-three-stage', expected "
                        + "'attentive-two-tower' or 'attentive-two-stage'");
    }

    @Test
    void aDivergedRankerIsNeverWritten() throws IOException {
        try (Recommender copy = TwoTowerModels.load(saved)) {
            Parameter wide = ((TwoStageRecommender) copy).state().ranker().parameters().get(0);
            wide.values()[0] = Float.NaN;
            Path dir = tmp.resolve("nan");
            assertThatThrownBy(() -> TwoTowerModels.save(copy, dir)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("Parameter ranker/wide.weight is not finite: the model diverged and is not written");
            assertThat(dir).doesNotExist();
        }
        try (var siblings = Files.list(tmp)) {
            assertThat(siblings).as("no temporary directory is left behind").isEmpty();
        }
    }
}
