package dev.attentive.model.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.attentive.api.Explanation;
import dev.attentive.api.Features;
import dev.attentive.api.ItemCatalogue;
import dev.attentive.api.ItemFilter;
import dev.attentive.api.ItemId;
import dev.attentive.api.Recommendation;
import dev.attentive.api.RecommendationRequest;
import dev.attentive.api.Recommender;
import dev.attentive.api.UserId;
import dev.attentive.kernels.Vectors;
import dev.attentive.model.nn.Side;
import dev.attentive.model.features.FieldEncoder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * The two-tower recommender's living catalogue on the planted data ({@link TwoTowerModelTest#planted}):
 * items put while serving are recommended, similar and explained on the next request; an update
 * changes the vector; a removed item is never returned again, also under concurrent requests.
 */
class LivingCatalogueTest {
    private static TwoTowerRecommender train(long seed) {
        return ServeFixtures.train(seed, 8);
    }

    private static Features item(String kind, double year) {
        return ServeFixtures.item(kind, year);
    }

    private static List<String> ids(List<Recommendation> recs) {
        return recs.stream().map(r -> r.item().value()).toList();
    }

    private static RecommendationRequest.Builder all(String user) {
        return RecommendationRequest.forUser(UserId.of(user)).k(100).excludeSeen(false);
    }

    @Test
    void aPutItemIsRecommendedSimilarAndExplainedOnTheNextRequest() {
        try (TwoTowerRecommender r = train(1)) {
            ItemCatalogue catalogue = r.catalogue();
            ItemId fresh = ItemId.of("new-1");
            // Kind c is a value no item had in training: only the new item can match it.
            RecommendationRequest onlyC = RecommendationRequest.forUser(UserId.of("u0")).k(5)
                    .filter(ItemFilter.equalTo("kind", "c")).build();
            assertThat(r.recommend(onlyC)).isEmpty();
            assertThat(catalogue.size()).isEqualTo(30);
            assertThat(catalogue.contains(fresh)).isFalse();

            assertThat(catalogue.put(fresh, item("c", 2001))).isTrue();

            assertThat(catalogue.size()).isEqualTo(31);
            assertThat(catalogue.contains(fresh)).isTrue();
            assertThat(catalogue.features(fresh)).contains(item("c", 2001));
            List<Recommendation> recs = r.recommend(onlyC);
            assertThat(ids(recs)).containsExactly("new-1");
            // Scored with the item tower's cold-start vector (no id row: the model never saw the id).
            float[] cold = r.embedItem(fresh, item("c", 2001));
            float[] user = java.util.Arrays.copyOfRange(r.userEmbeddings(), 0, r.dim);
            assertThat(recs.get(0).score()).isCloseTo(Vectors.dot(user, 0, cold, 0, r.dim), Offset.offset(1e-5));
            assertThat(ids(r.recommend(all("u0").build()))).hasSize(31).contains("new-1");
            // Similar items of the new item, and the new item among the trained items' similar ones.
            List<Recommendation> similar = r.similarItems(fresh, 30, ItemFilter.all());
            assertThat(similar).hasSize(30).noneMatch(x -> x.item().equals(fresh));
            assertThat(similar.get(0).score()).isCloseTo(Vectors.dot(cold, 0, r.itemEmbedding(similar.get(0).item()), 0,
                    r.dim), Offset.offset(1e-5));
            assertThat(ids(r.similarItems(ItemId.of("i0"), 30, ItemFilter.all()))).contains("new-1");
            // Its explanation: the item's own field weights, and contributions that sum to the score.
            Recommendation explained = r.recommend(RecommendationRequest.forUser(UserId.of("u0")).k(1)
                    .filter(ItemFilter.equalTo("kind", "c")).explain(true).build()).get(0);
            Explanation why = explained.explanation().orElseThrow();
            assertThat(why.itemFieldWeights()).extracting(Explanation.Weight::name).contains("kind", "year")
                    .doesNotContain("itemId");
            assertThat(why.contributions().stream().mapToDouble(Explanation.Weight::value).sum())
                    .isCloseTo(explained.score(), Offset.offset(1e-9));
        }
    }

