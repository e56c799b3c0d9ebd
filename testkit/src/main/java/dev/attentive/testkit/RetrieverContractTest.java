package dev.attentive.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.attentive.api.Features;
import dev.attentive.api.IndexedItem;
import dev.attentive.api.ItemFilter;
import dev.attentive.api.ItemId;
import dev.attentive.api.Retriever;
import dev.attentive.api.ScoredItem;
import dev.attentive.api.spi.RetrieverSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link dev.attentive.api.Retriever} passes: results sorted by score, at most k
 * (exactly k when k items are eligible), filters and exclusions respected, updates visible, and
 * agreement with a naive brute-force reference on seeded random data — identical for exact
 * retrievers, at least {@link #minimumRecall()} for approximate ones. Extend it and implement
 * {@link #create(RetrieverSpec)}.
 *
 * @since 0.1.0
 */
public abstract class RetrieverContractTest {

    /** For subclasses. */
    protected RetrieverContractTest() {
    }

    /**
     * Creates an empty retriever for the spec; the test closes it.
     *
     * @param spec the spec
     * @return the retriever
     */
    protected abstract Retriever create(RetrieverSpec spec);

    /**
     * The recall@k against brute force that the retriever must reach on the random data; 1 means the
     * results must be identical to the reference.
     *
     * @return the minimum recall, 1 by default
     */
    protected double minimumRecall() {
        return 1.0;
    }

    /**
     * Random items: unit vectors with a categorical {@code color} (5 values), a multi-valued
     * {@code tags} (from 8) and a numeric {@code price} in [0, 100).
     *
     * @param random the randomness
     * @param n how many
     * @param dim the dimension
     * @return the items, ids {@code "i0"}, {@code "i1"}, …
     */
    protected static List<IndexedItem> randomItems(SplittableRandom random, int n, int dim) {
        List<IndexedItem> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            List<String> tags = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                if (random.nextInt(4) == 0) {
                    tags.add("t" + t);
                }
            }
            Features attributes = Features.builder()
                    .categorical("color", "c" + random.nextInt(5))
                    .multi("tags", tags)
                    .numeric("price", random.nextInt(10_000) / 100.0)
                    .build();
            items.add(new IndexedItem(ItemId.of("i" + i), Seeds.unitVector(random, dim), attributes));
        }
        return items;
    }

    /**
     * The brute-force reference: every eligible item scored by dot product, best first, ties by id.
     *
     * @param items the catalogue
     * @param query the query
     * @param k how many
     * @param filter the filter
     * @param exclusions the exclusions
     * @return the top k
     */
    protected static List<ScoredItem> reference(List<IndexedItem> items, float[] query, int k, ItemFilter filter,
            Set<ItemId> exclusions) {
        List<ScoredItem> all = new ArrayList<>();
        for (IndexedItem item : items) {
            if (!exclusions.contains(item.id()) && filter.matches(item.attributes())) {
                double dot = 0;
                for (int d = 0; d < query.length; d++) {
                    dot += (double) query[d] * item.vector()[d];
                }
                all.add(new ScoredItem(item.id(), (float) dot));
            }
        }
        all.sort(Comparator.comparingDouble((ScoredItem s) -> -s.score()).thenComparing(s -> s.id().value()));
        return all.subList(0, Math.min(k, all.size()));
    }

    private static List<ItemFilter> filters() {
        return List.of(
                ItemFilter.all(),
                ItemFilter.equalTo("color", "c1"),
                ItemFilter.in("color", Set.of("c0", "c3")),
                ItemFilter.equalTo("tags", "t2"),
                ItemFilter.range("price", 10, 30),
                ItemFilter.not(ItemFilter.equalTo("color", "c4")),
                ItemFilter.and(ItemFilter.equalTo("color", "c2"), ItemFilter.range("price", 0, 60)),
                ItemFilter.or(ItemFilter.equalTo("tags", "t0"), ItemFilter.range("price", 90, 100)));
    }

    @Test
    void agreesWithBruteForceUnderFiltersAndExclusions() {
        Seeds.forEach(3, 31, (random, seed) -> {
            int dim = 4 + random.nextInt(29);
            int n = 200 + random.nextInt(600);
            List<IndexedItem> items = randomItems(random, n, dim);
            try (Retriever retriever = create(RetrieverSpec.of(dim))) {
                retriever.index(items);
                assertThat(retriever.size()).isEqualTo(n);
                assertThat(retriever.dimension()).isEqualTo(dim);
                long hits = 0;
                long expected = 0;
                for (int q = 0; q < 40; q++) {
                    float[] query = Seeds.unitVector(random, dim);
                    int k = 1 + random.nextInt(20);
                    ItemFilter filter = filters().get(q % filters().size());
                    Set<ItemId> exclusions = new HashSet<>();
                    for (int e = 0; e < random.nextInt(30); e++) {
                        exclusions.add(items.get(random.nextInt(n)).id());
                    }
                    List<ScoredItem> got = retriever.search(query, k, filter, exclusions);
                    List<ScoredItem> want = reference(items, query, k, filter, exclusions);
                    assertThat(got).as("result size for k=%d, filter %s", k, filter).hasSize(want.size());
                    for (int i = 1; i < got.size(); i++) {
                        assertThat(got.get(i).score()).isLessThanOrEqualTo(got.get(i - 1).score());
                    }
                    for (ScoredItem s : got) {
                        assertThat(exclusions).doesNotContain(s.id());
                        IndexedItem item = items.get(Integer.parseInt(s.id().value().substring(1)));
                        assertThat(filter.matches(item.attributes())).as("%s passes %s", s.id(), filter).isTrue();
                    }
                    Set<ItemId> wantIds = new HashSet<>();
                    want.forEach(s -> wantIds.add(s.id()));
                    for (ScoredItem s : got) {
                        if (wantIds.contains(s.id())) {
                            hits++;
                        }
                    }
                    expected += want.size();
                    if (minimumRecall() >= 1.0) {
                        assertThat(got.stream().map(ScoredItem::id).toList())
                                .as("exact retrievers match brute force").isEqualTo(want.stream().map(ScoredItem::id).toList());
                    }
                }
                assertThat(expected == 0 ? 1.0 : (double) hits / expected).as("recall against brute force")
                        .isGreaterThanOrEqualTo(minimumRecall());
            }
        });
    }

    @Test
    void addUpdateRemoveAreVisible() {
        SplittableRandom random = new SplittableRandom(77);
        int dim = 8;
        List<IndexedItem> items = randomItems(random, 50, dim);
        try (Retriever retriever = create(RetrieverSpec.of(dim))) {
            retriever.index(items);
            float[] query = Seeds.unitVector(random, dim);
            IndexedItem fresh = new IndexedItem(ItemId.of("new"), query.clone(), Features.NONE);
            retriever.add(fresh);
            retriever.commit();
            assertThat(retriever.size()).isEqualTo(51);
            assertThat(retriever.search(query, 1, ItemFilter.all(), Set.of()).get(0).id()).isEqualTo(ItemId.of("new"));

            float[] opposite = query.clone();
            for (int i = 0; i < dim; i++) {
                opposite[i] = -opposite[i];
            }
            retriever.update(new IndexedItem(ItemId.of("new"), opposite, Features.NONE));
            retriever.commit();
            assertThat(retriever.size()).isEqualTo(51);
            assertThat(retriever.search(query, 5, ItemFilter.all(), Set.of()))
                    .extracting(ScoredItem::id).doesNotContain(ItemId.of("new"));

            assertThat(retriever.remove(ItemId.of("i0"))).isTrue();
            assertThat(retriever.remove(ItemId.of("i0"))).isFalse();
            retriever.commit();
            assertThat(retriever.size()).isEqualTo(50);
            assertThat(retriever.search(items.get(0).vector(), 50, ItemFilter.all(), Set.of()))
                    .extracting(ScoredItem::id).doesNotContain(ItemId.of("i0"));
        }
    }

    @Test
    void returnsFewerWhenFewAreEligible() {
        SplittableRandom random = new SplittableRandom(5);
        List<IndexedItem> items = randomItems(random, 30, 6);
        try (Retriever retriever = create(RetrieverSpec.of(6))) {
            retriever.index(items);
            Set<ItemId> excluded = new HashSet<>();
            for (int i = 0; i < 27; i++) {
                excluded.add(items.get(i).id());
            }
            assertThat(retriever.search(Seeds.unitVector(random, 6), 10, ItemFilter.all(), excluded)).hasSize(3);
            assertThat(retriever.search(Seeds.unitVector(random, 6), 10, ItemFilter.equalTo("color", "none"), Set.of()))
                    .isEmpty();
        }
    }

    @Test
    void rejectsWrongDimensionsAndDuplicateIds() {
        SplittableRandom random = new SplittableRandom(6);
        try (Retriever retriever = create(RetrieverSpec.of(4))) {
            assertThatThrownBy(() -> retriever.index(randomItems(random, 3, 5)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dimension");
            IndexedItem a = randomItems(random, 1, 4).get(0);
            assertThatThrownBy(() -> retriever.index(List.of(a, a)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(a.id().value());
            retriever.index(List.of(a));
            assertThatThrownBy(() -> retriever.search(new float[3], 1, ItemFilter.all(), Set.of()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dimension");
            assertThatThrownBy(() -> retriever.add(a)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(a.id().value());
        }
    }
}
