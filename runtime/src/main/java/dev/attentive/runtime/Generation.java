package dev.attentive.runtime;

import dev.attentive.api.Recommender;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One served model with a reference count: the serving recommender holds one reference while the
 * model is current, and every request holds one while it runs. The model is closed when the count
 * drops to zero, which happens only after it stopped being current — so a request never sees a
 * closed model, and each request uses exactly one model (with its index) from start to end.
 * Thread safe.
 */
final class Generation {
    private static final System.Logger LOG = System.getLogger(Generation.class.getName());

    final long number;
    final Recommender model;
    private final Runnable afterClose;
    /** References; 0 means closed for good (no acquire can succeed again). */
    private final AtomicInteger references = new AtomicInteger(1);

    /**
     * @param number the generation number, from 1
     * @param model the model; this generation closes it
     * @param afterClose run once the model is closed (deletes a replaced generation's files)
     */
    Generation(long number, Recommender model, Runnable afterClose) {
        this.number = number;
        this.model = model;
        this.afterClose = afterClose;
    }

    /**
     * Takes a reference unless the generation was closed.
     *
     * @return whether the caller may use the model (and must then {@link #release})
     */
    boolean tryAcquire() {
        while (true) {
            int n = references.get();
            if (n <= 0) {
                return false;
            }
            if (references.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Drops a reference; the last one closes the model. */
    void release() {
        int n = references.decrementAndGet();
        if (n == 0) {
            try {
                model.close();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "Closing the model of generation " + number + " failed", e);
            }
            afterClose.run();
        } else if (n < 0) {
            throw new IllegalStateException("generation " + number + " released more often than acquired");
        }
    }
}
