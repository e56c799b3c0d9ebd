package dev.attentive.index.lucene;

import dev.attentive.api.IndexedItem;
import dev.attentive.api.ItemFilter;
import dev.attentive.api.ItemId;
import dev.attentive.api.Retriever;
import dev.attentive.api.ScoredItem;
import dev.attentive.api.spi.RetrieverSpec;
import dev.attentive.index.lucene.LuceneHnswRetrieverProvider.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.store.Directory;

/**
 * The {@code lucene-hnsw} retriever (see {@link LuceneHnswRetrieverProvider} for the contract): a
 * facade that wires the parts together and brackets every read with a snapshot.
 * {@link IndexCompatibility} opens the directory and writer for a matching spec only, with
 * {@link HnswCodec}'s vector format; {@link IndexWriterSession} serialises and applies writes;
 * {@link NrtRefresher} decides when searches see them; {@link KnnSearcher} searches a snapshot with
 * the eligible documents from {@link FilterEligibility}.
 */
final class LuceneHnswRetriever implements Retriever {
    private final RetrieverSpec spec;
    private final String location;
    private final IndexWriterSession session;
    private final NrtRefresher refresher;
    private final KnnSearcher searcher;

    private LuceneHnswRetriever(RetrieverSpec spec, String location, IndexWriterSession session,
            NrtRefresher refresher, KnnSearcher searcher) {
        this.spec = spec;
        this.location = location;
        this.session = session;
        this.refresher = refresher;
        this.searcher = searcher;
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
            directory = IndexCompatibility.openDirectory(config);
            IndexWriter writer = IndexCompatibility.openWriter(directory, config, spec, location, mergeExecutor,
                    graphlessFlush);
            NrtRefresher refresher = new NrtRefresher(writer, config.refreshIntervalMs(), location);
            IndexWriterSession session = new IndexWriterSession(config, spec, location, directory, writer, refresher,
                    mergeExecutor, graphlessFlush);
            KnnSearcher searcher = new KnnSearcher(config, spec, location,
                    new FilterEligibility(config.filterCacheSize()));
            return new LuceneHnswRetriever(spec, location, session, refresher, searcher);
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

    // ------------------------------------------------------------------ reads

    @Override
    public int dimension() {
        return spec.dimension();
    }

    @Override
    public int size() {
        IndexSearcher snapshot = acquire();
        try {
            return snapshot.getIndexReader().numDocs();
        } finally {
            refresher.release(snapshot);
        }
    }

    @Override
    public List<ScoredItem> search(float[] query, int k, ItemFilter filter, Set<ItemId> exclusions) {
        IndexSearcher snapshot = acquire();
        try {
            return searcher.search(snapshot, query, k, filter, exclusions);
        } catch (IOException e) {
            throw new UncheckedIOException("lucene-hnsw search failed on the index at " + location + ": " + e, e);
        } finally {
            refresher.release(snapshot);
        }
    }

    /** Whether the item is searchable now. */
    boolean contains(ItemId id) {
        IndexSearcher snapshot = acquire();
        try {
            return ItemDocuments.liveDocWithId(snapshot.getIndexReader(), id.value());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            refresher.release(snapshot);
        }
    }

    /** The ids of every searchable item the filter keeps, through the same translation searches use. */
    Set<ItemId> matchingIds(ItemFilter filter) {
        IndexSearcher snapshot = acquire();
        try {
            return FilterEligibility.matchingIds(snapshot, filter);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            refresher.release(snapshot);
        }
    }

    /** Segments in the current snapshot. */
    int segmentCount() {
        IndexSearcher snapshot = acquire();
        try {
            return snapshot.getIndexReader().leaves().size();
        } finally {
            refresher.release(snapshot);
        }
    }

    /** The generation of the last write that searches see (for tests): writes are numbered from 1. */
    long searchableGeneration() {
        return refresher.searchableGeneration();
    }

    /** The generation of the last write. */
    long writeGeneration() {
        return refresher.writeGeneration();
    }

    private IndexSearcher acquire() {
        session.ensureOpen();
        return refresher.acquire();
    }

    // ------------------------------------------------------------------ writes

    @Override
    public void index(Collection<IndexedItem> items) {
        session.index(items);
    }

    @Override
    public void add(IndexedItem item) {
        session.add(item);
    }

    @Override
    public void update(IndexedItem item) {
        session.update(item);
    }

    @Override
    public boolean remove(ItemId id) {
        return session.remove(id);
    }

    @Override
    public void commit() {
        session.commit();
    }

    /** Commits pending changes (on disk) and releases the index; idempotent. */
    @Override
    public void close() {
        session.close();
    }
}
