package dev.attentive.attention;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * A small bounded pool of a plugin's per-pass buffers, reused through {@link
 * dev.attentive.api.Attention.Pass#release()}. Large activation arrays that are allocated afresh at
 * every training step cost the JVM their clearing and, when they are larger than half a G1 region,
 * fresh memory to fault in: for {@code field-self-attention} that was over a third of its forward
 * time in the whole model (README). Safe for concurrent use: each buffer is handed to one pass at a
 * time, and the queue orders a release before the next acquire that returns the same buffer.
 *
 * @param <W> the buffer type
 */
final class WorkspacePool<W extends WorkspacePool.Sized> {
    /** A pooled buffer: how many rows it holds and how many bytes it keeps alive. */
    interface Sized {
        /** @return the number of rows the buffer has room for */
        int capacity();

        /** @return its size in bytes */
        long bytes();
    }

    private final ConcurrentLinkedQueue<W> free = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final int maxPooled;
    private final long maxBytes;
    private final IntFunction<W> factory;

    /**
     * @param maxPooled how many buffers to keep at most (about the number of passes alive at once)
     * @param maxBytes buffers larger than this are never kept (large inference batches)
     * @param factory makes a buffer for at least the given number of rows
     */
    WorkspacePool(int maxPooled, long maxBytes, IntFunction<W> factory) {
        this.maxPooled = maxPooled;
        this.maxBytes = maxBytes;
        this.factory = factory;
    }

    /** A buffer with room for {@code rows} rows: a pooled one when one is large enough, else a new one. */
    W acquire(int rows) {
        W w = free.poll();
        if (w != null) {
            size.decrementAndGet();
            if (w.capacity() >= rows) {
                return w;
            }
            // Too small for this batch: let it go; the new, larger one is pooled in its place.
        }
        return factory.apply(rows);
    }

    /** Returns a buffer that no pass uses any more. */
    void release(W w) {
        if (w.bytes() > maxBytes) {
            return;
        }
        if (size.incrementAndGet() <= maxPooled) {
            free.offer(w);
        } else {
            size.decrementAndGet();
        }
    }

    /** The number of buffers held now (for tests). */
    int pooled() {
        return size.get();
    }
}
