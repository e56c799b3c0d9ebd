package dev.attentive.index.lucene;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attentive.api.IndexedItem;
import dev.attentive.api.ItemFilter;
import dev.attentive.api.ItemId;
import dev.attentive.api.ScoredItem;
import dev.attentive.api.spi.RetrieverSpec;
import dev.attentive.index.lucene.LuceneHnswRetrieverProvider.Config;
import dev.attentive.index.lucene.LuceneHnswRetrieverProvider.Quantization;
import dev.attentive.testkit.Seeds;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class QuantizationAndExclusionTest {

    @Test
    void quantisedGraphsReScoreWithFullPrecisionVectors() {
        for (Quantization q : List.of(Quantization.INT8, Quantization.INT4)) {
            SplittableRandom random = new SplittableRandom(8);
            int dim = 32;
            List<IndexedItem> items = TestItems.plain(random, 2_000, dim, "q");
            Map<ItemId, float[]> vectors = new HashMap<>();
            items.forEach(i -> vectors.put(i.id(), i.vector()));
            Config quantised = new LuceneHnswRetrieverProvider().configure(Map.of("quantization", q.name(),
                    "oversample", "3.0", "exactMaxDocs", "0"));
            try (var r = TestItems.open(quantised, RetrieverSpec.of(dim))) {
                r.index(items);
                long hits = 0;
                for (int t = 0; t < 50; t++) {
                    float[] query = Seeds.unitVector(random, dim);
                    List<ScoredItem> got = r.search(query, 10, ItemFilter.all(), Set.of());
                    assertThat(got).hasSize(10);
                    for (ScoredItem s : got) {
                        double dot = 0;
                        for (int d = 0; d < dim; d++) {
                            dot += (double) query[d] * vectors.get(s.id())[d];
                        }
                        assertThat((double) s.score()).as("full-precision score of %s", s.id()).isCloseTo(dot,
                                org.assertj.core.data.Offset.offset(1e-5));
                    }
                    Set<ItemId> want = new HashSet<>();
                    LuceneHnswRetrieverContractTestSupport.reference(items, query, 10).forEach(s -> want.add(s.id()));
                    hits += got.stream().filter(s -> want.contains(s.id())).count();
                }
                double recall = hits / 500.0;
                System.out.printf(Locale.ROOT, "[quantization] %s recall@10 %.3f on 2,000 random 32-d vectors%n", q,
                        recall);
                assertThat(recall).isGreaterThanOrEqualTo(0.9);
            }
        }
    }

    @Test
    void longExclusionListsBecomePartOfTheFilterAndStillYieldK() {
        SplittableRandom random = new SplittableRandom(9);
        int dim = 16;
        List<IndexedItem> items = TestItems.plain(random, 3_000, dim, "e");
        for (Config config : List.of(Config.DEFAULT, TestItems.graphOnly(Config.DEFAULT))) {
            try (var r = TestItems.open(config, RetrieverSpec.of(dim))) {
                r.index(items);
                float[] query = Seeds.unitVector(random, dim);
                // exclude the 300 nearest items: an over-fetch could not reach past them, the filter can
                Set<ItemId> excluded = new HashSet<>();
                LuceneHnswRetrieverContractTestSupport.reference(items, query, 300).forEach(s -> excluded.add(s.id()));
                List<ScoredItem> got = r.search(query, 10, ItemFilter.all(), excluded);
                assertThat(got).hasSize(10);
                assertThat(got).extracting(ScoredItem::id).doesNotContainAnyElementsOf(excluded);
                Set<ItemId> next = new HashSet<>();
                LuceneHnswRetrieverContractTestSupport.reference(items, query, 310).subList(300, 310)
                        .forEach(s -> next.add(s.id()));
                long overlap = got.stream().filter(s -> next.contains(s.id())).count();
                assertThat(overlap).as("agreement with the exact 301st..310th").isGreaterThanOrEqualTo(9);
            }
        }
    }
}
