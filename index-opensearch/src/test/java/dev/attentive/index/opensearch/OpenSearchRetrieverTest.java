package dev.attentive.index.opensearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.attentive.api.Features;
import dev.attentive.api.IndexedItem;
import dev.attentive.api.ItemFilter;
import dev.attentive.api.ItemId;
import dev.attentive.api.Retriever;
import dev.attentive.api.ScoredItem;
import dev.attentive.api.Similarity;
import dev.attentive.api.spi.RetrieverSpec;
import dev.attentive.testkit.Seeds;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The retriever against a real node beyond the contract kit: the filter translation item by item,
 * k results under selective filters, scores, atomic catalogue replacement, reopening, and the errors
 * for a disagreeing mapping, a foreign index and an unreachable cluster.
 */
@ExtendWith(SharedOpenSearchCluster.class)
class OpenSearchRetrieverTest {
    private static final AtomicInteger INDICES = new AtomicInteger();
    private final OpenSearchRetrieverProvider provider = new OpenSearchRetrieverProvider();

    private static String freshIndex() {
        return "retriever-test-" + INDICES.incrementAndGet();
    }

    private Retriever open(String index, RetrieverSpec spec) {
        return provider.create(Map.of("endpoints", SharedOpenSearchCluster.endpoints(), "index", index, "replicas", "0",
                "refreshIntervalMs", "200"), spec);
    }