    @Test
    void anUpdateChangesTheVectorAndAKnownIdKeepsItsTrainedRow() {
        try (TwoTowerRecommender r = train(2)) {
            ItemCatalogue catalogue = r.catalogue();
            ItemId fresh = ItemId.of("new-2");
            catalogue.put(fresh, item("a", 1995));
            float[] before = r.itemEmbedding(fresh);

            assertThat(catalogue.put(fresh, item("b", 2010))).as("replaced, not added").isFalse();

            float[] after = r.itemEmbedding(fresh);
            assertThat(after).isNotEqualTo(before).isEqualTo(r.embedItem(fresh, item("b", 2010)));
            assertThat(catalogue.size()).isEqualTo(31);
            assertThat(catalogue.features(fresh)).contains(item("b", 2010));
            assertThat(r.recommend(RecommendationRequest.forUser(UserId.of("u1")).k(5)
                    .filter(ItemFilter.and(ItemFilter.equalTo("kind", "b"), ItemFilter.range("year", 2005, 2020))).build()))
                    .extracting(Recommendation::item).contains(fresh);
            assertThat(r.recommend(RecommendationRequest.forUser(UserId.of("u1")).k(5)
                    .filter(ItemFilter.range("year", 1994, 1996)).build()))
                    .extracting(Recommendation::item).doesNotContain(fresh);
            // A trained id keeps its id row: i0 with new features is not the cold-start vector of those features.
            ItemId i0 = ItemId.of("i0");
            Features changed = item("b", 1990);
            assertThat(catalogue.put(i0, changed)).isFalse();
            Side.Pass withRow = r.model.item.forward(new FieldEncoder.Encoded[] {r.model.encodeItem(i0, changed)}, null,
                    false, null);
            assertThat(r.itemEmbedding(i0)).isEqualTo(withRow.embeddings)
                    .isNotEqualTo(r.embedItem(ItemId.of("never-seen"), changed));
            assertThat(r.recommend(RecommendationRequest.forUser(UserId.of("u3")).k(30).excludeSeen(false)
                    .filter(ItemFilter.equalTo("kind", "a")).build())).extracting(Recommendation::item)
                    .doesNotContain(i0);
        }
    }

