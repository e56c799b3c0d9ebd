package dev.attentive.api;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Stores item vectors with their attributes and finds the nearest to a query vector.
 *
 * <p>Searches are safe to run concurrently with each other and with updates; an update is visible
 * to searches that start after the updating call returns (or after {@link #commit()} for
 * retrievers that document so). Vectors must all have {@link #dimension()} components.
 *
 * @since 0.1.0
 */
public interface Retriever extends AutoCloseable {

    /**
     * The number of components of every vector.
     *
     * @return the dimension
     */
    int dimension();

    /**
     * The number of items searchable now.
     *
     * @return the item count
     */
    int size();

    /**
     * Replaces the whole catalogue with these items.
     *
     * @param items items with unique ids
     * @throws IllegalArgumentException on a duplicate id or a vector of the wrong dimension
     */
    void index(Collection<IndexedItem> items);

    /**
     * Adds an item that is not in the index yet.
     *
     * @param item the item
     * @throws IllegalArgumentException when the id is already indexed or the dimension is wrong
     */
    void add(IndexedItem item);

    /**
     * Replaces an item's vector and attributes, adding it when absent.
     *
     * @param item the item
     */
    void update(IndexedItem item);

    /**
     * Removes an item.
     *
     * @param id the item id
     * @return whether the item was indexed
     */
    boolean remove(ItemId id);

    /**
     * The items nearest to the query that pass the filter and are not excluded.
     *
     * @param query the query vector, {@link #dimension()} components
     * @param k at most this many results, at least 1
     * @param filter attributes an item must match (applied during the search, never after)
     * @param exclusions ids never returned
     * @return at most k hits by descending score; exactly k when at least k items are eligible
     *     (approximate retrievers document their recall)
     */
    List<ScoredItem> search(float[] query, int k, ItemFilter filter, Set<ItemId> exclusions);

    /**
     * Makes every change durable where the retriever persists. The default does nothing.
     */
    default void commit() {
    }

    /** Releases the retriever's resources; searching after closing fails. */
    @Override
    void close();
}
