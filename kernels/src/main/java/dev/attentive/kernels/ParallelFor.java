package dev.attentive.kernels;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Runs the parts of one computation on a bounded set of threads: {@code threads - 1} daemon worker
 * threads plus the calling thread, which always runs a part itself. Parts must write only their own
 * outputs; then results do not depend on scheduling.
 *
 * <p>Every call waits for all of its parts. If parts throw, the first failure (in part order) is
 * rethrown on the calling thread once all parts have ended, with the others added as suppressed:
 * unchecked exceptions and errors as they are, checked ones wrapped in an
 * {@link IllegalStateException}. An interrupt while waiting is rethrown as an
 * {@link IllegalStateException} with the interrupt flag restored.
 *
 * <p>Thread safety: one computation at a time per instance (calls from several threads at once are
 * safe but share the workers). Not reentrant: a part must not call back into the same instance. Close
 * it to stop the workers; a closed instance rejects further calls with {@link IllegalStateException}.
 *
 * @since 0.2.0
 */
public final class ParallelFor implements AutoCloseable {
    /**
     * A part of a range computation: the indices {@code [from, to)}.
     *
     * @since 0.2.0
     */
    @FunctionalInterface
    public interface RangeBody {
        /**
         * Runs the part.
         *
         * @param from the first index, inclusive
         * @param to the last index, exclusive
         * @since 0.2.0
         */
        void run(int from, int to);
    }

    private final int threads;
    private final ExecutorService pool;

    /**
     * Starts {@code threads - 1} daemon worker threads named {@code threadName} (none for 1).
     *
     * @param threads the most threads one call uses, the caller's included; at least 1
     * @param threadName the workers' name, as shown in thread dumps; not null
     * @throws IllegalArgumentException if {@code threads < 1}
     * @since 0.2.0
     */
    public ParallelFor(int threads, String threadName) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads
                    + "; use 1 to run everything on the calling thread");
        }
        if (threadName == null) {
            throw new NullPointerException("threadName: name the worker threads, for example \"attentive-train\"");
        }
        this.threads = threads;
        this.pool = threads > 1 ? Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        }) : null;
    }

    /**
     * Runs {@code body.accept(i)} for every {@code 0 <= i < n} on a temporary instance of
     * {@code threads} threads, handing indices out dynamically (see {@link #forEach(int, IntConsumer)}),
     * and stops its threads before returning. With {@code threads == 1} the indices run in order on
     * the calling thread.
     *
     * @param n how many indices, at least 0
     * @param threads the most threads to use, at least 1
     * @param body what to do per index; not null
     * @throws IllegalArgumentException if {@code threads < 1} or {@code n < 0}
     * @since 0.2.0
     */
    public static void forEach(int n, int threads, IntConsumer body) {
        if (threads == 1) {
            checkN(n);
            for (int i = 0; i < n; i++) {
                body.accept(i);
            }
            return;
        }
        try (ParallelFor p = new ParallelFor(threads, "attentive-parallel-for")) {
            p.forEach(n, body);
        }
    }

    /**
     * The most threads one call uses, the caller's included.
     *
     * @return at least 1
     * @since 0.2.0
     */
    public int threads() {
        return threads;
    }

    /**
     * Splits {@code [0, n)} into one contiguous part per thread (at most {@code n} parts, sizes
     * differing by at most one), runs them and waits for all. The caller runs the first part. Use it
     * when parts cost the same: the split is fixed, so per-part state (a row block of a matrix
     * product, say) is the same on every run.
     *
     * @param n how many indices, at least 0
     * @param body the part; not null
     * @since 0.2.0
     */
    public void range(int n, RangeBody body) {
        checkN(n);
        int parts = Math.min(threads, Math.max(1, n));
        if (parts == 1) {
            body.run(0, n);
            return;
        }
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 1; t < parts; t++) {
            int from = (int) ((long) n * t / parts);
            int to = (int) ((long) n * (t + 1) / parts);
            futures.add(submit(() -> body.run(from, to)));
        }
        Throwable first = runHere(() -> body.run(0, n / parts));
        join(first, futures);
    }

    /**
     * Runs {@code body.accept(i)} for every {@code 0 <= i < n}, each index exactly once, handing the
     * indices out one at a time to whichever thread is free: for uneven per-index costs. The order in
     * which indices run is not specified.
     *
     * @param n how many indices, at least 0
     * @param body what to do per index; not null
     * @since 0.2.0
     */
    public void forEach(int n, IntConsumer body) {
        checkN(n);
        int parts = Math.min(threads, Math.max(1, n));
        if (parts == 1) {
            for (int i = 0; i < n; i++) {
                body.accept(i);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        Runnable drain = () -> {
            for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                body.accept(i);
            }
        };
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 1; t < parts; t++) {
            futures.add(submit(drain));
        }
        Throwable first = runHere(drain);
        join(first, futures);
    }

    /**
     * Runs independent tasks, the first on the calling thread and the others on the workers (queued
     * when there are more tasks than threads), and waits for all.
     *
     * @param tasks the tasks; not null, none null
     * @since 0.2.0
     */
    public void all(Runnable... tasks) {
        if (pool == null) {
            for (Runnable r : tasks) {
                r.run();
            }
            return;
        }
        if (tasks.length == 0) {
            return;
        }
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 1; i < tasks.length; i++) {
            futures.add(submit(tasks[i]));
        }
        Throwable first = runHere(tasks[0]);
        join(first, futures);
    }

    private Future<?> submit(Runnable task) {
        if (pool.isShutdown()) {
            throw new IllegalStateException("this ParallelFor is closed; create a new one");
        }
        return pool.submit(task);
    }

    private static Throwable runHere(Runnable task) {
        try {
            task.run();
            return null;
        } catch (RuntimeException | Error e) {
            return e;
        }
    }

    /** Waits for every part, then rethrows the first failure with the rest suppressed. */
    private static void join(Throwable first, List<Future<?>> futures) {
        Throwable failure = first;
        boolean interrupted = false;
        for (Future<?> f : futures) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    // Keep waiting: parts still write into the caller's arrays.
                    interrupted = true;
                } catch (ExecutionException e) {
                    failure = add(failure, e.getCause());
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
            failure = add(failure, new IllegalStateException("interrupted while waiting for parallel parts; the "
                    + "parts were allowed to finish"));
        }
        if (failure instanceof RuntimeException re) {
            throw re;
        }
        if (failure instanceof Error err) {
            throw err;
        }
        if (failure != null) {
            throw new IllegalStateException("a parallel part failed: " + failure, failure);
        }
    }

    private static Throwable add(Throwable first, Throwable next) {
        if (first == null) {
            return next;
        }
        if (first != next) {
            first.addSuppressed(next);
        }
        return first;
    }

    private static void checkN(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be at least 0, got " + n);
        }
    }

    /**
     * Stops the worker threads (interrupting parts still running). Idempotent.
     *
     * @since 0.2.0
     */
    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