    @Test
    void aRemovedItemIsNeverReturnedAndSimilarItemsSaysItWasRemoved() {
        try (TwoTowerRecommender r = train(3)) {
            ItemCatalogue catalogue = r.catalogue();
            ItemId i0 = ItemId.of("i0");
            ItemId fresh = ItemId.of("new-3");
            catalogue.put(fresh, item("a", 2000));
            assertThat(ids(r.recommend(all("u0").build()))).contains("i0", "new-3");

            assertThat(catalogue.remove(i0)).isTrue();
            assertThat(catalogue.remove(fresh)).isTrue();

            assertThat(catalogue.remove(i0)).as("a second removal finds nothing").isFalse();
            assertThat(catalogue.size()).isEqualTo(29);
            assertThat(catalogue.contains(i0)).isFalse();
            assertThat(catalogue.features(fresh)).isEmpty();
            for (int u = 0; u < 60; u++) {
                for (boolean excludeSeen : new boolean[] {true, false}) {
                    List<String> got = ids(r.recommend(RecommendationRequest.forUser(UserId.of("u" + u)).k(100)
                            .excludeSeen(excludeSeen).build()));
                    assertThat(got).doesNotContain("i0", "new-3");
                }
            }
            assertThat(ids(r.recommend(all("u0").build()))).hasSize(29);
            for (int i = 1; i < 30; i++) {
                assertThat(ids(r.similarItems(ItemId.of("i" + i), 100, ItemFilter.all()))).hasSize(28)
                        .doesNotContain("i0", "new-3");
            }
            assertThatThrownBy(() -> r.similarItems(i0, 5, ItemFilter.all()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("Unknown item 'i0': it was removed from the catalogue; put it back with "
                            + "catalogue().put(item, features) to serve it again");
            assertThatThrownBy(() -> r.similarItems(ItemId.of("nope"), 5, ItemFilter.all()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("Unknown item 'nope': the catalogue's 29 items do not include it; add it with "
                            + "catalogue().put(item, features) first");
            // Put back, it is served again.
            assertThat(catalogue.put(i0, item("a", 1990))).isTrue();
            assertThat(ids(r.recommend(all("u0").build()))).contains("i0").hasSize(30);
        }
    }

    @Test
    void putChecksTheFeaturesAgainstTheItemSchema() {
        try (TwoTowerRecommender r = train(4)) {
            ItemCatalogue catalogue = r.catalogue();
            assertThatThrownBy(() -> catalogue.put(ItemId.of("n1"), Features.builder().categorical("colour", "red").build()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("Unknown field 'colour' in item n1 put into the catalogue; the schema has [kind, year]");
            assertThatThrownBy(() -> catalogue.put(ItemId.of("n1"), Features.builder().categorical("year", "old").build()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("Field 'year' of item n1 put into the catalogue has a CATEGORICAL value, but the schema "
                            + "declares NUMERIC");
            assertThat(catalogue.contains(ItemId.of("n1"))).isFalse();
            assertThat(catalogue.size()).isEqualTo(30);
            assertThat(catalogue.schema()).isEqualTo(r.model.itemSchema);
        }
    }

    /**
     * Four threads request (recommendations with every item, similar items) while one puts new items
     * and removes trained ones; no request fails and none returns an item whose removal had returned
     * before the request started.
     */
    @Test
    void concurrentRequestsAndChangesNeverFailNorReturnARemovedItem() throws Exception {
        try (TwoTowerRecommender r = train(5)) {
            ItemCatalogue catalogue = r.catalogue();
            Set<ItemId> removed = ConcurrentHashMap.newKeySet();
            List<Throwable> errors = new CopyOnWriteArrayList<>();
            List<String> violations = new CopyOnWriteArrayList<>();
            AtomicBoolean done = new AtomicBoolean();
            ExecutorService pool = Executors.newFixedThreadPool(5);
            try {
                List<Future<Integer>> readers = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    int thread = t;
                    readers.add(pool.submit(() -> {
                        int requests = 0;
                        while (!done.get() || requests < 50) {
                            Set<ItemId> goneBefore = Set.copyOf(removed);
                            try {
                                List<Recommendation> got = thread % 2 == 0
                                        ? r.recommend(all("u" + (requests % 60)).build())
                                        : r.similarItems(ItemId.of("i" + (29 - requests % 10)), 100, ItemFilter.all());
                                for (Recommendation rec : got) {
                                    if (goneBefore.contains(rec.item())) {
                                        violations.add(rec.item() + " returned after its removal");
                                    }
                                }
                            } catch (IllegalArgumentException e) {
                                // similar items of an item removed meanwhile: the one allowed refusal
                                if (!e.getMessage().contains("it was removed from the catalogue")) {
                                    errors.add(e);
                                }
                            } catch (Throwable e) {
                                errors.add(e);
                            }
                            requests++;
                        }
                        return requests;
                    }));
                }
                Future<?> writer = pool.submit(() -> {
                    for (int i = 0; i < 15; i++) {
                        catalogue.put(ItemId.of("c" + i), item(i % 2 == 0 ? "a" : "b", 2000 + i));
                        ItemId gone = ItemId.of("i" + i);
                        catalogue.remove(gone);
                        removed.add(gone);
                        catalogue.put(ItemId.of("c" + i), item("c", 2000 + i)); // an update
                    }
                    return null;
                });
                writer.get(60, TimeUnit.SECONDS);
                done.set(true);
                int requests = 0;
                for (Future<Integer> reader : readers) {
                    requests += reader.get(60, TimeUnit.SECONDS);
                }
                assertThat(requests).isGreaterThanOrEqualTo(200);
            } finally {
                pool.shutdownNow();
            }
            assertThat(errors).isEmpty();
            assertThat(violations).isEmpty();
            assertThat(catalogue.size()).isEqualTo(30);
            assertThat(ids(r.recommend(all("u0").build()))).hasSize(30).doesNotContainAnyElementsOf(
                    removed.stream().map(ItemId::value).toList());
        }
    }

    @Test
    void recommendIsRespondsItems() {
        try (Recommender r = train(6)) {
            RecommendationRequest request = RecommendationRequest.forUser(UserId.of("u4")).k(7).build();
            assertThat(r.recommend(request)).isEqualTo(r.respond(request).items()).hasSize(7);
        }
    }

    @Test
    void respondSaysItsBasisAndTheRecentItemsItCouldNotUse() {
        try (TwoTowerRecommender r = train(7)) {
            r.catalogue().put(ItemId.of("new-7"), item("a", 2001));
            r.catalogue().remove(ItemId.of("i2"));
            var known = r.respond(RecommendationRequest.forUser(UserId.of("u0")).k(5).build());
            assertThat(known.basis()).isEqualTo(dev.attentive.api.RecommendationResponse.Basis.KNOWN_USER);
            assertThat(known.unknownRecentItems()).isEmpty();
            assertThat(known.fallback()).isFalse();
            var knownWithRecent = r.respond(RecommendationRequest.forUser(UserId.of("u0"))
                    .recentItems(List.of(ItemId.of("i4"), ItemId.of("nope"))).k(5).build());
            assertThat(knownWithRecent.basis()).isEqualTo(dev.attentive.api.RecommendationResponse.Basis.KNOWN_USER);
            assertThat(knownWithRecent.unknownRecentItems()).containsExactly(ItemId.of("nope"));
            var features = r.respond(RecommendationRequest.forUser(UserId.of("stranger"))
                    .features(Features.builder().categorical("taste", "a").build()).k(5).build());
            assertThat(features.basis()).isEqualTo(dev.attentive.api.RecommendationResponse.Basis.REQUEST_CONTEXT);
            // An id the model never saw and an item put after training have no trained id row; a removed
            // trained item still has its row and describes the user.
            var recent = r.respond(RecommendationRequest.builder().recentItems(List.of(ItemId.of("nope"), ItemId.of("i1"),
                    ItemId.of("new-7"), ItemId.of("i2"))).k(5).build());
            assertThat(recent.basis()).isEqualTo(dev.attentive.api.RecommendationResponse.Basis.REQUEST_CONTEXT);
            assertThat(recent.unknownRecentItems()).containsExactly(ItemId.of("nope"), ItemId.of("new-7"));
            var unusable = r.respond(RecommendationRequest.forUser(UserId.of("stranger"))
                    .recentItems(List.of(ItemId.of("new-7"), ItemId.of("nope"))).k(5).build());
            assertThat(unusable.basis()).isEqualTo(dev.attentive.api.RecommendationResponse.Basis.FALLBACK);
            assertThat(unusable.fallback()).isTrue();
            assertThat(unusable.unknownRecentItems()).containsExactly(ItemId.of("new-7"), ItemId.of("nope"));
            var nothing = r.respond(RecommendationRequest.forUser(UserId.of("stranger")).k(5).build());
            assertThat(nothing.basis()).isEqualTo(dev.attentive.api.RecommendationResponse.Basis.FALLBACK);
            assertThat(nothing.unknownRecentItems()).isEmpty();
            // The fallback is the same list for everyone without context: no history, no id, no features.
            assertThat(unusable.items()).isEqualTo(nothing.items()).hasSize(5);
        }
    }

    @Test
    void filtersAreCheckedAgainstTheItemSchema() {
        try (TwoTowerRecommender r = train(8)) {
            String fields = "The catalogue's item fields are [kind CATEGORICAL, year NUMERIC]";
            assertThatThrownBy(() -> r.recommend(RecommendationRequest.forUser(UserId.of("u0"))
                    .filter(ItemFilter.equalTo("colour", "red")).build()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("Filter equalTo names unknown item field 'colour'; the catalogue's item fields are "
                            + "[kind CATEGORICAL, year NUMERIC]");
            assertThatThrownBy(() -> r.respond(RecommendationRequest.forUser(UserId.of("stranger"))
                    .filter(ItemFilter.range("kind", 0, 1)).build()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("Filter range on item field 'kind' needs a numeric field, but 'kind' is CATEGORICAL; "
                            + "use equalTo or in. " + fields);
            assertThatThrownBy(() -> r.similarItems(ItemId.of("i1"), 3, ItemFilter.not(ItemFilter.equalTo("year", "1990"))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("Filter equalTo on item field 'year' needs a categorical or multi-categorical field, "
                            + "but 'year' is NUMERIC; use range. " + fields);
        }
    }

    @Test
    void concurrentPutsOfOneItemLeaveTheCatalogueAndTheRetrieverAgreeing() {
        // Puts of one item from several threads: the catalogue and the retriever end with the same version.
        try (TwoTowerRecommender r = train(9)) {
            ItemCatalogue catalogue = r.catalogue();
            ItemId x = ItemId.of("x");
            Map<String, Features> versions = new LinkedHashMap<>();
            for (int v = 0; v < 20; v++) {
                versions.put("v" + v, item(v % 2 == 0 ? "a" : "b", 1900 + v));
            }
            versions.values().parallelStream().forEach(f -> catalogue.put(x, f));
            Features last = catalogue.features(x).orElseThrow();
            double year = ((dev.attentive.api.FeatureValue.Numeric) last.values().get("year")).value();
            assertThat(ids(r.recommend(RecommendationRequest.forUser(UserId.of("u0")).k(5)
                    .filter(ItemFilter.range("year", year, year)).build()))).containsExactly("x");
            assertThat(r.itemEmbedding(x)).isEqualTo(r.embedItem(x, last));
        }
    }
}
