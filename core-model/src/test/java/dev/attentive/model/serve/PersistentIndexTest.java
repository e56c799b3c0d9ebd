package dev.attentive.model.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.attentive.api.Features;
import dev.attentive.api.ItemFilter;
import dev.attentive.api.ItemId;
import dev.attentive.api.Recommendation;
import dev.attentive.api.RecommendationRequest;
import dev.attentive.api.Recommender;
import dev.attentive.api.Retriever;
import dev.attentive.api.ScoredItem;
import dev.attentive.api.Similarity;
import dev.attentive.api.UserId;
import dev.attentive.api.spi.ProviderRegistry;
import dev.attentive.api.spi.RetrieverSpec;
import dev.attentive.model.TwoTowerModels;
import dev.attentive.model.TwoTowerModels.Serving;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A two-tower model served from a real {@code lucene-hnsw} index on disk: the index records the item
 * tower's fingerprint; the same model (trained, saved and loaded) reopens it as it is, catalogue
 * changes included, and replaying the changes is harmless; another model is refused with the
 * directory and both fingerprints.
 */
class PersistentIndexTest {
    private static TwoTowerRecommender train(long seed) {
        return ServeFixtures.train(seed, 6);
    }

    private static Features item(String kind, double year) {
        return ServeFixtures.item(kind, year);
    }

    private static List<String> everything(Recommender r) {
        return r.recommend(RecommendationRequest.forUser(UserId.of("u0")).k(100).excludeSeen(false).build()).stream()
                .map(x -> x.item().value()).toList();
    }

    private static RecommendationRequest onlyC() {
        return RecommendationRequest.forUser(UserId.of("u1")).k(5).filter(ItemFilter.equalTo("kind", "c")).build();
    }

    @Test
    void theSameModelReopensItsIndexWithItsChangesAndReplayingThemIsHarmless(@TempDir Path tmp) throws IOException {
        Path index = tmp.resolve("index");
        Path saved = tmp.resolve("model");
        String fingerprint;
        try (TwoTowerRecommender trained = train(1)) {
            fingerprint = trained.itemTowerFingerprint();
            TwoTowerModels.save(trained, saved);
            try (Recommender served = TwoTowerModels.serve(trained, Serving.inDirectory("lucene-hnsw", index))) {
                assertThat(everything(served)).hasSize(30);
                assertThat(served.catalogue().put(ItemId.of("new-1"), item("c", 2001))).isTrue();
                assertThat(served.catalogue().remove(ItemId.of("i0"))).isTrue();
                assertThat(served.recommend(onlyC())).extracting(r -> r.item().value()).containsExactly("new-1");
                assertThat(everything(served)).hasSize(30).doesNotContain("i0");
                // The model it was served from keeps its own in-memory index, untouched.
                assertThat(everything(trained)).hasSize(30).contains("i0").doesNotContain("new-1");
            }
        }
        // The index on disk, read directly: the trained catalogue with the changes, for that fingerprint.
        try (Retriever direct = ProviderRegistry.retrievers().get("lucene-hnsw").create(Map.of("path", index.toString()),
                new RetrieverSpec(16, Similarity.DOT_PRODUCT, fingerprint))) {
            assertThat(direct.size()).isEqualTo(30);
            float[] query = new float[16];
            query[0] = 1;
            assertThat(direct.search(query, 5, ItemFilter.equalTo("kind", "c"), Set.of()))
                    .extracting(ScoredItem::id).containsExactly(ItemId.of("new-1"));
        }
        try (Recommender loaded = TwoTowerModels.load(saved, Serving.inDirectory("lucene-hnsw", index))) {
            TwoTowerRecommender reopened = (TwoTowerRecommender) loaded;
            assertThat(reopened.itemTowerFingerprint()).isEqualTo(fingerprint);
            // Reopened, not rebuilt: i0 stays out (a rebuild would have indexed it again). new-1 is in the
            // index but the catalogue holds only what it was told since it opened.
            assertThat(everything(loaded)).hasSize(29).doesNotContain("i0", "new-1");
            assertThat(loaded.catalogue().size()).isEqualTo(30);
            assertThat(loaded.recommend(onlyC())).isEmpty();
            // A journal replays the changes: both apply cleanly to an index that already holds them.
            assertThat(loaded.catalogue().put(ItemId.of("new-1"), item("c", 2001))).isTrue();
            assertThat(loaded.catalogue().remove(ItemId.of("i0"))).isTrue();
            assertThat(loaded.catalogue().put(ItemId.of("new-1"), item("c", 2001))).isFalse();
            assertThat(loaded.catalogue().remove(ItemId.of("i0"))).isFalse();
            assertThat(loaded.catalogue().size()).isEqualTo(30);
            assertThat(loaded.recommend(onlyC())).extracting(r -> r.item().value()).containsExactly("new-1");
            assertThat(everything(loaded)).hasSize(30).contains("new-1").doesNotContain("i0");
            for (int i = 1; i < 30; i++) {
                assertThat(loaded.similarItems(ItemId.of("i" + i), 100, ItemFilter.all()))
                        .extracting(r -> r.item().value()).hasSize(29).doesNotContain("i0");
            }
            assertThatThrownBy(() -> loaded.similarItems(ItemId.of("i0"), 3, ItemFilter.all()))
                    .hasMessageStartingWith("Unknown item 'i0': it was removed from the catalogue");
        }
    }

