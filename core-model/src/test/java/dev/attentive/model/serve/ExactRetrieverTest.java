package dev.attentive.model.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attentive.api.Features;
import dev.attentive.api.IndexedItem;
import dev.attentive.api.ItemFilter;
import dev.attentive.api.ItemId;
import dev.attentive.api.ScoredItem;
import dev.attentive.testkit.Seeds;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The int8 pre-scoring never changes the result: on catalogues whose scores crowd around the k-th
 * best (far closer than the int8 error) and with exact ties, the top k equal a float scan's, scores
 * bit for bit.
 */
class ExactRetrieverTest {
    @Test
    void crowdedScoresAndTiesGiveTheFloatScanResult() {
        Seeds.forEach(6, 77, (random, seed) -> {
            int dim = 1 + random.nextInt(70);
            int n = 1 + random.nextInt(700);
            float[] base = Seeds.unitVector(random, dim);
            List<IndexedItem> items = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                float[] v;
                if (i > 0 && random.nextInt(5) == 0) {
                    v = items.get(random.nextInt(i)).vector().clone(); // an exact tie
                } else {
                    v = base.clone();
                    double noise = List.of(1e-6, 1e-4, 1e-2, 1.0).get(random.nextInt(4));
                    for (int d = 0; d < dim; d++) {
                        v[d] += (float) (noise * Seeds.gaussian(random));
                    }
                }
                items.add(new IndexedItem(ItemId.of("i" + i), v, Features.NONE));
            }
            ExactRetriever retriever = new ExactRetriever(dim);
            retriever.index(items);
            for (int t = 0; t < 10; t++) {
                float[] query = t % 2 == 0 ? base : Seeds.unitVector(random, dim);
                int k = 1 + random.nextInt(30);
                List<ScoredItem> got = retriever.search(query, k, ItemFilter.all(), Set.of());
                assertThat(got).isEqualTo(floatScan(items, query, k));
            }
        });
    }

    /** Every item's FMA chain in order of components; best first, ties by catalogue order. */
    private static List<ScoredItem> floatScan(List<IndexedItem> items, float[] query, int k) {
        List<Integer> order = new ArrayList<>();
        float[] scores = new float[items.size()];
        for (int i = 0; i < items.size(); i++) {
            float s = 0f;
            for (int d = 0; d < query.length; d++) {
                s = Math.fma(query[d], items.get(i).vector()[d], s);
            }
            scores[i] = s;
            order.add(i);
        }
        order.sort(Comparator.comparingDouble((Integer i) -> -scores[i]).thenComparingInt(i -> i));
        List<ScoredItem> out = new ArrayList<>();
        for (int i : order.subList(0, Math.min(k, order.size()))) {
            out.add(new ScoredItem(items.get(i).id(), scores[i]));
        }
        return out;
    }
}