    /** Items with awkward attribute names (a dot, a space, non-ASCII) and a field that is numeric here. */
    private static List<IndexedItem> items(SplittableRandom random, int n, int dim) {
        List<IndexedItem> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<String> tags = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                if (random.nextInt(3) == 0) {
                    tags.add("t" + t);
                }
            }
            Features.Builder f = Features.builder().categorical("color", "c" + random.nextInt(4)).multi("tags", tags)
                    .numeric("price", random.nextInt(1000) / 10.0).categorical("brand.name", "b" + random.nextInt(3))
                    .categorical("größe", random.nextBoolean() ? "\"quoted\"" : "plain value");
            if (random.nextInt(5) > 0) {
                f.numeric("rating", random.nextInt(50) / 10.0);
            }
            out.add(new IndexedItem(ItemId.of("item/" + i + (i % 7 == 0 ? " ü" : "")), Seeds.unitVector(random, dim),
                    f.build()));
        }
        return out;
    }

    @Test
    void everyFilterSelectsExactlyTheItemsItMatches() {
        SplittableRandom random = new SplittableRandom(11);
        List<IndexedItem> items = items(random, 300, 8);
        List<ItemFilter> filters = List.of(
                ItemFilter.equalTo("color", "c1"),
                ItemFilter.in("tags", Set.of("t1", "t4")),
                ItemFilter.equalTo("brand.name", "b2"),
                ItemFilter.equalTo("größe", "\"quoted\""),
                ItemFilter.range("price", 25, 50.5),
                ItemFilter.range("rating", Double.NEGATIVE_INFINITY, 2.0),
                ItemFilter.not(ItemFilter.range("rating", 1, 3)),
                ItemFilter.equalTo("price", "10.0"),
                ItemFilter.range("color", 0, 10),
                ItemFilter.equalTo("missing", "x"),
                ItemFilter.not(ItemFilter.equalTo("missing", "x")),
                ItemFilter.and(ItemFilter.in("color", Set.of("c0", "c2")), ItemFilter.not(ItemFilter.equalTo("tags", "t0"))),
                ItemFilter.or(ItemFilter.and(ItemFilter.equalTo("tags", "t5"), ItemFilter.range("price", 0, 30)),
                        ItemFilter.equalTo("brand.name", "b0")),
                ItemFilter.and(), ItemFilter.or());
        try (Retriever retriever = open(freshIndex(), RetrieverSpec.of(8))) {
            retriever.index(items);
            Set<ItemId> excluded = Set.of(items.get(3).id(), items.get(4).id(), items.get(7).id());
            for (ItemFilter filter : filters) {
                for (Set<ItemId> exclusions : List.of(Set.<ItemId>of(), excluded)) {
                    Set<ItemId> want = items.stream().filter(it -> filter.matches(it.attributes()))
                            .map(IndexedItem::id).filter(id -> !exclusions.contains(id)).collect(Collectors.toSet());
                    Set<ItemId> got = retriever.search(Seeds.unitVector(random, 8), items.size(), filter, exclusions)
                            .stream().map(ScoredItem::id).collect(Collectors.toSet());
                    assertThat(got).as("items passing %s minus %s", filter, exclusions).isEqualTo(want);
                }
            }
        }
    }

    @Test
    void returnsKUnderSelectiveFiltersWithTheRightItems() {
        SplittableRandom random = new SplittableRandom(12);
        int dim = 16;
        List<IndexedItem> items = new ArrayList<>();
        for (int i = 0; i < 4000; i++) {
            items.add(new IndexedItem(ItemId.of("s" + i), Seeds.unitVector(random, dim), Features.builder()
                    .categorical("shop", "shop" + (i % 50)).numeric("price", i % 100).build()));
        }
        try (Retriever retriever = open(freshIndex(), RetrieverSpec.of(dim))) {
            retriever.index(items);
            long hits = 0;
            long expected = 0;
            for (int q = 0; q < 30; q++) {
                float[] query = Seeds.unitVector(random, dim);
                // 80 eligible items (2% of the catalogue), 10 of them excluded, k = 50.
                ItemFilter filter = ItemFilter.equalTo("shop", "shop" + (q % 50));
                Set<ItemId> exclusions = new HashSet<>();
                for (int e = 0; e < 10; e++) {
                    exclusions.add(ItemId.of("s" + ((q % 50) + 50 * e)));
                }
                List<ScoredItem> got = retriever.search(query, 50, filter, exclusions);
                assertThat(got).as("k results when 70 items are eligible").hasSize(50);
                Set<ItemId> want = exactTop(items, query, 50, filter, exclusions);
                hits += got.stream().filter(s -> want.contains(s.id())).count();
                expected += want.size();
            }
            assertThat((double) hits / expected).as("recall@50 under a 2% filter").isGreaterThanOrEqualTo(0.95);
        }
    }

    private static Set<ItemId> exactTop(List<IndexedItem> items, float[] query, int k, ItemFilter filter,
            Set<ItemId> exclusions) {
        return items.stream().filter(it -> filter.matches(it.attributes()) && !exclusions.contains(it.id()))
                .sorted((a, b) -> Double.compare(dot(b.vector(), query), dot(a.vector(), query))).limit(k)
                .map(IndexedItem::id).collect(Collectors.toSet());
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    /**
     * The transport resends a request on another node when the first one's connection fails, so an
     * add may reach the cluster twice. The resend of an add that landed is this call's own item, not
     * a duplicate; a second add of the same item is one.
     */
    @Test
    void aResentAddSucceedsButASecondAddIsADuplicate() {
        SplittableRandom random = new SplittableRandom(15);
        List<IndexedItem> items = items(random, 6, 8);
        IndexedItem item = items.get(5);
        try (Retriever retriever = open(freshIndex(), RetrieverSpec.of(8))) {
            retriever.index(items.subList(0, 5));
            OpenSearchRetriever os = (OpenSearchRetriever) retriever;
            os.add(item, "token-1");
            os.add(item, "token-1");
            assertThatThrownBy(() -> os.add(item, "token-2")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("already indexed").hasMessageContaining(item.id().value());
            assertThatThrownBy(() -> retriever.add(item)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("already indexed");
            retriever.update(item);
            assertThatThrownBy(() -> os.add(item, "token-1")).as("an update replaces the stored token")
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(retriever.search(item.vector(), 1, ItemFilter.all(), Set.of()).get(0).id())
                    .isEqualTo(item.id());
        }
    }

    @Test
    void scoresAreTheSimilarityForBothSpaces() {
        SplittableRandom random = new SplittableRandom(13);
        for (Similarity similarity : Similarity.values()) {
            List<IndexedItem> items = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                float[] v = Seeds.unitVector(random, 6);
                if (similarity == Similarity.MAXIMUM_INNER_PRODUCT) {
                    float scale = 0.2f + random.nextInt(30) / 10f;
                    for (int d = 0; d < v.length; d++) {
                        v[d] *= scale;
                    }
                }
                items.add(new IndexedItem(ItemId.of("v" + i), v, Features.NONE));
            }
            try (Retriever retriever = open(freshIndex(), new RetrieverSpec(6, similarity, "fp"))) {
                retriever.index(items);
                Map<ItemId, float[]> byId = new HashMap<>();
                items.forEach(it -> byId.put(it.id(), it.vector()));
                float[] query = Seeds.unitVector(random, 6);
                List<ScoredItem> got = retriever.search(query, 100, ItemFilter.all(), Set.of());
                assertThat(got).hasSize(100);
                assertThat(got).anySatisfy(s -> assertThat(s.score()).isNegative());
                for (ScoredItem s : got) {
                    assertThat((double) s.score()).as("%s score of %s", similarity, s.id())
                            .isCloseTo(dot(byId.get(s.id()), query), org.assertj.core.data.Offset.offset(1e-5));
                }
            }
        }
    }

    @Test
    void indexReplacesTheCatalogueWithoutAWindowOfHalfOfIt() throws Exception {
        SplittableRandom random = new SplittableRandom(14);
        int dim = 8;
        String index = freshIndex();
        List<IndexedItem> first = new ArrayList<>();
        List<IndexedItem> second = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            first.add(new IndexedItem(ItemId.of("a" + i), Seeds.unitVector(random, dim), Features.NONE));
        }
        for (int i = 0; i < 2500; i++) {
            second.add(new IndexedItem(ItemId.of("b" + i), Seeds.unitVector(random, dim), Features.NONE));
        }
        try (Retriever retriever = open(index, RetrieverSpec.of(dim))) {
            retriever.index(first);
            String before = ((OpenSearchRetriever) retriever).concreteIndex();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<String> problem = new AtomicReference<>();
            AtomicInteger searches = new AtomicInteger();
            Set<Character> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
            Thread reader = new Thread(() -> {
                SplittableRandom r = new SplittableRandom(1);
                while (!stop.get() && problem.get() == null) {
                    List<ScoredItem> got = retriever.search(Seeds.unitVector(r, dim), 20, ItemFilter.all(), Set.of());
                    Set<Character> generations = got.stream().map(s -> s.id().value().charAt(0)).collect(Collectors.toSet());
                    int size = retriever.size();
                    if (got.size() != 20 || generations.size() != 1 || (size != 1500 && size != 2500)) {
                        problem.set("search saw " + got.size() + " hits from generations " + generations + ", size " + size);
                    }
                    seen.addAll(generations);
                    searches.incrementAndGet();
                }
            });
            reader.start();
            retriever.index(second);
            OpenSearchCluster.sleep(300);
            stop.set(true);
            reader.join();
            assertThat(problem.get()).isNull();
            assertThat(searches.get()).isPositive();
            assertThat(seen).contains('b');
            assertThat(retriever.size()).isEqualTo(2500);
            String after = ((OpenSearchRetriever) retriever).concreteIndex();
            assertThat(after).isNotEqualTo(before).startsWith(index + "-");
            assertThat(OpenSearchCluster.get(SharedOpenSearchCluster.firstEndpoint() + "/" + before)[0])
                    .as("the replaced index is deleted").isEqualTo("404");
        }
        try (Retriever reopened = open(index, RetrieverSpec.of(dim))) {
            assertThat(reopened.size()).as("a new retriever on the alias sees the catalogue").isEqualTo(2500);
        }
    }

    @Test
    void refusesAnIndexBuiltForAnotherModelAndSaysHowToFix() {
        String index = freshIndex();
        try (Retriever retriever = open(index, new RetrieverSpec(8, Similarity.DOT_PRODUCT, "model-a"))) {
            retriever.add(new IndexedItem(ItemId.of("x"), Seeds.unitVector(new SplittableRandom(1), 8), Features.NONE));
        }
        assertThatThrownBy(() -> open(index, new RetrieverSpec(16, Similarity.MAXIMUM_INNER_PRODUCT, "model-b")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("behind alias '" + index + "' was built for another model: dimension 8 "
                        + "(wanted 16), similarity DOT_PRODUCT (wanted MAXIMUM_INNER_PRODUCT), model fingerprint "
                        + "'model-a' (wanted 'model-b')")
                .hasMessageContaining("Set 'index' to another alias name for this model, or delete the old one "
                        + "(DELETE /" + index + "-");
        try (Retriever same = open(index, new RetrieverSpec(8, Similarity.DOT_PRODUCT, "model-a"))) {
            assertThat(same.size()).isEqualTo(1);
        }
    }

    @Test
    void refusesAConcreteIndexItDidNotCreate() throws Exception {
        String index = freshIndex();
        var conn = new ClusterConnection(provider.defaultConfig().withEndpointsAndIndex(SharedOpenSearchCluster.endpoints(),
                index));
        try (conn) {
            assertThat(conn.send("PUT", "/" + index, Map.of(), "{}").ok()).isTrue();
        }
        assertThatThrownBy(() -> open(index, RetrieverSpec.of(4)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("OpenSearch index '" + index + "' is a concrete index, not an alias")
                .hasMessageContaining("Choose another 'index' setting, or delete '" + index + "'");
    }

    @Test
    void anUnreachableClusterNamesTheEndpointsAndTheSetting() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        String endpoint = "http://127.0.0.1:" + closedPort;
        assertThatThrownBy(() -> provider.create(Map.of("endpoints", endpoint, "connectTimeoutMs", "2000"),
                RetrieverSpec.of(4)))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageStartingWith("Cannot reach OpenSearch at " + endpoint + " (setting 'endpoints')")
                .hasMessageContaining("Connection refused");
    }

    @Test
    void aMissingPasswordVariableIsNamed() {
        assertThatThrownBy(() -> provider.create(Map.of("endpoints", SharedOpenSearchCluster.endpoints(), "username",
                "admin", "passwordEnv", "ATTENTIVE_TEST_UNSET_PASSWORD_VARIABLE"), RetrieverSpec.of(4)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'ATTENTIVE_TEST_UNSET_PASSWORD_VARIABLE', which is not set");
    }
}
