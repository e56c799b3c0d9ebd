package dev.attentive.index.lucene;

import dev.attentive.api.ItemFilter;
import dev.attentive.api.ItemId;
import dev.attentive.api.ScoredItem;
import dev.attentive.api.Similarity;
import dev.attentive.api.spi.RetrieverSpec;
import dev.attentive.index.lucene.FilterEligibility.EligibleDocs;
import dev.attentive.index.lucene.FilterEligibility.ExactRows;
import dev.attentive.index.lucene.LuceneHnswRetrieverProvider.Config;
import dev.attentive.kernels.TopK;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.AcceptDocs;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopKnnCollector;
import org.apache.lucene.search.knn.KnnSearchStrategy;
import org.apache.lucene.util.BitSetIterator;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.FixedBitSet;
import org.apache.lucene.util.VectorUtil;

/**
 * One search over one index snapshot. Goes straight to each segment's HNSW graph with a
 * {@link TopKnnCollector} of beam {@code k + exclusions + fanout} (times the oversample for quantised
 * vectors) and re-scores the candidates with the full-precision vectors, so the reported score is
 * the plain dot product. The graph search accepts only the filter's eligible documents; when few
 * documents are eligible, or the graph search gives up (visit limit), the eligible documents are
 * scored exactly. Thread safe (holds only settings; the snapshot is the caller's).
 */
final class KnnSearcher {
    private final Config config;
    private final RetrieverSpec spec;
    private final String location;
    private final KnnSearchStrategy strategy;
    private final boolean quantized;
    private final FilterEligibility eligibility;

    KnnSearcher(Config config, RetrieverSpec spec, String location, FilterEligibility eligibility) {
        this.config = config;
        this.spec = spec;
        this.location = location;
        this.eligibility = eligibility;
        this.strategy = new KnnSearchStrategy.Hnsw(config.filteredSearchThreshold());
        this.quantized = config.quantization() != LuceneHnswRetrieverProvider.Quantization.NONE;
    }

    /** The {@link dev.attentive.api.Retriever#search} contract over {@code searcher}'s snapshot. */
    List<ScoredItem> search(IndexSearcher searcher, float[] query, int k, ItemFilter filter, Set<ItemId> exclusions)
            throws IOException {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(exclusions, "exclusions");
        if (query.length != spec.dimension()) {
            throw new IllegalArgumentException("Query has dimension " + query.length + ", the lucene-hnsw retriever "
                    + spec.dimension());
        }
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        for (int i = 0; i < query.length; i++) {
            if (!Float.isFinite(query[i])) {
                throw new IllegalArgumentException("Query component " + i + " is not finite: " + query[i]);
            }
        }
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        EligibleDocs eligible = filter instanceof ItemFilter.All ? null : eligibility.eligibleDocs(searcher, filter);
        Set<ItemId> drop = Set.of();
        if (!exclusions.isEmpty()) {
            if (exclusions.size() > config.exclusionFilterMaxOverfetch()) {
                eligible = FilterEligibility.withoutExcluded(leaves, eligible, exclusions);
            } else {
                drop = exclusions;
            }
        }
        int eligibleCount = eligible == null ? searcher.getIndexReader().numDocs() : eligible.total();
        if (eligibleCount == 0) {
            return List.of();
        }
        int want = k + drop.size();
        boolean exact = eligibleCount <= config.exactMaxDocs();
        TopK hits = exact ? exactSearch(leaves, eligible, query, want)
                : approximateSearch(leaves, eligible, query, want);
        List<ScoredItem> out = finish(leaves, hits, drop, k);
        if (!exact && out.size() < k && out.size() < eligibleCount) {
            // The graph could not reach k eligible items (a disconnected region under a filter):
            // the contract promises k results whenever k are eligible, so score them all.
            out = finish(leaves, exactSearch(leaves, eligible, query, want), drop, k);
        }
        return out;
    }

