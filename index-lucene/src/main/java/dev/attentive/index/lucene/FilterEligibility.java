package dev.attentive.index.lucene;

import dev.attentive.api.ItemFilter;
import dev.attentive.api.ItemId;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.BitSetIterator;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.FixedBitSet;

/**
 * Which documents a search may return: a filter's matches as per-segment bit sets masked by the
 * live docs, cached per index snapshot and filter (a snapshot changes with every write), and long
 * exclusion lists cleared from them. Thread safe.
 */
final class FilterEligibility {
    /** The eligible documents of each segment of one snapshot, already masked by the live docs. */
    record EligibleDocs(FixedBitSet[] perLeaf, int[] counts, int total, AtomicReference<ExactRows> rows) {
        EligibleDocs(FixedBitSet[] perLeaf, int[] counts, int total) {
            this(perLeaf, counts, total, new AtomicReference<>());
        }
    }

    /**
     * The on-heap vectors of a small cached eligible set, so that a repeating small filter is scored
     * from contiguous heap arrays instead of seeking in the index per document. Read only once built.
     */
    record ExactRows(long[] keys, float[][] vectors) {
        /** Marks a cached set whose rows may be built; uncached sets never get rows. */
        static final ExactRows PENDING = new ExactRows(new long[0], new float[0][]);
    }

    /** The reader is compared by identity only (it may be closed by now); its version is captured at creation. */
    private record FilterCache(IndexReader reader, long version, ConcurrentHashMap<ItemFilter, EligibleDocs> byFilter) {
    }

    private final int cacheSize;
    private final AtomicReference<FilterCache> filterCache = new AtomicReference<>();

    /** Caches up to {@code cacheSize} filters per snapshot; 0 disables the cache. */
    FilterEligibility(int cacheSize) {
        this.cacheSize = cacheSize;
    }

    /** The filter's eligible documents in the searcher's snapshot, from the cache when it has them. */
    EligibleDocs eligibleDocs(IndexSearcher searcher, ItemFilter filter) throws IOException {
        if (cacheSize == 0) {
            return computeEligible(searcher, filter);
        }
        IndexReader reader = searcher.getIndexReader();
        FilterCache cache = filterCache.get();
        if (cache == null || cache.reader() != reader) {
            long version = ((DirectoryReader) reader).getVersion();
            if (cache != null && cache.version() > version) {
                return computeEligible(searcher, filter); // an older snapshot still in use: don't evict the newer cache
            }
            filterCache.compareAndSet(cache, new FilterCache(reader, version, new ConcurrentHashMap<>()));
            cache = filterCache.get();
            if (cache.reader() != reader) {
                return computeEligible(searcher, filter);
            }
        }
        EligibleDocs docs = cache.byFilter().get(filter);
        if (docs == null) {
            docs = computeEligible(searcher, filter);
            docs = new EligibleDocs(docs.perLeaf(), docs.counts(), docs.total(), new AtomicReference<>(ExactRows.PENDING));
            if (cache.byFilter().size() >= cacheSize) {
                cache.byFilter().clear(); // crude bound; a snapshot's working set of filters is usually small
            }
            EligibleDocs raced = cache.byFilter().putIfAbsent(filter, docs);
            if (raced != null) {
                docs = raced;
            }
        }
        return docs;
    }

    static EligibleDocs computeEligible(IndexSearcher searcher, ItemFilter filter) throws IOException {
        Query query = searcher.rewrite(FilterQueries.toQuery(filter));
        Weight weight = searcher.createWeight(query, ScoreMode.COMPLETE_NO_SCORES, 1f);
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        FixedBitSet[] perLeaf = new FixedBitSet[leaves.size()];
        int[] counts = new int[leaves.size()];
        int total = 0;
        for (int i = 0; i < leaves.size(); i++) {
            LeafReaderContext leaf = leaves.get(i);
            FixedBitSet bits = new FixedBitSet(Math.max(1, leaf.reader().maxDoc()));
            Scorer scorer = weight.scorer(leaf);
            if (scorer != null) {
                bits.or(scorer.iterator());
                Bits live = leaf.reader().getLiveDocs();
                if (live != null) {
                    live.applyMask(bits, 0);
                }
            }
            perLeaf[i] = bits;
            counts[i] = bits.cardinality();
            total += counts[i];
        }
        return new EligibleDocs(perLeaf, counts, total);
    }

    /** The ids of every live document the filter keeps, through the same translation searches use. */
    static Set<ItemId> matchingIds(IndexSearcher searcher, ItemFilter filter) throws IOException {
        EligibleDocs docs = computeEligible(searcher, filter);
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        Set<ItemId> out = new HashSet<>();
        for (int i = 0; i < leaves.size(); i++) {
            BinaryDocValues ids = leaves.get(i).reader().getBinaryDocValues(ItemDocuments.ID);
            DocIdSetIterator it = new BitSetIterator(docs.perLeaf()[i], 0);
            for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
                if (ids.advanceExact(doc)) {
                    out.add(new ItemId(ids.binaryValue().utf8ToString()));
                }
            }
        }
        return out;
    }

    /** {@code eligible} (null: every live document) without the excluded ids; the input is not modified. */
    static EligibleDocs withoutExcluded(List<LeafReaderContext> leaves, EligibleDocs eligible,
            Set<ItemId> exclusions) throws IOException {
        FixedBitSet[] perLeaf = new FixedBitSet[leaves.size()];
        int[] counts = new int[leaves.size()];
        int total = 0;
        List<BytesRef> ids = new ArrayList<>(exclusions.size());
        exclusions.forEach(id -> ids.add(new BytesRef(id.value())));
        ids.sort(null); // sorted seeks are friendlier to the terms dictionary
        for (int i = 0; i < leaves.size(); i++) {
            LeafReader reader = leaves.get(i).reader();
            FixedBitSet bits;
            int count;
            if (eligible != null) {
                bits = eligible.perLeaf()[i].clone();
                count = eligible.counts()[i];
            } else {
                bits = new FixedBitSet(Math.max(1, reader.maxDoc()));
                bits.set(0, reader.maxDoc());
                Bits live = reader.getLiveDocs();
                if (live != null) {
                    live.applyMask(bits, 0);
                }
                count = reader.numDocs();
            }
            Terms terms = reader.terms(ItemDocuments.ID);
            if (terms != null && count > 0) {
                TermsEnum te = terms.iterator();
                PostingsEnum postings = null;
                for (BytesRef id : ids) {
                    if (te.seekExact(id)) {
                        postings = te.postings(postings, PostingsEnum.NONE);
                        for (int doc = postings.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS;
                                doc = postings.nextDoc()) {
                            if (bits.getAndClear(doc)) {
                                count--;
                            }
                        }
                    }
                }
            }
            perLeaf[i] = bits;
            counts[i] = count;
            total += count;
        }
        return new EligibleDocs(perLeaf, counts, total);
    }
}
