package dev.attentive.index.lucene;

import dev.attentive.api.IndexedItem;
import dev.attentive.api.ItemFilter;
import dev.attentive.api.ItemId;
import dev.attentive.api.Retriever;
import dev.attentive.api.ScoredItem;
import dev.attentive.api.Similarity;
import dev.attentive.api.spi.RetrieverSpec;
import dev.attentive.index.lucene.LuceneHnswRetrieverProvider.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.codecs.lucene104.Lucene104HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SegmentWriteState;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.AcceptDocs;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.SearcherFactory;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TopKnnCollector;
import org.apache.lucene.search.Weight;
import org.apache.lucene.search.knn.KnnSearchStrategy;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.util.BitSetIterator;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.FixedBitSet;
import org.apache.lucene.util.VectorUtil;
import org.apache.lucene.util.quantization.QuantizedByteVectorValues;

/**
 * The {@code lucene-hnsw} retriever (see {@link LuceneHnswRetrieverProvider} for the contract).
 *
 * <p>Searches go straight to each segment's HNSW graph with a {@link TopKnnCollector} of beam
 * {@code k + exclusions + fanout} (times the oversample for quantised vectors) and re-score the
 * candidates with the full-precision vectors, so the reported score is the plain dot product. A
 * filter becomes a per-segment bit set of eligible documents (cached per index snapshot and filter)
 * that the graph search accepts; when few documents are eligible, or the graph search gives up
 * (visit limit), the eligible documents are scored exactly. Writes are serialised by a lock and
 * bump a generation; the first search that finds its snapshot older than the last write reopens the
 * near-real-time reader (one reopen covers any number of writes, other searches wait for it), so a
 * write is visible to every search that starts after its call returns.
 */
final class LuceneHnswRetriever implements Retriever {
    private static final System.Logger LOG = System.getLogger(LuceneHnswRetriever.class.getName());

    static final String META_FORMAT = "attentive.format";
    static final String META_DIMENSION = "attentive.dimension";
    static final String META_SIMILARITY = "attentive.similarity";
    static final String META_MODEL = "attentive.modelFingerprint";
    static final String FORMAT_VERSION = "1";
    private static final double UNIT_NORM_TOLERANCE = 1e-3;
    /** Smaller bulk loads build their graph while flushing, as any write does. */
    static final int BULK_GRAPH_MIN_ITEMS = 10_000;

    /** Per-search knobs, overridable by the benchmark; the retriever's own come from its config. */
    record Tuning(int fanout, int exactMaxDocs, double oversample, int exclusionFilterMaxOverfetch,
            boolean useFilterCache) {
    }

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

    private final Config config;
    private final RetrieverSpec spec;
    private final String location;
    private final Directory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final ExecutorService mergeExecutor;
    /** Set while a bulk {@link #index} loads: flushed segments get no graph, the final merge builds it. */
    private final AtomicBoolean graphlessFlush;
    /** Nanoseconds the last bulk {@link #index} spent adding documents and merging them (for the benchmark). */
    private volatile long lastIndexAddNanos;
    private volatile long lastIndexMergeNanos;
    private final FieldType vectorType;
    private final KnnSearchStrategy strategy;
    private final Tuning tuning;
    private final boolean quantized;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final AtomicReference<FilterCache> filterCache = new AtomicReference<>();
    /** Bumped after every write; a search refreshes when the snapshot is older than this. */
    private final java.util.concurrent.atomic.AtomicLong writeGeneration = new java.util.concurrent.atomic.AtomicLong();
    private volatile long searchableGeneration;
    private final ReentrantLock refreshLock = new ReentrantLock();
    private volatile long lastRefreshNanos = System.nanoTime();
    /** The last write per id not yet known to be searchable (guarded by writeLock): answers add/remove checks. */
    private final Map<String, Pending> pending = new java.util.HashMap<>();
    private volatile boolean closed;

    private record Pending(boolean present, long generation) {
    }

