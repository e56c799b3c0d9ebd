package dev.attentive.index.lucene;

import dev.attentive.api.IndexedItem;
import dev.attentive.api.ScoredItem;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Brute-force top k, best first, scores as float dot products computed in double. */
final class LuceneHnswRetrieverContractTestSupport {
    private LuceneHnswRetrieverContractTestSupport() {
    }

    static List<ScoredItem> reference(List<IndexedItem> items, float[] query, int k) {
        List<ScoredItem> all = new ArrayList<>();
        for (IndexedItem item : items) {
            double dot = 0;
            for (int d = 0; d < query.length; d++) {
                dot += (double) query[d] * item.vector()[d];
            }
            all.add(new ScoredItem(item.id(), (float) dot));
        }
        all.sort(Comparator.comparingDouble((ScoredItem s) -> -s.score()).thenComparing(s -> s.id().value()));
        return all.subList(0, Math.min(k, all.size()));
    }
}
