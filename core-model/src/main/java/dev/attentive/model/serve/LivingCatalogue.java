package dev.attentive.model.serve;

import dev.attentive.api.FeatureSchema;
import dev.attentive.api.Features;
import dev.attentive.api.IndexedItem;
import dev.attentive.api.ItemCatalogue;
import dev.attentive.api.ItemFilter;
import dev.attentive.api.ItemId;
import dev.attentive.api.Retriever;
import dev.attentive.api.ScoredItem;
import dev.attentive.model.nn.TwoTowerModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The two-tower recommender's living catalogue: the trained catalogue overlaid with the changes made
 * since (items put, items removed). A put item is embedded by the item tower from its features (an id
 * the model was trained on keeps its trained id row; any other id has no id row, as untrained
 * catalogue items had in training) and written to the retriever; a removed item leaves the retriever
 * and this view.
 *
 * <p>This view, not the retriever, decides what answers may hold: {@link #search} drops any hit the
 * view does not hold. So a removal is complete for every search that starts after {@link #remove}
 * returns, whatever the retriever's refresh policy, and a reopened persistent index that holds items
 * this view was not told about (changes made before a restart, until a journal replays them) never
 * shows them.
 *
 * <p>Thread safe. Reads ({@link #contains}, {@link #features}, {@link #size}, {@link #find},
 * {@link #search}) take no lock: the overlay is a concurrent map and each entry is immutable. Changes
 * are serialised by one lock, so the retriever and the overlay always change in the same order.
 */
final class LivingCatalogue implements ItemCatalogue {

    /** Embeds one item with the item tower: its unit vector. */
    @FunctionalInterface
    interface Embedder {
        float[] embed(ItemId id, Features features);
    }

    /** The unit vector of a trained catalogue item, by catalogue index. */
    @FunctionalInterface
    interface TrainedVectors {
        float[] vector(int index);
    }

    /**
     * A change since training: the item's features and unit vector as last put, and whether it has
     * been removed since (a removed item keeps what it had, so that an answer computed just before the
     * removal can still be explained).
     */
    private record Change(Features features, float[] vector, boolean removed) {
    }

    /**
     * An item as the catalogue knows it.
     *
     * @param id the item
     * @param features its features as last given
     * @param trainedIndex its index in the trained catalogue, or -1 when it was put after training
     * @param vector its unit vector when known without a forward pass (a put item's), else null
     */
    record Held(ItemId id, Features features, int trainedIndex, float[] vector) {
    }

    private final TwoTowerModel model;
    private final Retriever retriever;
    private final Embedder embedder;
    private final TrainedVectors trainedVectors;
    private final ConcurrentHashMap<ItemId, Change> changes = new ConcurrentHashMap<>();
    private final ReentrantLock writes = new ReentrantLock();
    private volatile int size;

    LivingCatalogue(TwoTowerModel model, Retriever retriever, Embedder embedder, TrainedVectors trainedVectors) {
        this.model = model;
        this.retriever = retriever;
        this.embedder = embedder;
        this.trainedVectors = trainedVectors;
        this.size = model.items.length;
    }

    @Override
    public FeatureSchema schema() {
        return model.itemSchema;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean contains(ItemId item) {
        return find(Objects.requireNonNull(item, "item")).isPresent();
    }

    @Override
    public Optional<Features> features(ItemId item) {
        return find(Objects.requireNonNull(item, "item")).map(Held::features);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Idempotent: putting the same features again leaves the same state (and returns false). The
     * item is written to the retriever with {@code update}, so a retriever that already holds it (a
     * reopened index) is fine.
     */
    @Override
    public boolean put(ItemId item, Features features) {
        Objects.requireNonNull(item, "item");
        Objects.requireNonNull(features, "features");
        model.itemSchema.check(features, "item " + item + " put into the catalogue");
        float[] vector = embedder.embed(item, features); // a pure function of the model: no lock needed
        writes.lock();
        try {
            boolean held = contains(item);
            retriever.update(new IndexedItem(item, vector, features));
            changes.put(item, new Change(features, vector, false));
            if (!held) {
                size++; // written under the lock only; readers see the volatile value
            }
            return !held;
        } finally {
            writes.unlock();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Idempotent: the item is removed from the retriever even when this view does not hold it (a
     * reopened index may still), and removing it again returns false.
     */
    @Override
    public boolean remove(ItemId item) {
        Objects.requireNonNull(item, "item");
        writes.lock();
        try {
            Optional<Held> held = find(item);
            if (held.isPresent()) {
                Held h = held.get();
                // The view first: from here on no answer holds the item, whatever the retriever still shows.
                changes.put(item, new Change(h.features(), h.vector(), true));
                size--;
            }
            retriever.remove(item);
            return held.isPresent();
        } finally {
            writes.unlock();
        }
    }

    /**
     * The item as the catalogue holds it now.
     *
     * @param item the item
     * @return it, or empty when it is not held (never known, or removed)
     */
    Optional<Held> find(ItemId item) {
        Change change = changes.get(item);
        if (change != null) {
            return change.removed() ? Optional.empty() : Optional.of(held(item, change));
        }
        Integer c = model.itemIndex.get(item);
        return c == null ? Optional.empty() : Optional.of(new Held(item, model.itemFeatures[c], c, null));
    }

    /**
     * The item as the catalogue last held it, removed or not: for explaining an answer that was
     * computed just before the item was removed.
     *
     * @throws IllegalArgumentException when the catalogue never held it
     */
    Held lastHeld(ItemId item) {
        Change change = changes.get(item);
        if (change != null) {
            return held(item, change);
        }
        Integer c = model.itemIndex.get(item);
        if (c == null) {
            throw unknownItem(item);
        }
        return new Held(item, model.itemFeatures[c], c, null);
    }

    private Held held(ItemId item, Change change) {
        Integer c = model.itemIndex.get(item);
        return new Held(item, change.features(), c == null ? -1 : c, change.vector());
    }

    /** The item's unit vector: a put item's as computed when put, a trained item's from the trained vectors. */
    float[] vector(Held item) {
        return item.vector() != null ? item.vector() : trainedVectors.vector(item.trainedIndex());
    }

    /**
     * The error for an item asked about that the catalogue does not hold: it says whether the item was
     * removed or never held, and what to do.
     */
    IllegalArgumentException unknownItem(ItemId item) {
        Change change = changes.get(item);
        if (change != null && change.removed()) {
            return new IllegalArgumentException("Unknown item '" + item + "': it was removed from the catalogue; "
                    + "put it back with catalogue().put(item, features) to serve it again");
        }
        return new IllegalArgumentException("Unknown item '" + item + "': the catalogue's " + size
                + " items do not include it; add it with catalogue().put(item, features) first");
    }

    /**
     * The retriever's nearest items that this view holds: a hit the view does not hold (removed while
     * the retriever still showed it, or left in a reopened index) is dropped, and the retriever is asked
     * for more until {@code k} held hits are found or it has no more.
     */
    List<ScoredItem> search(float[] query, int k, ItemFilter filter, Set<ItemId> exclusions) {
        int ask = k;
        while (true) {
            List<ScoredItem> hits = retriever.search(query, ask, filter, exclusions);
            List<ScoredItem> kept = new ArrayList<>(Math.min(k, hits.size()));
            for (ScoredItem hit : hits) {
                if (kept.size() < k && find(hit.id()).isPresent()) {
                    kept.add(hit);
                }
            }
            if (kept.size() == k || hits.size() < ask || ask >= Integer.MAX_VALUE / 2) {
                return kept;
            }
            ask = 2 * ask + (hits.size() - kept.size()); // every dropped hit and as many again
        }
    }
}