    private LuceneHnswRetriever(Config config, RetrieverSpec spec, String location, Directory directory,
            IndexWriter writer, SearcherManager searchers, ExecutorService mergeExecutor,
            AtomicBoolean graphlessFlush) {
        this.config = config;
        this.graphlessFlush = graphlessFlush;
        this.spec = spec;
        this.location = location;
        this.directory = directory;
        this.writer = writer;
        this.searchers = searchers;
        this.mergeExecutor = mergeExecutor;
        this.vectorType = KnnFloatVectorField.createFieldType(spec.dimension(), luceneSimilarity(spec.similarity()));
        this.strategy = new KnnSearchStrategy.Hnsw(config.filteredSearchThreshold());
        this.quantized = config.quantization() != LuceneHnswRetrieverProvider.Quantization.NONE;
        this.tuning = new Tuning(config.fanout(), config.exactMaxDocs(), config.oversample(),
                config.exclusionFilterMaxOverfetch(), config.filterCacheSize() > 0);
    }

    static LuceneHnswRetriever open(Config config, RetrieverSpec spec) {
        String location = config.path().isEmpty() ? "(in memory)" : config.path();
        Directory directory = null;
        AtomicBoolean graphlessFlush = new AtomicBoolean();
        ExecutorService mergeExecutor = config.mergeThreads() > 1
                ? Executors.newFixedThreadPool(config.mergeThreads(), r -> {
                    Thread t = new Thread(r, "lucene-hnsw-merge");
                    t.setDaemon(true);
                    return t;
                })
                : null;
        try {
            if (config.path().isEmpty()) {
                directory = new ByteBuffersDirectory();
            } else {
                Path path = Path.of(config.path());
                if (Files.exists(path) && !Files.isDirectory(path)) {
                    throw new IllegalArgumentException("lucene-hnsw setting 'path' = '" + path
                            + "' is a file; it must be a directory (created when absent)");
                }
                Files.createDirectories(path);
                directory = FSDirectory.open(path);
            }
            boolean exists = DirectoryReader.indexExists(directory);
            if (exists) {
                checkCompatible(SegmentInfos.readLatestCommit(directory).getUserData(), spec, location);
            }
            IndexWriterConfig iwc = new IndexWriterConfig()
                    .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                    .setCodec(codec(config, mergeExecutor, graphlessFlush))
                    .setRAMBufferSizeMB(config.ramBufferMb())
                    .setCommitOnClose(true);
            IndexWriter writer = new IndexWriter(directory, iwc);
            writer.setLiveCommitData(metadata(spec).entrySet());
            if (!exists) {
                writer.commit(); // record the model fingerprint before any item arrives
            }
            SearcherManager searchers = new SearcherManager(writer, new SearcherFactory() {
                @Override
                public IndexSearcher newSearcher(IndexReader reader, IndexReader previousReader) {
                    IndexSearcher searcher = new IndexSearcher(reader);
                    searcher.setQueryCache(null); // filters are cached by this retriever, per snapshot
                    return searcher;
                }
            });
            LOG.log(System.Logger.Level.DEBUG, () -> (exists ? "Reopened" : "Created") + " lucene-hnsw index at "
                    + location + " for " + spec);
            return new LuceneHnswRetriever(config, spec, location, directory, writer, searchers, mergeExecutor,
                    graphlessFlush);
        } catch (IOException | RuntimeException e) {
            if (directory != null) {
                try {
                    directory.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            if (mergeExecutor != null) {
                mergeExecutor.shutdownNow();
            }
            if (e instanceof IOException io) {
                throw new UncheckedIOException("Cannot open the lucene-hnsw index at " + location + ": " + io, io);
            }
            throw (RuntimeException) e;
        }
    }

    static Map<String, String> metadata(RetrieverSpec spec) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(META_FORMAT, FORMAT_VERSION);
        meta.put(META_DIMENSION, Integer.toString(spec.dimension()));
        meta.put(META_SIMILARITY, spec.similarity().name());
        meta.put(META_MODEL, spec.modelFingerprint());
        return meta;
    }

    static void checkCompatible(Map<String, String> stored, RetrieverSpec spec, String location) {
        if (!stored.containsKey(META_FORMAT)) {
            throw new IllegalArgumentException("The directory " + location + " holds a Lucene index that the "
                    + "lucene-hnsw retriever did not write (its commit data has no '" + META_FORMAT
                    + "'); set 'path' to an empty directory or to a lucene-hnsw index");
        }
        if (!FORMAT_VERSION.equals(stored.get(META_FORMAT))) {
            throw new IllegalArgumentException("The lucene-hnsw index at " + location + " has format version "
                    + stored.get(META_FORMAT) + ", this library reads version " + FORMAT_VERSION
                    + "; rebuild the index with this version");
        }
        String dimension = stored.get(META_DIMENSION);
        String similarity = stored.get(META_SIMILARITY);
        String model = stored.get(META_MODEL);
        if (!Integer.toString(spec.dimension()).equals(dimension) || !spec.similarity().name().equals(similarity)
                || !spec.modelFingerprint().equals(model)) {
            throw new IllegalArgumentException("The lucene-hnsw index at " + location
                    + " was built for model fingerprint '" + model + "' (dimension " + dimension + ", " + similarity
                    + ") and refuses to open for model fingerprint '" + spec.modelFingerprint() + "' (dimension "
                    + spec.dimension() + ", " + spec.similarity() + "); rebuild the index for this model, "
                    + "or set 'path' to another directory");
        }
    }

    private static VectorSimilarityFunction luceneSimilarity(Similarity similarity) {
        return switch (similarity) {
            case DOT_PRODUCT -> VectorSimilarityFunction.DOT_PRODUCT;
            case MAXIMUM_INNER_PRODUCT -> VectorSimilarityFunction.MAXIMUM_INNER_PRODUCT;
        };
    }

    private static Codec codec(Config config, ExecutorService mergeExecutor, AtomicBoolean graphlessFlush) {
        return new HnswCodec(new BulkAwareFormat(
                format(config, mergeExecutor, Lucene99HnswVectorsFormat.HNSW_GRAPH_THRESHOLD),
                format(config, mergeExecutor, Integer.MAX_VALUE), graphlessFlush));
    }

    /** Our vector format; a {@code tinySegmentsThreshold} of Integer.MAX_VALUE never builds a graph. */
    private static KnnVectorsFormat format(Config config, ExecutorService mergeExecutor, int tinySegmentsThreshold) {
        int workers = config.mergeThreads();
        return switch (config.quantization()) {
            case NONE -> new Lucene99HnswVectorsFormat(config.maxConn(), config.beamWidth(), workers, mergeExecutor,
                    tinySegmentsThreshold);
            case INT8 -> new Lucene104HnswScalarQuantizedVectorsFormat(
                    QuantizedByteVectorValues.ScalarEncoding.UNSIGNED_BYTE, config.maxConn(), config.beamWidth(),
                    workers, mergeExecutor, tinySegmentsThreshold);
            case INT4 -> new Lucene104HnswScalarQuantizedVectorsFormat(
                    QuantizedByteVectorValues.ScalarEncoding.PACKED_NIBBLE, config.maxConn(), config.beamWidth(),
                    workers, mergeExecutor, tinySegmentsThreshold);
        };
    }

    /**
     * The vector format that, while a bulk {@link #index} runs, flushes segments without an HNSW graph
     * (vectors only): the graph is then built once, by the merge into one segment that ends the bulk
     * load, with {@code mergeThreads} workers — instead of once per flushed segment and again when
     * the segments are merged. It writes under the wrapped format's registered name, so segments are
     * read back through Lucene's own SPI (the graph parameters are not needed to read).
     */
    private static final class BulkAwareFormat extends KnnVectorsFormat {
        private final KnnVectorsFormat normal;
        private final KnnVectorsFormat graphless;
        private final AtomicBoolean graphlessFlush;

        BulkAwareFormat(KnnVectorsFormat normal, KnnVectorsFormat graphless, AtomicBoolean graphlessFlush) {
            super(normal.getName());
            this.normal = normal;
            this.graphless = graphless;
            this.graphlessFlush = graphlessFlush;
        }

        @Override
        public org.apache.lucene.codecs.KnnVectorsWriter fieldsWriter(SegmentWriteState state) throws IOException {
            // Indexing threads open their writer with the DEFAULT context (the flush writes through it); merges with MERGE.
            boolean merge = state.context.context() == IOContext.Context.MERGE;
            return (!merge && graphlessFlush.get() ? graphless : normal).fieldsWriter(state);
        }

        @Override
        public org.apache.lucene.codecs.KnnVectorsReader fieldsReader(SegmentReadState state) throws IOException {
            return normal.fieldsReader(state);
        }

        @Override
        public int getMaxDimensions(String fieldName) {
            return normal.getMaxDimensions(fieldName);
        }

        @Override
        public String toString() {
            return "BulkAware(" + normal + ")";
        }
    }

    /**
     * The current default codec with our vector format for every field. It keeps the default
     * codec's name, so readers need nothing registered: the per-field vector format name is
     * recorded in each segment and found through Lucene's own SPI.
     */
    private static final class HnswCodec extends Lucene104Codec {
        private final KnnVectorsFormat format;

        HnswCodec(KnnVectorsFormat format) {
            this.format = format;
        }

        @Override
        public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
            return format;
        }
    }