    private TopK approximateSearch(List<LeafReaderContext> leaves, EligibleDocs eligible, float[] query,
            int want) throws IOException {
        int beam = want + config.fanout();
        if (quantized) {
            beam = (int) Math.min(Integer.MAX_VALUE - 1, Math.ceil(beam * config.oversample()));
        }
        float[] target = query;
        if (spec.similarity() == Similarity.DOT_PRODUCT) {
            // Lucene's dot-product score assumes unit vectors; the ranking is the same for any positive scale.
            float norm = (float) Math.sqrt(VectorUtil.dotProduct(query, query));
            if (norm > 0 && Math.abs(norm - 1f) > 1e-6f) {
                target = query.clone();
                for (int i = 0; i < target.length; i++) {
                    target[i] /= norm;
                }
            }
        }
        TopK hits = new TopK(want);
        for (int li = 0; li < leaves.size(); li++) {
            LeafReaderContext leaf = leaves.get(li);
            LeafReader reader = leaf.reader();
            FloatVectorValues values = reader.getFloatVectorValues(ItemDocuments.VECTOR);
            if (values == null) {
                continue;
            }
            int leafEligible = eligible == null ? reader.numDocs() : eligible.counts()[li];
            if (leafEligible == 0) {
                continue;
            }
            FixedBitSet leafBits = eligible == null ? null : eligible.perLeaf()[li];
            if (leafEligible <= beam) {
                scoreExactly(li, reader, values, leafBits, query, hits);
                continue;
            }
            Bits accept = leafBits != null ? leafBits : reader.getLiveDocs();
            TopKnnCollector collector = new TopKnnCollector(beam,
                    leafBits == null ? Integer.MAX_VALUE : leafEligible + 1, strategy);
            reader.searchNearestVectors(ItemDocuments.VECTOR, target, collector,
                    AcceptDocs.fromLiveDocs(accept, reader.maxDoc()));
            if (collector.earlyTerminated()) {
                // Visiting more nodes than there are eligible documents: the exact scan is cheaper.
                scoreExactly(li, reader, values, leafBits, query, hits);
                continue;
            }
            ScoreDoc[] docs = collector.topDocs().scoreDocs;
            Arrays.sort(docs, Comparator.comparingInt(d -> d.doc));
            OrdMapper ords = OrdMapper.of(values, reader.maxDoc());
            for (ScoreDoc d : docs) {
                // Re-score with the full-precision vector: exact for quantised storage, and the plain dot
                // product rather than Lucene's transformed score for reporting.
                float score = VectorUtil.dotProduct(query, values.vectorValue(ords.ord(d.doc)));
                hits.offer(key(li, d.doc), score);
            }
        }
        return hits;
    }

    private TopK exactSearch(List<LeafReaderContext> leaves, EligibleDocs eligible, float[] query, int want)
            throws IOException {
        TopK hits = new TopK(want);
        if (eligible != null && eligible.rows().get() != null && eligible.total() <= config.exactMaxDocs()) {
            ExactRows rows = eligible.rows().get();
            if (rows == ExactRows.PENDING) {
                rows = exactRows(leaves, eligible);
                eligible.rows().compareAndSet(ExactRows.PENDING, rows);
            }
            long[] keys = rows.keys();
            float[][] vectors = rows.vectors();
            for (int i = 0; i < keys.length; i++) {
                float score = VectorUtil.dotProduct(query, vectors[i]);
                if (hits.wouldAccept(score)) {
                    hits.offer(keys[i], score);
                }
            }
            return hits;
        }
        for (int li = 0; li < leaves.size(); li++) {
            LeafReader reader = leaves.get(li).reader();
            FloatVectorValues values = reader.getFloatVectorValues(ItemDocuments.VECTOR);
            if (values != null && (eligible == null || eligible.counts()[li] > 0)) {
                scoreExactly(li, reader, values, eligible == null ? null : eligible.perLeaf()[li], query, hits);
            }
        }
        return hits;
    }

