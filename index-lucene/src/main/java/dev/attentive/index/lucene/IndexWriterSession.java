package dev.attentive.index.lucene;

import dev.attentive.api.IndexedItem;
import dev.attentive.api.ItemId;
import dev.attentive.api.Similarity;
import dev.attentive.api.spi.RetrieverSpec;
import dev.attentive.index.lucene.LuceneHnswRetrieverProvider.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.store.Directory;

/**
 * Every change to the index: bulk {@code index}, {@code add} / {@code update} / {@code remove},
 * {@code commit} and {@code close}. Writes are serialised by one lock, validated before they reach
 * Lucene, and reported to the {@link NrtRefresher} once done. This session owns the directory, the
 * writer and the merge threads, and closes them. Thread safe.
 *
 * <p>Interrupts: Lucene's file channels are interruptible. A write, commit or close made on a thread
 * whose interrupt status is set failed with {@code ClosedByInterruptException}, and the channel it
 * closed can be the index's lock file, after which the writer could neither commit nor close (close
 * rolled back what was not yet committed). So each of those calls runs with the caller's interrupt
 * status cleared and sets it again before returning: an interrupt that came before the call does not
 * break the index, and the caller still sees it. An interrupt that arrives while the call is doing
 * I/O still hits Lucene; that is Lucene's own limitation. An interrupt that arrives while a bulk
 * {@link #index} waits for its indexing threads cancels it, as before (one set before the call is
 * deferred to its end, like any other).
 */
final class IndexWriterSession {
    private static final System.Logger LOG = System.getLogger(IndexWriterSession.class.getName());
    private static final double UNIT_NORM_TOLERANCE = 1e-3;
    /** Smaller bulk loads build their graph while flushing, as any write does. */
    static final int BULK_GRAPH_MIN_ITEMS = 10_000;
    /** Pending writes kept before known-searchable ones are pruned (and, if still full, a reopen forced). */
    private static final int MAX_PENDING = 100_000;

    private final Config config;
    private final RetrieverSpec spec;
    private final String location;
    private final Directory directory;
    private final IndexWriter writer;
    private final NrtRefresher refresher;
    private final ExecutorService mergeExecutor;
    /** Set while a bulk {@link #index} loads: flushed segments get no graph, the final merge builds it. */
    private final AtomicBoolean graphlessFlush;
    private final FieldType vectorType;
    private final ReentrantLock writeLock = new ReentrantLock();
    /** The last write per id not yet known to be searchable (guarded by writeLock): answers add/remove checks. */
    private final Map<String, Pending> pending = new HashMap<>();
    private volatile boolean closed;

    private record Pending(boolean present, long generation) {
    }

    @FunctionalInterface
    private interface Write {
        void run() throws IOException;
    }

    IndexWriterSession(Config config, RetrieverSpec spec, String location, Directory directory, IndexWriter writer,
            NrtRefresher refresher, ExecutorService mergeExecutor, AtomicBoolean graphlessFlush) {
        this.config = config;
        this.spec = spec;
        this.location = location;
        this.directory = directory;
        this.writer = writer;
        this.refresher = refresher;
        this.mergeExecutor = mergeExecutor;
        this.graphlessFlush = graphlessFlush;
        this.vectorType = KnnFloatVectorField.createFieldType(spec.dimension(), luceneSimilarity(spec.similarity()));
    }

    private static VectorSimilarityFunction luceneSimilarity(Similarity similarity) {
        return switch (similarity) {
            case DOT_PRODUCT -> VectorSimilarityFunction.DOT_PRODUCT;
            case MAXIMUM_INNER_PRODUCT -> VectorSimilarityFunction.MAXIMUM_INNER_PRODUCT;
        };
    }

