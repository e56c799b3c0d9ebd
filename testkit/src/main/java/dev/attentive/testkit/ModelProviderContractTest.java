package dev.attentive.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.attentive.api.Dataset;
import dev.attentive.api.FeatureSchema;
import dev.attentive.api.FeatureTable;
import dev.attentive.api.FeatureType;
import dev.attentive.api.FeatureValue;
import dev.attentive.api.Features;
import dev.attentive.api.FieldSpec;
import dev.attentive.api.Interaction;
import dev.attentive.api.ItemFilter;
import dev.attentive.api.ItemId;
import dev.attentive.api.Recommendation;
import dev.attentive.api.RecommendationRequest;
import dev.attentive.api.Recommender;
import dev.attentive.api.UserId;
import dev.attentive.api.spi.ConfigException;
import dev.attentive.api.spi.Configs;
import dev.attentive.api.spi.ModelProvider;
import dev.attentive.api.spi.ProviderRegistry;
import dev.attentive.api.spi.TrainingContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The contract every {@link ModelProvider} passes. Extend it, return your provider and, to keep the
 * suite fast, settings for a small model:
 * <pre>{@code
 * class MyModelProviderContractTest extends ModelProviderContractTest {
 *     @Override protected ModelProvider<?> provider() { return new MyModelProvider(); }
 *     @Override protected Map<String, String> settings() { return Map.of("epochs", "2", "dim", "8"); }
 * }
 * }</pre>
 * It trains on a small seeded synthetic {@link #dataset()} (users with a preferred genre, items with a
 * genre, a few items in the item table only) and checks: a valid name found by the registry in any
 * case; configs that round-trip through {@link Configs#settings}; unknown settings rejected with the
 * valid names; and the {@link Recommender} contract — at most k distinct catalogue items by
 * descending finite score, fewer only when fewer are eligible; training items, exclusions and
 * filtered-out items never returned; no explanation unless asked; the same seed giving the same
 * recommendations; a user unknown in training served from recent items, or from nothing at all;
 * {@link Recommender#similarItems} never returning the item itself and rejecting unknown items.
 *
 * <p>The suite trains the model twice per test class (one instance per class): keep
 * {@link #settings()} small.
 *
 * @since 0.2.0
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ModelProviderContractTest {
    private static final int K = 10;

    private Dataset data;
    private Recommender model;
    private Recommender twin;

    /** For subclasses. */
    protected ModelProviderContractTest() {
    }

    /**
     * The provider under test.
     *
     * @return the provider
     */
    protected abstract ModelProvider<?> provider();

    /**
     * Settings laid over the provider's default config for every training of this suite.
     *
     * @return the settings; none by default
     */
    protected Map<String, String> settings() {
        return Map.of();
    }

    /**
     * The seed of both trainings.
     *
     * @return the seed
     */
    protected long seed() {
        return 2020;
    }

    /**
     * The training data: 48 users in 4 groups, each preferring one of 4 genres, 6 to 10 interactions
     * each with timestamps; 64 items with a categorical {@code genre} and a numeric {@code year}; 4
     * more items ({@code cold0} to {@code cold3}) only in the item table; user features {@code group}
     * and {@code age}. Seeded, so every call returns the same dataset.
     *
     * @return the dataset
     */
    protected Dataset dataset() {
        SplittableRandom random = new SplittableRandom(17);
        int genres = 4;
        int itemCount = 64;
        Map<ItemId, Features> items = new LinkedHashMap<>();
        for (int i = 0; i < itemCount; i++) {
            items.put(ItemId.of("i" + i), Features.builder().categorical("genre", "g" + (i % genres))
                    .numeric("year", 1990 + i % 30).build());
        }
        for (int i = 0; i < 4; i++) {
            items.put(ItemId.of("cold" + i), Features.builder().categorical("genre", "g" + i).numeric("year", 2024).build());
        }
        Map<UserId, Features> users = new LinkedHashMap<>();
        List<Interaction> interactions = new ArrayList<>();
        for (int u = 0; u < 48; u++) {
            UserId user = UserId.of("u" + u);
            int genre = u % genres;
            users.put(user, Features.builder().categorical("group", "g" + genre).numeric("age", 18 + random.nextInt(50)).build());
            int n = 6 + random.nextInt(5);
            Set<Integer> chosen = new LinkedHashSet<>();
            while (chosen.size() < n) {
                int item = random.nextInt(10) < 8 ? genre + genres * random.nextInt(itemCount / genres) : random.nextInt(itemCount);
                chosen.add(item);
            }
            long t = 1_600_000_000L + u * 10_000L;
            for (int item : chosen) {
                interactions.add(new Interaction(user, ItemId.of("i" + item), t, 1f));
                t += 60 + random.nextInt(600);
            }
        }
        return new Dataset("contract-synthetic", interactions,
                new FeatureTable<>(FeatureSchema.of(new FieldSpec("group", FeatureType.CATEGORICAL),
                        new FieldSpec("age", FeatureType.NUMERIC)), users),
                new FeatureTable<>(FeatureSchema.of(new FieldSpec("genre", FeatureType.CATEGORICAL),
                        new FieldSpec("year", FeatureType.NUMERIC)), items));
    }

    private Dataset data() {
        if (data == null) {
            data = dataset();
        }
        return data;
    }

    private Recommender train() {
        Recommender r = provider().train(data(), settings(), new TrainingContext(seed(), 2, m -> Double.NaN, s -> { }));
        assertThat(r).as("%s: train returns a recommender", provider().name()).isNotNull();
        return r;
    }

    /** The model trained once for this test class. */
    private Recommender model() {
        if (model == null) {
            model = train();
        }
        return model;
    }

    @AfterAll
    void closeModels() {
        if (model != null) {
            model.close();
        }
        if (twin != null) {
            twin.close();
        }
    }

    private Set<ItemId> catalogue() {
        Set<ItemId> all = new LinkedHashSet<>();
        data().interactions().forEach(i -> all.add(i.item()));
        all.addAll(data().items().rows().keySet());
        return all;
    }

    private Set<ItemId> seen(UserId user) {
        Set<ItemId> seen = new HashSet<>();
        data().interactions().stream().filter(i -> i.user().equals(user)).forEach(i -> seen.add(i.item()));
        return seen;
    }

    private List<UserId> someUsers() {
        List<UserId> users = new ArrayList<>(new LinkedHashSet<>(data().interactions().stream().map(Interaction::user).toList()));
        List<UserId> some = new ArrayList<>();
        for (int i = 0; i < users.size(); i += 6) {
            some.add(users.get(i));
        }
        return some;
    }

    /** The list contract: at most k, distinct, catalogue items, finite scores, descending, no explanation unless asked. */
    private void assertWellFormed(String what, List<Recommendation> recs, int k, boolean explain) {
        assertThat(recs).as("%s: recommendations", what).isNotNull().hasSizeLessThanOrEqualTo(k);
        assertThat(recs).extracting(Recommendation::item).as("%s: items are distinct", what).doesNotHaveDuplicates();
        assertThat(recs).extracting(Recommendation::item).as("%s: items come from the training catalogue", what)
                .isSubsetOf(catalogue());
        for (int i = 0; i < recs.size(); i++) {
            assertThat(Double.isFinite(recs.get(i).score())).as("%s: score %d (%s) is finite", what, i, recs.get(i)).isTrue();
            if (i > 0) {
                assertThat(recs.get(i).score()).as("%s: scores descend at position %d: %s", what, i, recs)
                        .isLessThanOrEqualTo(recs.get(i - 1).score());
            }
            if (!explain) {
                assertThat(recs.get(i).explanation()).as("%s: no explanation unless asked", what).isEmpty();
            }
        }
    }

    @Test
    void nameIsValidAndTheRegistryFindsItInAnyCase() {
        String name = provider().name();
        assertThat(name).matches("^[a-z][a-z0-9-]*$");
        assertThat(ProviderRegistry.models().get(name.toUpperCase(Locale.ROOT)).getClass())
                .isEqualTo(provider().getClass());
    }

    @Test
    void configsRoundTripThroughTheirSettings() {
        ModelProvider<?> p = provider();
        Record defaults = p.defaultConfig();
        assertThat((Object) p.configure(Map.of())).as("no settings give the default config").isEqualTo(defaults);
        assertThat((Object) p.configure(Configs.settings(defaults))).as("the default config's settings").isEqualTo(defaults);
        Record fast = p.configure(settings());
        assertThat((Object) p.configure(Configs.settings(fast))).as("the settings() config's settings").isEqualTo(fast);
        assertThat((Object) p.configBuilder().build()).as("configBuilder() starts from the defaults").isEqualTo(defaults);
    }

    @Test
    void unknownSettingIsRejectedWithTheValidNames() {
        List<String> names = Configs.settings(provider().defaultConfig()).keySet().stream().toList();
        assertThatThrownBy(() -> provider().configure(Map.of("no-such-setting", "1")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown setting 'no-such-setting'")
                .satisfies(e -> names.forEach(name -> assertThat(e.getMessage()).as("lists the valid setting %s", name)
                        .contains(name)));
    }

    @Test
    void recommendsAtMostKDistinctUnseenItemsByDescendingScore() {
        for (UserId user : someUsers()) {
            List<Recommendation> recs = model().recommend(RecommendationRequest.forUser(user).k(K).build());
            assertWellFormed("user " + user, recs, K, false);
            assertThat(recs).as("user %s: k items when more than k are eligible", user).hasSize(K);
            assertThat(recs).extracting(Recommendation::item).as("user %s: none of the training items", user)
                    .doesNotContainAnyElementsOf(seen(user));
        }
    }

    @Test
    void fewerThanKOnlyWhenFewerItemsAreEligible() {
        UserId user = someUsers().get(0);
        int k = catalogue().size() + 5;
        List<Recommendation> recs = model().recommend(RecommendationRequest.forUser(user).k(k).build());
        assertWellFormed("user " + user + ", k beyond the catalogue", recs, k, false);
        Set<ItemId> expected = new TreeSet<>(catalogue());
        expected.removeAll(seen(user));
        assertThat(new TreeSet<>(recs.stream().map(Recommendation::item).toList()))
                .as("every unseen catalogue item, the item-table-only ones included").isEqualTo(expected);
    }

    @Test
    void exclusionsAndFiltersAreHonoured() {
        for (UserId user : someUsers()) {
            List<Recommendation> first = model().recommend(RecommendationRequest.forUser(user).k(3).build());
            Set<ItemId> excluded = new HashSet<>();
            first.forEach(r -> excluded.add(r.item()));
            List<Recommendation> recs = model().recommend(RecommendationRequest.forUser(user).k(K).exclude(excluded).build());
            assertWellFormed("user " + user + " with exclusions", recs, K, false);
            assertThat(recs).hasSize(K).extracting(Recommendation::item).doesNotContainAnyElementsOf(excluded)
                    .doesNotContainAnyElementsOf(seen(user));

            ItemFilter genre = ItemFilter.equalTo("genre", "g1");
            long eligible = catalogue().stream().filter(i -> !seen(user).contains(i))
                    .filter(i -> genre.matches(data().items().get(i))).count();
            List<Recommendation> filtered = model().recommend(RecommendationRequest.forUser(user).k(K).filter(genre).build());
            assertWellFormed("user " + user + " filtered to genre g1", filtered, K, false);
            assertThat(filtered).as("user %s: filtered recommendations", user).hasSize((int) Math.min(K, eligible))
                    .allSatisfy(r -> assertThat(data().items().get(r.item()).get("genre"))
                            .as("genre of %s", r.item()).contains(FeatureValue.of("g1")));
        }
    }

    @Test
    void seenItemsAreAllowedWhenNotExcluded() {
        for (UserId user : someUsers()) {
            List<Recommendation> recs = model().recommend(RecommendationRequest.forUser(user).k(K).excludeSeen(false).build());
            assertWellFormed("user " + user + " with excludeSeen(false)", recs, K, false);
            assertThat(recs).hasSize(K);
        }
    }

    @Test
    void theSameSeedGivesTheSameRecommendations() {
        if (twin == null) {
            twin = train();
        }
        for (UserId user : someUsers()) {
            RecommendationRequest request = RecommendationRequest.forUser(user).k(K).build();
            assertThat(twin.recommend(request)).as("user %s, second training with seed %d", user, seed())
                    .isEqualTo(model().recommend(request));
        }
    }

    @Test
    void aUserUnknownInTrainingIsServedFromRecentItems() {
        List<ItemId> recent = List.of(ItemId.of("i1"), ItemId.of("i5"), ItemId.of("i9"));
        RecommendationRequest request = RecommendationRequest.forUser(UserId.of("new-user")).recentItems(recent).k(K).build();
        List<Recommendation> recs = model().recommend(request);
        assertWellFormed("unknown user with recent items", recs, K, false);
        assertThat(recs).as("unknown user with recent items: k items are eligible").hasSize(K);
        List<Recommendation> anonymous = model().recommend(RecommendationRequest.builder().recentItems(recent).k(K).build());
        assertWellFormed("anonymous request with recent items", anonymous, K, false);
        assertThat(anonymous).hasSize(K);
    }

    @Test
    void aUserUnknownInTrainingWithNothingElseStillGetsRecommendations() {
        List<Recommendation> recs = model().recommend(RecommendationRequest.forUser(UserId.of("stranger")).k(K).build());
        assertWellFormed("unknown user without features or recent items", recs, K, false);
        assertThat(recs).as("unknown user without features or recent items: k items are eligible").hasSize(K);
    }

    @Test
    void aUserUnknownInTrainingIsServedFromFeatures() {
        Features features = Features.builder().categorical("group", "g1").numeric("age", 30).build();
        List<Recommendation> recs = model().recommend(RecommendationRequest.forUser(UserId.of("new-user"))
                .features(features).k(K).build());
        assertWellFormed("unknown user with features", recs, K, false);
        assertThat(recs).as("unknown user with features: k items are eligible").hasSize(K);
    }

    @Test
    void aFeatureTheModelDoesNotKnowIsRejected() {
        UserId user = someUsers().get(0);
        Features typo = Features.builder().categorical("grup", "g1").build();
        RecommendationRequest request = RecommendationRequest.forUser(user).features(typo).k(K).build();
        assertThatThrownBy(() -> model().recommend(request))
                .as("Recommender.recommend promises IllegalArgumentException for features the model does not know")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("grup");
    }

    @Test
    void concurrentCallsGiveTheSameAnswersAsSequentialOnes() throws Exception {
        List<RecommendationRequest> requests = someUsers().stream()
                .map(u -> RecommendationRequest.forUser(u).k(K).build()).toList();
        List<List<Recommendation>> sequential = requests.stream().map(model()::recommend).toList();
        Recommender shared = model();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(4)) {
            List<java.util.concurrent.Future<List<Recommendation>>> futures = new ArrayList<>();
            for (int round = 0; round < 4; round++) {
                for (RecommendationRequest r : requests) {
                    futures.add(pool.submit(() -> shared.recommend(r)));
                }
            }
            for (int i = 0; i < futures.size(); i++) {
                assertThat(futures.get(i).get()).as("concurrent call %d", i).isEqualTo(sequential.get(i % requests.size()));
            }
        }
    }

    @Test
    void similarItemsNeverIncludeTheItemAndRejectUnknownItems() {
        for (String id : List.of("i0", "i7", "i13")) {
            ItemId item = ItemId.of(id);
            List<Recommendation> recs = model().similarItems(item, K, ItemFilter.all());
            assertWellFormed("items similar to " + id, recs, K, false);
            assertThat(recs).extracting(Recommendation::item).as("items similar to %s", id).doesNotContain(item);
            ItemFilter genre = ItemFilter.equalTo("genre", "g2");
            assertThat(model().similarItems(item, K, genre)).hasSizeLessThanOrEqualTo(K)
                    .allSatisfy(r -> assertThat(genre.matches(data().items().get(r.item()))).as("%s passes the filter", r.item()).isTrue());
        }
        assertThatThrownBy(() -> model().similarItems(ItemId.of("not-in-the-catalogue"), K, ItemFilter.all()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not-in-the-catalogue");
    }
}