    @Test
    void aReopenedIndexServesTheVectorsItWasBuiltWith(@TempDir Path tmp) {
        Path index = tmp.resolve("index");
        try (TwoTowerRecommender trained = train(2)) {
            trained.withRetriever("lucene-hnsw", Map.of("path", index.toString())).close();
            TwoTowerRecommender reopened = TwoTowerRecommender.serve(trained.model, "lucene-hnsw",
                    Map.of("path", index.toString()));
            try (reopened; TwoTowerRecommender built = trained.withRetriever("lucene-hnsw", Map.of())) {
                // The reopened recommender embeds an item alone, when asked, where the first one embedded
                // the catalogue in chunks: the vectors are the same floats.
                float[] all = trained.itemEmbeddings();
                for (int c = 0; c < trained.model.items.length; c++) {
                    assertThat(reopened.itemEmbedding(trained.model.items[c]))
                            .isEqualTo(java.util.Arrays.copyOfRange(all, c * trained.dim, (c + 1) * trained.dim));
                }
                for (String user : List.of("u0", "u7", "u33")) {
                    RecommendationRequest request = RecommendationRequest.forUser(UserId.of(user)).k(10).build();
                    assertThat(reopened.recommend(request)).isEqualTo(built.recommend(request));
                }
                assertThat(reopened.similarItems(ItemId.of("i3"), 10, ItemFilter.all()))
                        .isEqualTo(built.similarItems(ItemId.of("i3"), 10, ItemFilter.all()));
            }
        }
    }

    @Test
    void anotherModelsIndexIsRefusedNamingTheDirectoryAndBothFingerprints(@TempDir Path tmp) {
        Path index = tmp.resolve("index");
        try (TwoTowerRecommender first = train(3); TwoTowerRecommender second = train(4)) {
            assertThat(first.itemTowerFingerprint()).matches("[0-9a-f]{64}").isNotEqualTo(second.itemTowerFingerprint());
            TwoTowerModels.serve(first, Serving.inDirectory("lucene-hnsw", index)).close();
            assertThatThrownBy(() -> TwoTowerModels.serve(second, Serving.inDirectory("lucene-hnsw", index)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("The lucene-hnsw index at " + index + " was built for model fingerprint '"
                            + first.itemTowerFingerprint() + "' (dimension 16, DOT_PRODUCT) and refuses to open for "
                            + "model fingerprint '" + second.itemTowerFingerprint() + "' (dimension 16, DOT_PRODUCT); "
                            + "delete the directory to build the index again for this model, or set 'path' to another "
                            + "directory");
            // The directory is still the first model's.
            try (Recommender again = TwoTowerModels.serve(first, Serving.inDirectory("lucene-hnsw", index))) {
                assertThat(everything(again)).isEqualTo(everything(first));
            }
        }
    }

    @Test
    void servingSettingsAreCheckedAndReachTheRetriever(@TempDir Path tmp) {
        try (TwoTowerRecommender trained = train(5)) {
            assertThatThrownBy(() -> TwoTowerModels.serve(trained, Serving.inDirectory("exact", tmp.resolve("x"))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("Retriever 'exact' keeps no index on disk (it has no 'path' setting), so it cannot keep "
                            + "its index in " + tmp.resolve("x") + "; serve with lucene-hnsw "
                            + "(dev.attentive:attentive-index-lucene) or without indexDirectory");
            assertThatThrownBy(() -> new Serving("lucene-hnsw", Map.of("path", "/a"), tmp))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("Serving names the index directory twice: indexDirectory " + tmp + " and retriever "
                            + "setting path=/a; give it once, as indexDirectory");
            assertThatThrownBy(() -> TwoTowerModels.serve(trained, new Serving("lucene-hnsw[fanout=5]",
                    Map.of("fanout", "6"), null)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("Serving gives retriever setting 'fanout' twice, in lucene-hnsw[fanout=5] and in "
                            + "retrieverSettings; give it once");
            assertThatThrownBy(() -> TwoTowerModels.serve(trained, Serving.inMemory("lucene-hnsw[fanout=-1]")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("fanout must be at least 0, got -1");
            try (Recommender lucene = TwoTowerModels.serve(trained, new Serving("lucene-hnsw[fanout=50]",
                    Map.of("maxConn", "8"), null))) {
                List<Recommendation> exact = trained.recommend(RecommendationRequest.forUser(UserId.of("u2")).k(10).build());
                assertThat(lucene.recommend(RecommendationRequest.forUser(UserId.of("u2")).k(10).build()))
                        .extracting(Recommendation::item).isEqualTo(exact.stream().map(Recommendation::item).toList());
            }
        }
    }
}