    // ------------------------------------------------------------------ reads

    @Override
    public int dimension() {
        return spec.dimension();
    }

    @Override
    public int size() {
        IndexSearcher searcher = acquire();
        try {
            return searcher.getIndexReader().numDocs();
        } finally {
            release(searcher);
        }
    }

    /** Whether the item is searchable now. */
    boolean contains(ItemId id) {
        IndexSearcher searcher = acquire();
        try {
            return liveDocWithId(searcher.getIndexReader(), id.value());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            release(searcher);
        }
    }

    /** The ids of every searchable item the filter keeps, through the same translation searches use. */
    Set<ItemId> matchingIds(ItemFilter filter) {
        IndexSearcher searcher = acquire();
        try {
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
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            release(searcher);
        }
    }

    @Override
    public List<ScoredItem> search(float[] query, int k, ItemFilter filter, Set<ItemId> exclusions) {
        return search(query, k, filter, exclusions, tuning);
    }

    List<ScoredItem> search(float[] query, int k, ItemFilter filter, Set<ItemId> exclusions, Tuning t) {
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
        IndexSearcher searcher = acquire();
        try {
            List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
            EligibleDocs eligible = filter instanceof ItemFilter.All ? null : eligibleDocs(searcher, filter, t);
            Set<ItemId> drop = Set.of();
            if (!exclusions.isEmpty()) {
                if (exclusions.size() > t.exclusionFilterMaxOverfetch()) {
                    eligible = withoutExcluded(leaves, eligible, exclusions);
                } else {
                    drop = exclusions;
                }
            }
            int eligibleCount = eligible == null ? searcher.getIndexReader().numDocs() : eligible.total();
            if (eligibleCount == 0) {
                return List.of();
            }
            int want = k + drop.size();
            boolean exact = eligibleCount <= t.exactMaxDocs();
            TopHits hits = exact ? exactSearch(leaves, eligible, query, want, t)
                    : approximateSearch(leaves, eligible, query, want, t);
            List<ScoredItem> out = finish(leaves, hits, drop, k);
            if (!exact && out.size() < k && out.size() < eligibleCount) {
                // The graph could not reach k eligible items (a disconnected region under a filter):
                // the contract promises k results whenever k are eligible, so score them all.
                out = finish(leaves, exactSearch(leaves, eligible, query, want, t), drop, k);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("lucene-hnsw search failed on the index at " + location + ": " + e, e);
        } finally {
            release(searcher);
        }
    }

    private TopHits approximateSearch(List<LeafReaderContext> leaves, EligibleDocs eligible, float[] query,
            int want, Tuning t) throws IOException {
        int beam = want + t.fanout();
        if (quantized) {
            beam = (int) Math.min(Integer.MAX_VALUE - 1, Math.ceil(beam * t.oversample()));
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
        TopHits hits = new TopHits(want);
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
                hits.offer(li, d.doc, score);
            }
        }
        return hits;
    }

