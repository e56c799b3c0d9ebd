package dev.attentive.runtime;

import dev.attentive.api.FeatureSchema;
import dev.attentive.api.Features;
import dev.attentive.api.ItemCatalogue;
import dev.attentive.api.ItemFilter;
import dev.attentive.api.ItemId;
import dev.attentive.api.Recommendation;
import dev.attentive.api.RecommendationRequest;
import dev.attentive.api.RecommendationResponse;
import dev.attentive.api.Recommender;
import dev.attentive.api.spi.EpochStats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The recommender a host application serves from, as {@link Attentive} builds it: requests go to
 * the current model, the {@link #catalogue() catalogue} journals every change, and the model can be
 * replaced while requests run ({@link #swap(Recommender)}, {@link #swap(Path)}, {@link #retrain()}).
 *
 * <h2>Requests</h2>
 * Each request ({@link #recommend}, {@link #respond}, {@link #similarItems}, the catalogue's reads)
 * holds one model from start to end: it sees the old model and its index or the new ones, never a
 * mix. A replaced model is closed when its last request ends.
 *
 * <h2>The catalogue</h2>
 * {@link #catalogue()} adds, updates and removes items in the current model (its item tower embeds
 * them). Each change is applied and then recorded; with an index directory it is appended to
 * {@code journal.jsonl} there and fsync'd before the call returns, so an acknowledged change
 * survives a crash: opening the directory again replays the journal onto the model. Without one,
 * the changes since the recommender was built are kept in memory. Writes are serialised.
 *
 * <h2>Swaps</h2>
 * A swap brings the new model to the current catalogue by replaying every recorded change onto it
 * (the latest change per item; puts and removes are idempotent) — first without blocking catalogue
 * writes, then, with writes blocked, the changes made meanwhile — and then switches atomically, so
 * an item removed before the swap stays removed after it. With an index directory the new model is
 * saved there first and becomes the committed generation ({@code serving.json} replaced atomically)
 * before requests see it; after a crash the directory serves the last committed generation and
 * deletes anything half-written. Swaps are serialised; a failed swap leaves the current model
 * serving.
 *
 * <p>Thread safe. Close it when the application stops; closing waits for no request (each in-flight
 * request finishes on its model, which is closed after it).
 *
 * @since 0.2.0
 */
public final class ServingRecommender implements Recommender {
    private static final System.Logger LOG = System.getLogger(ServingRecommender.class.getName());

    private final Plan plan;
    private final Consumer<EpochStats> progress;
    private final ServingDirectory directory;
    private final ChangeLog log;
    /** Serialises catalogue writes with each other and with the switch of a swap. */
    private final ReentrantLock writeLock = new ReentrantLock();
    /** Serialises swaps (and close). */
    private final ReentrantLock swapLock = new ReentrantLock();
    private final JournaledCatalogue catalogue = new JournaledCatalogue();
    private volatile Generation current;
    private volatile boolean closed;

    private ServingRecommender(Plan plan, Consumer<EpochStats> progress, ServingDirectory directory, ChangeLog log,
            long generation, Recommender model) {
        this.plan = plan;
        this.progress = progress;
        this.directory = directory;
        this.log = log;
        this.current = new Generation(generation, model, cleanup(generation));
    }

    /**
     * Opens the serving directory (if any), then serves its committed model, or else trains or loads the
     * plan's model, and replays the recorded catalogue changes onto it.
     */
    static ServingRecommender open(Plan plan, Consumer<EpochStats> progress) {
        ServingDirectory directory = null;
        ChangeLog log = null;
        Recommender model = null;
        try {
            if (plan.indexDirectory() != null) {
                directory = ServingDirectory.open(plan.indexDirectory());
                log = ChangeLog.open(directory.journal());
            } else {
                log = ChangeLog.inMemory();
            }
            Optional<ServingDirectory.State> state = directory == null ? Optional.empty() : directory.state();
            long generation;
            if (state.isPresent()) {
                generation = state.get().generation();
                if (!state.get().configFingerprint().equals(plan.fingerprint())) {
                    LOG.log(System.Logger.Level.WARNING, "The config that produced the model in {0} differs from this "
                            + "one; serving the directory''s committed model (generation {1}). Call retrain() to train "
                            + "from this config, or start from an empty directory.", directory.root(), generation);
                }
                model = ModelWiring.load(directory.model(generation), plan.retriever(), directory.index(generation));
            } else {
                generation = 1;
                if (plan.load() != null) {
                    Path source = directory == null ? plan.load() : directory.copyModel(plan.load(), generation);
                    model = ModelWiring.load(source, plan.retriever(), directory == null ? null
                            : directory.index(generation));
                } else {
                    model = ModelWiring.adopt(Training.train(plan, progress), directory, generation,
                            plan.retriever());
                }
            }
            ChangeLog.replay(log.snapshot(), model, "the journal");
            if (directory != null && state.isEmpty()) {
                directory.commit(generation, plan.fingerprint());
            }
            return new ServingRecommender(plan, progress, directory, log, generation, model);
        } catch (IOException e) {
            closeQuietly(model, log, directory, e);
            throw new UncheckedIOException("Cannot open the index directory " + plan.indexDirectory() + ": "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(model, log, directory, e);
            throw e;
        }
    }

    private static void closeQuietly(Recommender model, ChangeLog log, ServingDirectory directory, Exception cause) {
        for (AutoCloseable c : new AutoCloseable[] {model, log, directory}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    cause.addSuppressed(e);
                }
            }
        }
    }

    private Runnable cleanup(long generation) {
        return directory == null ? () -> { } : () -> directory.deleteGeneration(generation);
    }

    private Generation acquire() {
        while (true) {
            Generation g = current;
            if (g.tryAcquire()) {
                return g;
            }
            if (closed) {
                throw new IllegalStateException("This serving recommender is closed");
            }
            Thread.onSpinWait(); // a swap has just replaced g; the next read sees its successor
        }
    }

    private <T> T withModel(Function<Recommender, T> call) {
        Generation g = acquire();
        try {
            return call.apply(g.model);
        } finally {
            g.release();
        }
    }

    @Override
    public List<Recommendation> recommend(RecommendationRequest request) {
        return withModel(m -> m.recommend(request));
    }

    @Override
    public RecommendationResponse respond(RecommendationRequest request) {
        return withModel(m -> m.respond(request));
    }

    @Override
    public List<Recommendation> similarItems(ItemId item, int k, ItemFilter filter) {
        return withModel(m -> m.similarItems(item, k, filter));
    }

    /**
     * The living catalogue, journaled as the class comment describes. Reads see the current model's
     * catalogue; {@code put} and {@code remove} return once the change is applied and recorded (with an
     * index directory: fsync'd to the journal).
     *
     * @return the catalogue, the same object on every call
     * @throws UnsupportedOperationException from its writes, when the current model has a fixed catalogue
     */
    @Override
    public ItemCatalogue catalogue() {
        return catalogue;
    }

    /**
     * The number of the model serving now: 1 for the first, one more after each swap (with an index
     * directory, counted across restarts).
     *
     * @return the generation
     */
    public long generation() {
        return current.number;
    }

    /**
     * The serving directory.
     *
     * @return the index directory, or empty when everything is kept in memory
     */
    public Optional<Path> indexDirectory() {
        return Optional.ofNullable(directory).map(ServingDirectory::root);
    }

    /**
     * Replaces the model with another, bringing it to the current catalogue first (see the class
     * comment). With an index directory the model is saved there as the next generation (it must be a
     * {@code two-tower} or {@code two-stage} model) and committed before it serves. With a configured
     * {@code retriever} it must be a {@code two-tower} model, served through that retriever (its index in
     * the index directory when the retriever keeps one on disk).
     *
     * @param newModel the model to serve; this recommender owns it from now on (and closes it when the
     *     swap fails)
     * @throws IllegalStateException when the recorded changes do not fit the new model (naming the
     *     change) or this recommender is closed; the current model keeps serving
     * @throws IllegalArgumentException when the model cannot be saved to the index directory
     * @throws UncheckedIOException when writing the index directory fails
     */
    public void swap(Recommender newModel) {
        Objects.requireNonNull(newModel, "newModel");
        swapLock.lock();
        try {
            if (closed) {
                newModel.close();
                throw new IllegalStateException("This serving recommender is closed");
            }
            long generation = current.number + 1;
            install(ModelWiring.adopt(newModel, directory, generation, plan.retriever()), generation);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot save the new model in " + directory.root() + ": " + e.getMessage(), e);
        } finally {
            swapLock.unlock();
        }
    }

    /**
     * Replaces the model with one saved by {@code TwoTowerModels.save}, as {@link #swap(Recommender)}
     * does. With an index directory the model's files are copied there first.
     *
     * @param savedModelDir the saved model's directory
     * @throws IllegalArgumentException when the directory holds no saved model
     * @throws IllegalStateException as {@link #swap(Recommender)}
     * @throws UncheckedIOException when the model cannot be read or copied
     */
    public void swap(Path savedModelDir) {
        Objects.requireNonNull(savedModelDir, "savedModelDir");
        Path source = savedModelDir.toAbsolutePath().normalize();
        if (!Files.isRegularFile(source.resolve("model.json"))) {
            throw new IllegalArgumentException("Cannot swap to " + source + ": it is not a saved model (no model.json); "
                    + "name the directory TwoTowerModels.save wrote");
        }
        swapLock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("This serving recommender is closed");
            }
            long generation = current.number + 1;
            Path dir = directory == null ? source : directory.copyModel(source, generation);
            Recommender model;
            try {
                model = ModelWiring.load(dir, plan.retriever(), directory == null ? null : directory.index(generation));
            } catch (IOException | RuntimeException e) {
                if (directory != null) {
                    directory.deleteGeneration(generation);
                }
                throw e;
            }
            install(model, generation);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot swap to the model in " + source + ": " + e.getMessage(), e);
        } finally {
            swapLock.unlock();
        }
    }

    /**
     * Trains a new model as the configuration says — the data is read again (files are re-read, a
     * dataset given in code is reused), validation held out, the same provider, settings and seed —
     * and swaps to it as {@link #swap(Recommender)} does. Requests and catalogue writes go on while it
     * trains.
     *
     * @throws IllegalStateException when the recommender was built from a saved model (there is no
     *     training data), or as {@link #swap(Recommender)}
     */
    public void retrain() {
        if (plan.data() == null) {
            throw new IllegalStateException("retrain() needs training data, but this recommender serves the saved model "
                    + plan.load() + "; save a new model and call swap(Path) instead");
        }
        swapLock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("This serving recommender is closed");
            }
            long generation = current.number + 1;
            Recommender trained = Training.train(plan, progress);
            install(ModelWiring.adopt(trained, directory, generation, plan.retriever()), generation);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot save the retrained model in " + directory.root() + ": "
                    + e.getMessage(), e);
        } finally {
            swapLock.unlock();
        }
    }

    /** Replays the recorded changes onto the new model, commits it and switches; called under the swap lock. */
    private void install(Recommender fresh, long generation) {
        Generation old;
        try {
            List<ChangeLog.Change> first;
            long upTo;
            writeLock.lock();
            try {
                first = log.snapshot();
                upTo = log.lastSeq();
            } finally {
                writeLock.unlock();
            }
            ChangeLog.replay(first, fresh, "the catalogue changes");
            writeLock.lock();
            try {
                ChangeLog.replay(log.since(upTo), fresh, "the catalogue changes");
                if (directory != null) {
                    directory.commit(generation, null);
                }
                old = current;
                current = new Generation(generation, fresh, cleanup(generation));
            } finally {
                writeLock.unlock();
            }
        } catch (IOException | RuntimeException e) {
            fresh.close();
            if (directory != null) {
                directory.deleteGeneration(generation);
            }
            if (e instanceof IOException io) {
                throw new UncheckedIOException("Cannot commit generation " + generation + " in " + directory.root()
                        + ": " + io.getMessage(), io);
            }
            throw (RuntimeException) e;
        }
        LOG.log(System.Logger.Level.INFO, "Serving generation {0}", generation);
        old.release();
        if (directory != null) {
            writeLock.lock();
            try {
                log.compactIfLarge();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "Cannot compact the journal " + directory.journal()
                        + "; it keeps growing until the next swap", e);
            } finally {
                writeLock.unlock();
            }
        }
    }

    /**
     * Stops serving: later calls fail, in-flight requests finish on their model, which is then closed;
     * the journal is closed and the index directory unlocked. Idempotent.
     */
    @Override
    public void close() {
        swapLock.lock();
        try {
            writeLock.lock();
            try {
                if (closed) {
                    return;
                }
                closed = true;
            } finally {
                writeLock.unlock();
            }
            current.release();
            Exception failure = null;
            for (AutoCloseable c : new AutoCloseable[] {log, directory}) {
                if (c != null) {
                    try {
                        c.close();
                    } catch (Exception e) {
                        failure = e;
                    }
                }
            }
            if (failure != null) {
                throw new UncheckedIOException("Closing the serving recommender failed: " + failure.getMessage(),
                        failure instanceof IOException io ? io : new IOException(failure));
            }
        } finally {
            swapLock.unlock();
        }
    }

    @Override
    public String toString() {
        return "ServingRecommender[generation " + current.number + ", "
                + (directory == null ? "in memory" : directory.root().toString()) + (closed ? ", closed" : "") + "]";
    }

    /** The journaled catalogue over the current model's. */
    private final class JournaledCatalogue implements ItemCatalogue {
        @Override
        public FeatureSchema schema() {
            return withModel(m -> m.catalogue().schema());
        }

        @Override
        public int size() {
            return withModel(m -> m.catalogue().size());
        }

        @Override
        public boolean contains(ItemId item) {
            return withModel(m -> m.catalogue().contains(item));
        }

        @Override
        public Optional<Features> features(ItemId item) {
            return withModel(m -> m.catalogue().features(item));
        }

        @Override
        public boolean put(ItemId item, Features features) {
            Objects.requireNonNull(item, "item");
            Objects.requireNonNull(features, "features");
            return change(item, features);
        }

        @Override
        public boolean remove(ItemId item) {
            Objects.requireNonNull(item, "item");
            return change(item, null);
        }

        /** Applies a change to the current model, then records it; undoes it when it cannot be recorded. */
        private boolean change(ItemId item, Features features) {
            writeLock.lock();
            try {
                if (closed) {
                    throw new IllegalStateException("This serving recommender is closed");
                }
                // Under the write lock the current generation cannot be switched, and it holds its own
                // reference, so its model stays open.
                ItemCatalogue target = current.model.catalogue();
                Optional<Features> before = target.features(item);
                boolean result = features == null ? target.remove(item) : target.put(item, features);
                try {
                    log.record(item, features);
                } catch (IOException e) {
                    if (before.isPresent()) {
                        target.put(item, before.get());
                    } else {
                        target.remove(item);
                    }
                    throw new UncheckedIOException("Cannot write the catalogue journal " + directory.journal() + " ("
                            + e.getMessage() + "); the change to item " + item + " was undone", e);
                }
                return result;
            } finally {
                writeLock.unlock();
            }
        }
    }
}
