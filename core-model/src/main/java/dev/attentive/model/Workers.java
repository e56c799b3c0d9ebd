package dev.attentive.model;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A fixed set of threads that run disjoint parts of one computation; the calling thread runs the
 * first part. Each part writes only its own outputs, so results do not depend on scheduling. Close
 * it to stop the threads.
 */
public final class Workers implements AutoCloseable {
    /** A part of a range computation: rows {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeTask {
        void run(int from, int to);
    }

    final int threads;
    private final ExecutorService pool;

    public Workers(int threads) {
        this.threads = threads;
        this.pool = threads > 1 ? Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "attentive-train");
            t.setDaemon(true);
            return t;
        }) : null;
    }

    /** Splits {@code [0, n)} into one contiguous part per thread and waits for all. */
    public void range(int n, RangeTask task) {
        int parts = Math.min(threads, Math.max(1, n));
        if (parts == 1) {
            task.run(0, n);
            return;
        }
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 1; t < parts; t++) {
            int from = (int) ((long) n * t / parts);
            int to = (int) ((long) n * (t + 1) / parts);
            futures.add(pool.submit(() -> task.run(from, to)));
        }
        task.run(0, n / parts);
        join(futures);
    }

    /** Runs independent tasks, the first on the calling thread, and waits for all. */
    public void all(Runnable... tasks) {
        if (pool == null) {
            for (Runnable r : tasks) {
                r.run();
            }
            return;
        }
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 1; i < tasks.length; i++) {
            futures.add(pool.submit(tasks[i]));
        }
        tasks[0].run();
        join(futures);
    }

    private static void join(List<Future<?>> futures) {
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while training", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                if (e.getCause() instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(e.getCause());
            }
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
