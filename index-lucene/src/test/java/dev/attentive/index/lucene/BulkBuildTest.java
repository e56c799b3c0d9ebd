package dev.attentive.index.lucene;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attentive.api.Features;
import dev.attentive.api.IndexedItem;
import dev.attentive.api.ItemFilter;
import dev.attentive.api.ItemId;
import dev.attentive.api.ScoredItem;
import dev.attentive.api.spi.RetrieverSpec;
import dev.attentive.index.lucene.LuceneHnswRetrieverProvider.Config;
import dev.attentive.testkit.Seeds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.lucene.codecs.hnsw.HnswGraphProvider;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;
import org.apache.lucene.index.CodecReader;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FilterLeafReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.hnsw.HnswGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bulk {@code index(...)}: graph-less flushes, one graph built by the final merge, locality order. */
class BulkBuildTest {
    private static final int DIM = 16;

    @TempDir
    java.nio.file.Path dir;

    @Test
    void aBulkLoadEndsInOneSegmentWithAGraphOverEveryItemAndFindsTheExactNeighbours() throws Exception {
        int n = IndexWriterSession.BULK_GRAPH_MIN_ITEMS + 2_000;
        SplittableRandom random = new SplittableRandom(7);
        List<IndexedItem> all = clustered(random, n + 100);
        List<IndexedItem> items = all.subList(0, n);
        List<IndexedItem> queries = all.subList(n, n + 100); // held out, drawn like the items
        Config c = TestItems.graphOnly(TestItems.config(dir.toString()));
        Config perFlush = new LuceneHnswRetrieverProvider().configure(Map.of("exactMaxDocs", "0",
                "forceMergeOnIndex", "true", "bulkGraphBuild", "false", "localityOrder", "false"));
        double perFlushRecall;
        try (LuceneHnswRetriever r = TestItems.open(perFlush, RetrieverSpec.of(DIM))) {
            r.index(items);
            perFlushRecall = recall(r, items, queries);
        }
        try (LuceneHnswRetriever r = TestItems.open(c, RetrieverSpec.of(DIM))) {
            r.index(items);
            r.commit();
            assertThat(r.segmentCount()).isEqualTo(1);
            assertThat(r.size()).isEqualTo(n);
            double bulkRecall = recall(r, items, queries);
            assertThat(bulkRecall).as("bulk recall against per-flush graphs (%s)", perFlushRecall)
                    .isGreaterThanOrEqualTo(Math.min(0.95, perFlushRecall - 0.03));
        }
        try (DirectoryReader reader = DirectoryReader.open(FSDirectory.open(dir))) {
            LeafReader leaf = FilterLeafReader.unwrap(reader.leaves().get(0).reader());
            var vectors = ((PerFieldKnnVectorsFormat.FieldsReader) ((CodecReader) leaf).getVectorReader())
                    .getFieldReader(ItemDocuments.VECTOR);
            HnswGraph graph = ((HnswGraphProvider) vectors).getGraph(ItemDocuments.VECTOR);
            assertThat(graph.size()).as("the merge built one graph over every item").isEqualTo(n);
        }
    }

    @Test
    void theLocalityOrderIsAPermutationThatGroupsClusters() {
        Seeds.forEach(5, 11, (random, seed) -> {
            int n = 3_000 + random.nextInt(5_000);
            List<IndexedItem> items = clustered(random, n);
            float[][] vectors = items.stream().map(IndexedItem::vector).toArray(float[][]::new);
            int[] order = LocalityOrder.of(vectors);
            int[] sorted = order.clone();
            Arrays.sort(sorted);
            for (int i = 0; i < n; i++) {
                assertThat(sorted[i]).isEqualTo(i);
            }
            // neighbours in storage order are far more similar than random pairs
            double adjacent = 0;
            double shuffled = 0;
            for (int i = 1; i < n; i++) {
                adjacent += dot(vectors[order[i - 1]], vectors[order[i]]);
                shuffled += dot(vectors[i - 1], vectors[i]);
            }
            assertThat(adjacent / (n - 1)).isGreaterThan(shuffled / (n - 1) + 0.1);
        });
    }

    private static double recall(LuceneHnswRetriever r, List<IndexedItem> items, List<IndexedItem> queries) {
        long hits = 0;
        for (IndexedItem q : queries) {
            Set<ItemId> want = exactTop(items, q.vector(), 10);
            for (ScoredItem s : r.search(q.vector(), 10, ItemFilter.all(), Set.of())) {
                hits += want.contains(s.id()) ? 1 : 0;
            }
        }
        return hits / (queries.size() * 10.0);
    }

    private static List<IndexedItem> clustered(SplittableRandom random, int n) {
        float[][] centres = new float[32][];
        for (int c = 0; c < centres.length; c++) {
            centres[c] = Seeds.unitVector(random, DIM);
        }
        List<IndexedItem> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] centre = centres[random.nextInt(centres.length)];
            float[] v = new float[DIM];
            double norm = 0;
            for (int d = 0; d < DIM; d++) {
                v[d] = (float) (centre[d] + 0.15 * Seeds.gaussian(random));
                norm += v[d] * v[d];
            }
            for (int d = 0; d < DIM; d++) {
                v[d] /= (float) Math.sqrt(norm);
            }
            items.add(new IndexedItem(ItemId.of("i" + i), v, Features.NONE));
        }
        return items;
    }

    private static Set<ItemId> exactTop(List<IndexedItem> items, float[] query, int k) {
        List<IndexedItem> sorted = new ArrayList<>(items);
        sorted.sort((a, b) -> Float.compare(dot(b.vector(), query), dot(a.vector(), query)));
        Set<ItemId> out = new HashSet<>();
        for (int i = 0; i < k; i++) {
            out.add(sorted.get(i).id());
        }
        return out;
    }

    private static float dot(float[] a, float[] b) {
        float s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
