package dev.attentive.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.attentive.api.Dataset;
import dev.attentive.api.ItemId;
import dev.attentive.api.Recommendation;
import dev.attentive.api.RecommendationRequest;
import dev.attentive.api.Recommender;
import dev.attentive.api.UserId;
import dev.attentive.api.spi.EpochStats;
import dev.attentive.api.spi.ProviderRegistry;
import dev.attentive.api.spi.TrainingContext;
import dev.attentive.model.TwoTowerModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Building, serving, restarting and swapping, on real (small) two-tower models and real directories. */
class ServingRecommenderTest {
    @TempDir
    Path tmp;

    private static List<ItemId> top(Recommender r, String user) {
        return r.recommend(RecommendationRequest.forUser(UserId.of(user)).k(10).build()).stream()
                .map(Recommendation::item).toList();
    }

    private static Recommender train(Dataset data) {
        return ProviderRegistry.models().get("two-tower").train(data, Fixtures.SMALL_MODEL,
                new TrainingContext(7, 1, r -> Double.NaN, s -> { }));
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir, 2)) {
            return files.map(p -> dir.relativize(p).toString().replace('\\', '/')).filter(s -> !s.isEmpty()).sorted()
                    .toList();
        }
    }

    @Test
    void aConfigFileBuildsARecommenderThatServesLikeTheModelItTrained() throws IOException {
        Path config = tmp.resolve("attentive.yaml");
        Files.writeString(config, """
                data:
                  synthetic: {seed: 5, users: 80, items: 120, topics: 4, meanInteractionsPerUser: 8}
                model:
                  name: two-tower
                  settings: %s
                training: {seed: 7, threads: 1}
                """.formatted(Fixtures.SMALL_MODEL_YAML));
        try (ServingRecommender served = Attentive.fromConfig(config).build();
                Recommender direct = train(Fixtures.small(5))) {
            assertThat(served.generation()).isEqualTo(1);
            assertThat(served.indexDirectory()).isEmpty();
            for (String user : List.of("u0", "u17", "u42")) {
                assertThat(top(served, user)).hasSize(10).isEqualTo(top(direct, user));
            }
            assertThat(served.similarItems(ItemId.of("i3"), 5, dev.attentive.api.ItemFilter.all()))
                    .isEqualTo(direct.similarItems(ItemId.of("i3"), 5, dev.attentive.api.ItemFilter.all()));
        }
    }

    @Test
    void aDatasetSpecTrainsFromCsvFilesWithHoldoutValidation() throws IOException {
        Dataset data = Fixtures.small(5);
        StringBuilder events = new StringBuilder("user,item,ts\n");
        data.interactions().forEach(i -> events.append(i.user()).append(',').append(i.item()).append(',')
                .append(i.timestamp()).append('\n'));
        StringBuilder items = new StringBuilder("id\tgenre\tquality\n");
        data.items().rows().forEach((id, f) -> items.append(id).append('\t')
                .append(((dev.attentive.api.FeatureValue.Categorical) f.get("genre").orElseThrow()).value()).append('\t')
                .append(((dev.attentive.api.FeatureValue.Numeric) f.get("quality").orElseThrow()).value()).append('\n'));
        Path folder = Files.createDirectories(tmp.resolve("shop"));
        Files.writeString(folder.resolve("events.csv"), events);
        Files.writeString(folder.resolve("items.tsv"), items);
        Files.writeString(folder.resolve("shop.yaml"), """
                interactions:
                  file: events.csv
                  columns:
                    - {name: user, type: user}
                    - {name: item, type: item}
                    - {name: ts, type: timestamp}
                items:
                  file: items.tsv
                  separator: tab
                  columns:
                    - {name: id, type: id}
                    - {name: genre, type: categorical}
                    - {name: quality, type: numeric}
                """);
        Path config = tmp.resolve("attentive.yaml");
        Files.writeString(config, """
                data: {spec: shop/shop.yaml}
                model: {settings: %s}
                training:
                  seed: 7
                  threads: 1
                  validation: {holdout: 0.2, order: latest}
                """.formatted(Fixtures.SMALL_MODEL_YAML));
        List<EpochStats> epochs = new ArrayList<>();
        try (ServingRecommender served = Attentive.fromConfig(config).progress(epochs::add).build()) {
            assertThat(top(served, "u4")).hasSize(10);
            assertThat(served.catalogue().size()).isEqualTo(data.items().rows().size());
        }
        assertThat(epochs).isNotEmpty().allSatisfy(s -> assertThat(s.validation()).isBetween(0.0, 1.0));
    }

    @Test
    void anIndexDirectoryServesItsCommittedModelAfterARestartWithoutTraining() throws IOException {
        Path dir = tmp.resolve("serving");
        List<EpochStats> epochs = new ArrayList<>();
        List<ItemId> before;
        try (ServingRecommender served = Fixtures.builder(Fixtures.small(5)).indexDirectory(dir).progress(epochs::add)
                .build()) {
            before = top(served, "u3");
        }
        assertThat(epochs).hasSize(3);
        assertThat(listing(dir)).contains("journal.jsonl", "lock", "models", "models/1", "serving.json")
                .noneMatch(s -> s.contains("tmp"));
        epochs.clear();
        try (ServingRecommender served = Fixtures.builder(Fixtures.small(5)).indexDirectory(dir).progress(epochs::add)
                .build()) {
            assertThat(epochs).isEmpty();
            assertThat(served.generation()).isEqualTo(1);
            assertThat(top(served, "u3")).isEqualTo(before);
        }
    }

    @Test
    void swapsCountGenerationsAndKeepOnlyTheCommittedOneOnDisk() throws IOException {
        Path dir = tmp.resolve("serving");
        Path saved = tmp.resolve("saved");
        try (Recommender other = train(Fixtures.small(9))) {
            TwoTowerModels.save(other, saved);
        }
        try (ServingRecommender served = Fixtures.builder(Fixtures.small(5)).indexDirectory(dir).build();
                Recommender expected = TwoTowerModels.load(saved)) {
            served.swap(saved);
            assertThat(served.generation()).isEqualTo(2);
            assertThat(top(served, "u1")).isEqualTo(top(expected, "u1"));
            served.retrain();
            assertThat(served.generation()).isEqualTo(3);
            served.swap(train(Fixtures.small(9)));
            assertThat(served.generation()).isEqualTo(4);
            assertThat(top(served, "u1")).isEqualTo(top(expected, "u1"));
            assertThat(listing(dir.resolve("models"))).containsExactly("4", "4/entities.json", "4/features.json",
                    "4/model.json", "4/weights.bin");
        }
        try (ServingRecommender served = Fixtures.builder(Fixtures.small(5)).indexDirectory(dir).build()) {
            assertThat(served.generation()).isEqualTo(4);
        }
    }

    @Test
    void aFirstStartThatDiedAfterTakingTheLockStartsOver() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("serving"));
        Files.writeString(dir.resolve("lock"), "");
        Files.createDirectories(dir.resolve("models/.1.tmp-7"));
        try (ServingRecommender served = Fixtures.builder(Fixtures.small(5)).indexDirectory(dir).build()) {
            assertThat(served.generation()).isEqualTo(1);
        }
        assertThat(listing(dir.resolve("models"))).containsExactly("1", "1/entities.json", "1/features.json",
                "1/model.json", "1/weights.bin");
    }

    @Test
    void oneDirectoryServesOneRecommenderAtATime() {
        Path dir = tmp.resolve("serving");
        try (ServingRecommender served = Fixtures.builder(Fixtures.small(5)).indexDirectory(dir).build()) {
            assertThat(served.indexDirectory()).contains(dir);
            assertThatThrownBy(() -> Fixtures.builder(Fixtures.small(5)).indexDirectory(dir).build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("The index directory " + dir + " is in use by another serving recommender (its lock "
                            + "file is held); close that one first, or give this one another indexDirectory");
        }
    }

    @Test
    void aSavedModelServesButCannotRetrainAndAClosedRecommenderRefusesRequests() throws IOException {
        Path saved = tmp.resolve("saved");
        try (Recommender other = train(Fixtures.small(9))) {
            TwoTowerModels.save(other, saved);
        }
        ServingRecommender served = Attentive.builder().load(saved).build();
        assertThat(top(served, "u2")).hasSize(10);
        assertThatThrownBy(served::retrain).isInstanceOf(IllegalStateException.class)
                .hasMessage("retrain() needs training data, but this recommender serves the saved model " + saved
                        + "; save a new model and call swap(Path) instead");
        assertThatThrownBy(() -> served.swap(tmp)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Cannot swap to " + tmp + ": it is not a saved model (no model.json); name the directory "
                        + "TwoTowerModels.save wrote");
        served.close();
        served.close();
        assertThatThrownBy(() -> top(served, "u2")).isInstanceOf(IllegalStateException.class)
                .hasMessage("This serving recommender is closed");
    }

    private static dev.attentive.api.Features shoe(String genre) {
        return dev.attentive.api.Features.builder().categorical("genre", genre).numeric("quality", 0.9)
                .categorical("color", "c1").multi("tags", List.of("tag3")).numeric("weight", 2.5).build();
    }

    @Test
    void catalogueChangesSurviveSwapsInMemory() {
        try (ServingRecommender served = Fixtures.builder(Fixtures.small(5)).build()) {
            ItemId added = ItemId.of("new-1");
            ItemId trained = top(served, "u3").get(0);
            assertThat(served.catalogue().put(added, shoe("g1"))).isTrue();
            assertThat(served.catalogue().put(added, shoe("g2"))).isFalse();
            assertThat(served.catalogue().remove(trained)).isTrue();
            assertThat(top(served, "u3")).doesNotContain(trained);

            served.swap(train(Fixtures.small(5)));
            assertThat(served.catalogue().contains(trained)).isFalse();
            assertThat(served.catalogue().features(added)).contains(shoe("g2"));
            assertThat(top(served, "u3")).doesNotContain(trained);
            served.retrain();
            assertThat(served.generation()).isEqualTo(3);
            assertThat(served.catalogue().contains(trained)).isFalse();
            assertThat(served.catalogue().contains(added)).isTrue();
            assertThat(served.similarItems(added, 3, dev.attentive.api.ItemFilter.all())).hasSize(3);
        }
    }

    @Test
    void theJournalBringsEveryChangeBackAfterARestartAndItsLinesSayWhat() throws IOException {
        Path dir = tmp.resolve("serving");
        ItemId trained;
        try (ServingRecommender served = Fixtures.builder(Fixtures.small(5)).retriever("lucene-hnsw").indexDirectory(dir)
                .build()) {
            trained = top(served, "u3").get(0);
            served.catalogue().put(ItemId.of("new-1"), shoe("g1"));
            served.catalogue().put(ItemId.of("new-2"), shoe("g2"));
            served.catalogue().remove(ItemId.of("new-1"));
            served.catalogue().remove(trained);
        }
        assertThat(listing(dir)).contains("index/1", "models/1");
        assertThat(Files.readAllLines(dir.resolve("journal.jsonl"))).containsExactly(
                "{\"seq\":1,\"op\":\"put\",\"item\":\"new-1\",\"features\":{\"genre\":\"g1\",\"quality\":0.9,"
                        + "\"color\":\"c1\",\"tags\":[\"tag3\"],\"weight\":2.5}}",
                "{\"seq\":2,\"op\":\"put\",\"item\":\"new-2\",\"features\":{\"genre\":\"g2\",\"quality\":0.9,"
                        + "\"color\":\"c1\",\"tags\":[\"tag3\"],\"weight\":2.5}}",
                "{\"seq\":3,\"op\":\"remove\",\"item\":\"new-1\"}",
                "{\"seq\":4,\"op\":\"remove\",\"item\":\"" + trained + "\"}");
        try (ServingRecommender served = Fixtures.builder(Fixtures.small(5)).retriever("lucene-hnsw").indexDirectory(dir)
                .build()) {
            assertThat(served.catalogue().contains(ItemId.of("new-1"))).isFalse();
            assertThat(served.catalogue().features(ItemId.of("new-2"))).contains(shoe("g2"));
            assertThat(served.catalogue().contains(trained)).isFalse();
            assertThat(top(served, "u3")).doesNotContain(trained);
            served.retrain();
            assertThat(served.catalogue().contains(trained)).isFalse();
            assertThat(served.catalogue().contains(ItemId.of("new-2"))).isTrue();
        }
    }
}