    private static ExactRows exactRows(List<LeafReaderContext> leaves, EligibleDocs eligible) throws IOException {
        long[] keys = new long[eligible.total()];
        float[][] vectors = new float[eligible.total()][];
        int n = 0;
        for (int li = 0; li < leaves.size(); li++) {
            LeafReader reader = leaves.get(li).reader();
            FloatVectorValues values = reader.getFloatVectorValues(ItemDocuments.VECTOR);
            if (values == null || eligible.counts()[li] == 0) {
                continue;
            }
            OrdMapper ords = OrdMapper.of(values, reader.maxDoc());
            DocIdSetIterator it = new BitSetIterator(eligible.perLeaf()[li], 0);
            for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
                int ord = ords.ord(doc);
                if (ord >= 0) {
                    keys[n] = key(li, doc);
                    vectors[n++] = values.vectorValue(ord).clone(); // the reader reuses its buffer
                }
            }
        }
        return new ExactRows(Arrays.copyOf(keys, n), Arrays.copyOf(vectors, n));
    }

    private static void scoreExactly(int leafIndex, LeafReader reader, FloatVectorValues values, FixedBitSet bits,
            float[] query, TopK hits) throws IOException {
        OrdMapper ords = OrdMapper.of(values, reader.maxDoc());
        if (bits != null) {
            DocIdSetIterator it = new BitSetIterator(bits, 0);
            for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
                int ord = ords.ord(doc);
                if (ord >= 0) {
                    hits.offer(key(leafIndex, doc), VectorUtil.dotProduct(query, values.vectorValue(ord)));
                }
            }
        } else {
            Bits live = reader.getLiveDocs();
            KnnVectorValues.DocIndexIterator it = values.iterator();
            for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
                if (live == null || live.get(doc)) {
                    hits.offer(key(leafIndex, doc), VectorUtil.dotProduct(query, values.vectorValue(it.index())));
                }
            }
        }
    }

    /** Maps doc ids to vector ordinals: the identity when every document has a vector (always, here). */
    private record OrdMapper(FloatVectorValues values, boolean dense) {
        static OrdMapper of(FloatVectorValues values, int maxDoc) {
            return new OrdMapper(values, values.size() == maxDoc);
        }

        int ord(int doc) throws IOException {
            if (dense) {
                return doc;
            }
            KnnVectorValues.DocIndexIterator it = values.iterator();
            return it.advance(doc) == doc ? it.index() : -1;
        }
    }

    /** A hit's key: leaf then doc, so that on equal scores the lower (leaf, doc) ranks first. */
    private static long key(int leaf, int doc) {
        return ((long) leaf << 32) | (doc & 0xFFFFFFFFL);
    }

    private static int leaf(long key) {
        return (int) (key >>> 32);
    }

    private static int doc(long key) {
        return (int) key;
    }

    private List<ScoredItem> finish(List<LeafReaderContext> leaves, TopK hits, Set<ItemId> drop, int k)
            throws IOException {
        int n = hits.size();
        long[] keys = new long[n];
        float[] scores = new float[n];
        hits.drainBestFirst(keys, scores);
        List<ScoredItem> out = new ArrayList<>(Math.min(k, n));
        BinaryDocValues[] ids = new BinaryDocValues[leaves.size()];
        for (int i = 0; i < n && out.size() < k; i++) {
            long key = keys[i];
            int leaf = leaf(key);
            int doc = doc(key);
            // Doc values iterate forwards only; ranks are not in doc order, so take a fresh one when needed.
            if (ids[leaf] == null || ids[leaf].docID() >= doc) {
                ids[leaf] = leaves.get(leaf).reader().getBinaryDocValues(ItemDocuments.ID);
            }
            if (!ids[leaf].advanceExact(doc)) {
                throw new IllegalStateException("Document " + doc + " of the index at " + location + " has no id");
            }
            ItemId id = new ItemId(ids[leaf].binaryValue().utf8ToString());
            if (!drop.contains(id)) {
                out.add(new ScoredItem(id, scores[i]));
            }
        }
        // equal scores: order by id, as the reference does
        out.sort(Comparator.comparingDouble((ScoredItem s) -> -s.score()).thenComparing(s -> s.id().value()));
        return out;
    }
}
