package dev.attentive.index.lucene;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherFactory;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.AlreadyClosedException;

/**
 * Decides when searches see writes. Every write bumps a generation; the first search that finds its
 * snapshot older than the last write reopens the near-real-time reader (one reopen covers any number
 * of writes, other searches wait for it), so a write is visible to every search that starts after
 * its call returns. With a refresh interval, searches instead reopen at most that often and never
 * wait. Thread safe.
 */
final class NrtRefresher implements Closeable {
    private final SearcherManager searchers;
    private final int refreshIntervalMs;
    private final String location;
    /** Bumped after every write; a search refreshes when the snapshot is older than this. */
    private final AtomicLong writeGeneration = new AtomicLong();
    private volatile long searchableGeneration;
    private final ReentrantLock refreshLock = new ReentrantLock();
    private volatile long lastRefreshNanos = System.nanoTime();

    NrtRefresher(IndexWriter writer, int refreshIntervalMs, String location) throws IOException {
        this.searchers = new SearcherManager(writer, new SearcherFactory() {
            @Override
            public IndexSearcher newSearcher(IndexReader reader, IndexReader previousReader) {
                IndexSearcher searcher = new IndexSearcher(reader);
                searcher.setQueryCache(null); // filters are cached by FilterEligibility, per snapshot
                return searcher;
            }
        });
        this.refreshIntervalMs = refreshIntervalMs;
        this.location = location;
    }

    /** A searcher for a search: reopened first when stale (see the class comment). Release it. */
    IndexSearcher acquire() {
        try {
            refreshForSearch();
            return searchers.acquire();
        } catch (AlreadyClosedException e) {
            throw new IllegalStateException("This lucene-hnsw retriever (" + location + ") is closed", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The current snapshot, never reopened: for checks under the write lock. Release it. */
    IndexSearcher acquireCurrent() throws IOException {
        return searchers.acquire();
    }

    void release(IndexSearcher searcher) {
        try {
            searchers.release(searcher);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Records a completed write: the next search refreshes, so it is visible once the write returns. */
    void writeCompleted() {
        writeGeneration.incrementAndGet();
    }

    /** The generation of the last write that searches see: writes are numbered from 1. */
    long searchableGeneration() {
        return searchableGeneration;
    }

    /** The generation of the last write. */
    long writeGeneration() {
        return writeGeneration.get();
    }

    /** Before a search: reopen when stale, right away (interval 0) or at most every refresh interval. */
    private void refreshForSearch() {
        long target = writeGeneration.get();
        if (searchableGeneration >= target) {
            return;
        }
        if (refreshIntervalMs == 0) {
            refreshIfStale(target);
            return;
        }
        if (System.nanoTime() - lastRefreshNanos < refreshIntervalMs * 1_000_000L || !refreshLock.tryLock()) {
            return; // serve the current snapshot; someone else reopens, or the interval has not passed
        }
        try {
            reopen();
        } finally {
            refreshLock.unlock();
        }
    }

    /** Makes every write so far searchable. */
    void refreshIfStale() {
        refreshIfStale(writeGeneration.get());
    }

    /** Makes every write up to {@code target} searchable; one thread reopens, the others wait for it. */
    void refreshIfStale(long target) {
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

    @Override
    public void close() throws IOException {
        searchers.close();
    }
}