    /** Replaces the whole catalogue (see {@link LuceneHnswRetrieverProvider.Config#bulkGraphBuild()}). */
    void index(Collection<IndexedItem> items) {
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
                    ordered = inLocalityOrder(ordered);
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
            long addNanos = added - start;
            long mergeNanos = System.nanoTime() - added;
            LOG.log(System.Logger.Level.DEBUG, () -> String.format(Locale.ROOT,
                    "Indexed %d items into the lucene-hnsw index at %s: add/flush %.1f s, merge %.1f s (bulk graph "
                    + "build %s)", items.size(), location, addNanos / 1e9, mergeNanos / 1e9, bulk ? "on" : "off"));
            pending.clear();
            // searchable before index() returns; write() bumps once more, a no-op reopen for the next search
            refresher.writeCompleted();
            refresher.refreshIfStale();
        });
    }

    private static List<IndexedItem> inLocalityOrder(List<IndexedItem> items) {
        float[][] vectors = new float[items.size()][];
        for (int i = 0; i < vectors.length; i++) {
            vectors[i] = items.get(i).vector();
        }
        int[] order = LocalityOrder.of(vectors);
        IndexedItem[] permuted = new IndexedItem[order.length];
        for (int i = 0; i < order.length; i++) {
            permuted[i] = items.get(order[i]);
        }
        return Arrays.asList(permuted);
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

    void add(IndexedItem item) {
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

    void update(IndexedItem item) {
        checkItem(item);
        write(() -> {
            writer.updateDocument(ItemDocuments.idTerm(item.id().value()), ItemDocuments.toDocument(item, vectorType));
            noteWrite(item.id().value(), true);
        });
    }

    boolean remove(ItemId id) {
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

    void commit() {
        boolean interrupted = Thread.interrupted(); // see the class comment
        writeLock.lock();
        try {
            ensureOpen();
            writer.setLiveCommitData(IndexCompatibility.metadata(spec).entrySet());
            writer.commit();
            refresher.refreshIfStale(); // committed writes are searchable in every refresh mode
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot commit the lucene-hnsw index at " + location + ": " + e, e);
        } finally {
            writeLock.unlock();
            restoreInterrupt(interrupted);
        }
    }

    private void write(Write change) {
        boolean interrupted = Thread.interrupted(); // see the class comment
        writeLock.lock();
        try {
            ensureOpen();
            change.run();
            refresher.writeCompleted(); // the next search refreshes: visible once this call returns
        } catch (IOException e) {
            throw new UncheckedIOException("Write to the lucene-hnsw index at " + location + " failed: " + e, e);
        } finally {
            writeLock.unlock();
            restoreInterrupt(interrupted);
        }
    }

    /** Sets the thread's interrupt status again if it was set when the call began. */
    private static void restoreInterrupt(boolean interrupted) {
        if (interrupted) {
            Thread.currentThread().interrupt();
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

    /**
     * Whether the id is indexed, counting writes not yet searchable: the last write to an id since
     * the last refresh decides; otherwise the current snapshot does. Called under the write lock.
     */
    private boolean indexedForWrite(String id) throws IOException {
        Pending p = pending.get(id);
        if (p != null) {
            return p.present();
        }
        IndexSearcher searcher = refresher.acquireCurrent();
        try {
            return ItemDocuments.liveDocWithId(searcher.getIndexReader(), id);
        } finally {
            refresher.release(searcher);
        }
    }

    private void noteWrite(String id, boolean present) {
        long generation = refresher.writeGeneration() + 1; // the generation this write completes
        if (pending.size() >= MAX_PENDING) {
            long searchable = refresher.searchableGeneration();
            pending.values().removeIf(p -> p.generation() <= searchable);
            if (pending.size() >= MAX_PENDING) {
                refresher.refreshIfStale(generation - 1);
                long now = refresher.searchableGeneration();
                pending.values().removeIf(p -> p.generation() <= now);
            }
        }
        pending.put(id, new Pending(present, generation));
    }

    void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("This lucene-hnsw retriever (" + location + ") is closed");
        }
    }

    /**
     * Commits pending changes (on disk) and releases the index; idempotent. If Lucene had already
     * closed the writer after a failure (its "tragic" exception: a failed flush or commit rolls the
     * writer back), there is nothing left to commit: the index is released and this throws, rather
     * than return as if the writes since the last commit were saved.
     */
    void close() {
        boolean interrupted = Thread.interrupted(); // see the class comment
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            boolean writerLost = !writer.isOpen();
            try (directory; writer; refresher) {
                if (!writerLost) {
                    writer.setLiveCommitData(IndexCompatibility.metadata(spec).entrySet());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Closing the lucene-hnsw index at " + location + " failed: " + e, e);
            } finally {
                if (mergeExecutor != null) {
                    mergeExecutor.shutdownNow();
                }
            }
            if (writerLost) {
                Throwable cause = writer.getTragicException();
                throw new IllegalStateException("The lucene-hnsw index at " + location + " lost its writer before close"
                        + (cause == null ? "" : " (" + cause + ")") + ", so the writes since its last successful commit "
                        + "were not saved; reopen the index to see what it holds and write the missing items again",
                        cause);
            }
        } finally {
            writeLock.unlock();
            restoreInterrupt(interrupted);
        }
    }
}