    private TopHits exactSearch(List<LeafReaderContext> leaves, EligibleDocs eligible, float[] query, int want,
            Tuning t) throws IOException {
        TopHits hits = new TopHits(want);
        if (eligible != null && eligible.rows().get() != null && eligible.total() <= t.exactMaxDocs()) {
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
                    hits.offer(TopHits.leaf(keys[i]), TopHits.doc(keys[i]), score);
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
                    keys[n] = TopHits.key(li, doc);
                    vectors[n++] = values.vectorValue(ord).clone(); // the reader reuses its buffer
                }
            }
        }
        return new ExactRows(Arrays.copyOf(keys, n), Arrays.copyOf(vectors, n));
    }

    private static void scoreExactly(int leafIndex, LeafReader reader, FloatVectorValues values, FixedBitSet bits,
            float[] query, TopHits hits) throws IOException {
        OrdMapper ords = OrdMapper.of(values, reader.maxDoc());
        if (bits != null) {
            DocIdSetIterator it = new BitSetIterator(bits, 0);
            for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
                int ord = ords.ord(doc);
                if (ord >= 0) {
                    hits.offer(leafIndex, doc, VectorUtil.dotProduct(query, values.vectorValue(ord)));
                }
            }
        } else {
            Bits live = reader.getLiveDocs();
            KnnVectorValues.DocIndexIterator it = values.iterator();
            for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
                if (live == null || live.get(doc)) {
                    hits.offer(leafIndex, doc, VectorUtil.dotProduct(query, values.vectorValue(it.index())));
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

    private List<ScoredItem> finish(List<LeafReaderContext> leaves, TopHits hits, Set<ItemId> drop, int k)
            throws IOException {
        hits.sortBestFirst();
        List<ScoredItem> out = new ArrayList<>(Math.min(k, hits.size()));
        BinaryDocValues[] ids = new BinaryDocValues[leaves.size()];
        for (int i = 0; i < hits.size() && out.size() < k; i++) {
            long key = hits.keyAt(i);
            int leaf = TopHits.leaf(key);
            int doc = TopHits.doc(key);
            // Doc values iterate forwards only; ranks are not in doc order, so take a fresh one when needed.
            if (ids[leaf] == null || ids[leaf].docID() >= doc) {
                ids[leaf] = leaves.get(leaf).reader().getBinaryDocValues(ItemDocuments.ID);
            }
            if (!ids[leaf].advanceExact(doc)) {
                throw new IllegalStateException("Document " + doc + " of the index at " + location + " has no id");
            }
            ItemId id = new ItemId(ids[leaf].binaryValue().utf8ToString());
            if (!drop.contains(id)) {
                out.add(new ScoredItem(id, hits.scoreAt(i)));
            }
        }
        // equal scores: order by id, as the reference does
        out.sort(Comparator.comparingDouble((ScoredItem s) -> -s.score()).thenComparing(s -> s.id().value()));
        return out;
    }

    // ------------------------------------------------------------------ filters

    private EligibleDocs eligibleDocs(IndexSearcher searcher, ItemFilter filter, Tuning t) throws IOException {
        if (!t.useFilterCache() || config.filterCacheSize() == 0) {
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
            if (cache.byFilter().size() >= config.filterCacheSize()) {
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

    private static EligibleDocs withoutExcluded(List<LeafReaderContext> leaves, EligibleDocs eligible,
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

    private static boolean liveDocWithId(IndexReader reader, String id) throws IOException {
        BytesRef term = new BytesRef(id);
        for (LeafReaderContext leaf : reader.leaves()) {
            Terms terms = leaf.reader().terms(ItemDocuments.ID);
            if (terms == null) {
                continue;
            }
            TermsEnum te = terms.iterator();
            if (te.seekExact(term)) {
                Bits live = leaf.reader().getLiveDocs();
                PostingsEnum postings = te.postings(null, PostingsEnum.NONE);
                for (int doc = postings.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = postings.nextDoc()) {
                    if (live == null || live.get(doc)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ writes

    @Override
    public void index(Collection<IndexedItem> items) {
        Set<ItemId> seen = new HashSet<>();
        for (IndexedItem item : items) {
            checkItem(item);
            if (!seen.add(item.id())) {
                throw new IllegalArgumentException("Duplicate item id '" + item.id() + "' in the catalogue to index");
            }
        }
        write(() -> {
            writer.deleteAll();
            boolean bulk = config.bulkGraphBuild() && items.size() >= BULK_GRAPH_MIN_ITEMS;
            long start = System.nanoTime();
            long added = start;
            if (bulk) {
                // Segments flushed from here on carry vectors but no graph; at least two are flushed
                // (so that the merge below always runs), and the merge builds the one graph.
                graphlessFlush.set(true);
                writer.getConfig().setMaxBufferedDocs(Math.max(2, (items.size() + 1) / 2));
            }
            try {
                List<IndexedItem> ordered = List.copyOf(items);
                if (bulk && config.localityOrder()) {
                    float[][] vectors = new float[ordered.size()][];
                    for (int i = 0; i < vectors.length; i++) {
                        vectors[i] = ordered.get(i).vector();
                    }
                    int[] order = LocalityOrder.of(vectors);
                    IndexedItem[] permuted = new IndexedItem[order.length];
                    for (int i = 0; i < order.length; i++) {
                        permuted[i] = ordered.get(order[i]);
                    }
                    ordered = Arrays.asList(permuted);
                }
                addAll(ordered);
                if (bulk) {
                    writer.flush();
                }
                added = System.nanoTime();
                if (bulk || config.forceMergeOnIndex()) {
                    writer.forceMerge(1);
                }
            } finally {
                if (bulk) {
                    graphlessFlush.set(false);
                    writer.getConfig().setMaxBufferedDocs(IndexWriterConfig.DISABLE_AUTO_FLUSH);
                }
            }
            lastIndexAddNanos = added - start;
            lastIndexMergeNanos = System.nanoTime() - added;
            pending.clear();
            writeGeneration.incrementAndGet();
            refreshIfStale();
        });
    }

    private void addAll(List<IndexedItem> items) throws IOException {
        int threads = Math.min(config.indexThreads(), Math.max(1, items.size() / 1000));
        if (threads <= 1) {
            for (IndexedItem item : items) {
                writer.addDocument(ItemDocuments.toDocument(item, vectorType));
            }
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Void>> parts = new ArrayList<>();
            int chunk = (items.size() + threads - 1) / threads;
            for (int p = 0; p < threads; p++) {
                List<IndexedItem> part = items.subList(Math.min(items.size(), p * chunk),
                        Math.min(items.size(), (p + 1) * chunk));
                parts.add(pool.submit(() -> {
                    for (IndexedItem item : part) {
                        writer.addDocument(ItemDocuments.toDocument(item, vectorType));
                    }
                    return null;
                }));
            }
            for (Future<Void> part : parts) {
                part.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while indexing into " + location, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException("Indexing into " + location + " failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    @Override
    public void add(IndexedItem item) {
        checkItem(item);
        write(() -> {
            if (indexedForWrite(item.id().value())) {
                throw new IllegalArgumentException("Item '" + item.id()
                        + "' is already indexed; use update to replace it");
            }
            writer.addDocument(ItemDocuments.toDocument(item, vectorType));
            noteWrite(item.id().value(), true);
        });
    }

    @Override
    public void update(IndexedItem item) {
        checkItem(item);
        write(() -> {
            writer.updateDocument(ItemDocuments.idTerm(item.id().value()), ItemDocuments.toDocument(item, vectorType));
            noteWrite(item.id().value(), true);
        });
    }

    @Override
    public boolean remove(ItemId id) {
        Objects.requireNonNull(id, "id");
        boolean[] existed = new boolean[1];
        write(() -> {
            existed[0] = indexedForWrite(id.value());
            if (existed[0]) {
                writer.deleteDocuments(ItemDocuments.idTerm(id.value()));
                noteWrite(id.value(), false);
            }
        });
        return existed[0];
    }

    /** Nanoseconds the last {@link #index} call spent adding documents (and flushing, for a bulk load). */
    long lastIndexAddNanos() {
        return lastIndexAddNanos;
    }

    /** Nanoseconds the last {@link #index} call spent merging (building the graph, for a bulk load). */
    long lastIndexMergeNanos() {
        return lastIndexMergeNanos;
    }

    /** Force-merges to one segment (the fastest layout for a static catalogue); slow for big indexes. */
    void forceMerge() {
        write(() -> writer.forceMerge(1));
    }

    @Override
    public void commit() {
        writeLock.lock();
        try {
            ensureOpen();
            writer.setLiveCommitData(metadata(spec).entrySet());
            writer.commit();
            refreshIfStale(); // committed writes are searchable in every refresh mode
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot commit the lucene-hnsw index at " + location + ": " + e, e);
        } finally {
            writeLock.unlock();
        }
    }

    /** Bytes of every file of the index directory (in memory or on disk). */
    long indexBytes() {
        try {
            long total = 0;
            for (String file : directory.listAll()) {
                try {
                    total += directory.fileLength(file);
                } catch (java.nio.file.NoSuchFileException | java.io.FileNotFoundException gone) {
                    // deleted by a concurrent merge between listing and sizing
                }
            }
            return total;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Segments in the current snapshot. */
    int segmentCount() {
        IndexSearcher searcher = acquire();
        try {
            return searcher.getIndexReader().leaves().size();
        } finally {
            release(searcher);
        }
    }

    @FunctionalInterface
    private interface Write {
        void run() throws IOException;
    }

    private void write(Write change) {
        writeLock.lock();
        try {
            ensureOpen();
            change.run();
            writeGeneration.incrementAndGet(); // the next search refreshes: visible once this call returns
        } catch (IOException e) {
            throw new UncheckedIOException("Write to the lucene-hnsw index at " + location + " failed: " + e, e);
        } finally {
            writeLock.unlock();
        }
    }

    private void checkItem(IndexedItem item) {
        Objects.requireNonNull(item, "item");
        float[] v = item.vector();
        if (v.length != spec.dimension()) {
            throw new IllegalArgumentException("Item '" + item.id() + "' has a vector of dimension " + v.length
                    + ", the lucene-hnsw retriever expects dimension " + spec.dimension());
        }
        double norm = 0;
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                throw new IllegalArgumentException("Item '" + item.id() + "' has a non-finite vector component "
                        + v[i] + " at index " + i);
            }
            norm += (double) v[i] * v[i];
        }
        if (spec.similarity() == Similarity.DOT_PRODUCT && Math.abs(Math.sqrt(norm) - 1) > UNIT_NORM_TOLERANCE) {
            throw new IllegalArgumentException("Item '" + item.id() + "' has a vector of norm " + Math.sqrt(norm)
                    + " but similarity DOT_PRODUCT needs unit vectors; normalise the vectors, or build the "
                    + "retriever with Similarity.MAXIMUM_INNER_PRODUCT");
        }
    }

    // ------------------------------------------------------------------ lifecycle

    /**
     * Whether the id is indexed, counting writes not yet searchable: the last write to an id since
     * the last refresh decides; otherwise the current snapshot does. Called under the write lock.
     */
    private boolean indexedForWrite(String id) throws IOException {
        Pending p = pending.get(id);
        if (p != null) {
            return p.present();
        }
        IndexSearcher searcher = searchers.acquire();
        try {
            return liveDocWithId(searcher.getIndexReader(), id);
        } finally {
            searchers.release(searcher);
        }
    }

    private void noteWrite(String id, boolean present) {
        long generation = writeGeneration.get() + 1; // the generation this write completes
        if (pending.size() >= 100_000) {
            long searchable = searchableGeneration;
            pending.values().removeIf(p -> p.generation() <= searchable);
            if (pending.size() >= 100_000) {
                refreshIfStale(generation - 1);
                long now = searchableGeneration;
                pending.values().removeIf(p -> p.generation() <= now);
            }
        }
        pending.put(id, new Pending(present, generation));
    }

    /** Before a search: reopen when stale, right away (interval 0) or at most every refresh interval. */
    private void refreshForSearch() {
        long target = writeGeneration.get();
        if (searchableGeneration >= target) {
            return;
        }
        if (config.refreshIntervalMs() == 0) {
            refreshIfStale(target);
            return;
        }
        if (System.nanoTime() - lastRefreshNanos < config.refreshIntervalMs() * 1_000_000L
                || !refreshLock.tryLock()) {
            return; // serve the current snapshot; someone else reopens, or the interval has not passed
        }
        try {
            reopen();
        } finally {
            refreshLock.unlock();
        }
    }

    private void refreshIfStale() {
        refreshIfStale(writeGeneration.get());
    }

    /** Makes every write up to {@code target} searchable; one thread reopens, the others wait for it. */
    private void refreshIfStale(long target) {
        if (searchableGeneration >= target) {
            return;
        }
        refreshLock.lock();
        try {
            if (searchableGeneration < target) {
                reopen();
            }
        } finally {
            refreshLock.unlock();
        }
    }

    private void reopen() {
        long generation = writeGeneration.get(); // read before the reopen: the reopen includes at least these
        try {
            searchers.maybeRefreshBlocking();
        } catch (IOException e) {
            throw new UncheckedIOException("Reopening the lucene-hnsw index at " + location + " failed: " + e, e);
        }
        searchableGeneration = generation;
        lastRefreshNanos = System.nanoTime();
    }

    /** The generation of the last write that searches see (for tests): writes are numbered from 1. */
    long searchableGeneration() {
        return searchableGeneration;
    }

    /** The generation of the last write. */
    long writeGeneration() {
        return writeGeneration.get();
    }

    private IndexSearcher acquire() {
        ensureOpen();
        try {
            refreshForSearch();
            return searchers.acquire();
        } catch (org.apache.lucene.store.AlreadyClosedException e) {
            throw new IllegalStateException("This lucene-hnsw retriever (" + location + ") is closed", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void release(IndexSearcher searcher) {
        try {
            searchers.release(searcher);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("This lucene-hnsw retriever (" + location + ") is closed");
        }
    }

    /** Commits pending changes (on disk) and releases the index; idempotent. */
    @Override
    public void close() {
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            try (directory; writer; searchers) {
                writer.setLiveCommitData(metadata(spec).entrySet());
            } catch (IOException e) {
                throw new UncheckedIOException("Closing the lucene-hnsw index at " + location + " failed: " + e, e);
            } finally {
                if (mergeExecutor != null) {
                    mergeExecutor.shutdownNow();
                }
            }
        } finally {
            writeLock.unlock();
        }
    }
}
