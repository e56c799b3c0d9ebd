package dev.attentive.examples.service;

import dev.attentive.api.FeatureSchema;
import dev.attentive.api.Features;
import dev.attentive.api.ItemCatalogue;
import dev.attentive.api.ItemFilter;
import dev.attentive.api.ItemId;
import dev.attentive.api.Recommendation;
import dev.attentive.api.RecommendationRequest;
import dev.attentive.api.RecommendationResponse;
import dev.attentive.api.Recommender;
import dev.attentive.model.TwoTowerModels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

/**
 * A recommender whose model can be replaced while it serves: every call runs under a read lock on
 * the current model, and a swap loads the new model first, then takes the write lock only to switch
 * (so it waits for the calls under way) and closes the old model after. Its catalogue is the current
 * model's at each call.
 */
final class SwappableRecommender implements Recommender, ModelSwap {
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private Recommender current;
    private boolean closed;

    SwappableRecommender(Recommender initial) {
        this.current = Objects.requireNonNull(initial, "initial");
    }

    private <T> T withCurrent(Function<Recommender, T> call) {
        lock.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("The recommender is closed");
            }
            return call.apply(current);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void swap(Path modelDir) throws IOException {
        Recommender next = TwoTowerModels.load(modelDir);
        Recommender previous;
        lock.writeLock().lock();
        try {
            if (closed) {
                next.close();
                throw new IllegalStateException("The recommender is closed; it cannot take a new model");
            }
            previous = current;
            current = next;
        } finally {
            lock.writeLock().unlock();
        }
        previous.close();
    }

    @Override
    public List<Recommendation> recommend(RecommendationRequest request) {
        return withCurrent(r -> r.recommend(request));
    }

    @Override
    public RecommendationResponse respond(RecommendationRequest request) {
        return withCurrent(r -> r.respond(request));
    }

    @Override
    public List<Recommendation> similarItems(ItemId item, int k, ItemFilter filter) {
        return withCurrent(r -> r.similarItems(item, k, filter));
    }

    @Override
    public ItemCatalogue catalogue() {
        withCurrent(Recommender::catalogue); // fails now when the current model has a fixed catalogue
        return new ItemCatalogue() {
            @Override
            public FeatureSchema schema() {
                return withCurrent(r -> r.catalogue().schema());
            }

            @Override
            public int size() {
                return withCurrent(r -> r.catalogue().size());
            }

            @Override
            public boolean contains(ItemId item) {
                return withCurrent(r -> r.catalogue().contains(item));
            }

            @Override
            public Optional<Features> features(ItemId item) {
                return withCurrent(r -> r.catalogue().features(item));
            }

            @Override
            public boolean put(ItemId item, Features features) {
                return withCurrent(r -> r.catalogue().put(item, features));
            }

            @Override
            public boolean remove(ItemId item) {
                return withCurrent(r -> r.catalogue().remove(item));
            }
        };
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                current.close();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
