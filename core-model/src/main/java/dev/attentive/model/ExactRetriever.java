package dev.attentive.model;

import dev.attentive.api.Features;
import dev.attentive.api.IndexedItem;
import dev.attentive.api.ItemFilter;
import dev.attentive.api.ItemId;
import dev.attentive.api.Retriever;
import dev.attentive.api.ScoredItem;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Brute-force retrieval over a row-major matrix of item vectors. Searches share a read lock;
 * updates take the write lock, so a search sees the catalogue before or after an update, never
 * half of it. Removal moves the last row into the hole, keeping the matrix contiguous.
 */
final class ExactRetriever implements Retriever {
    private final int dim;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private float[] matrix = new float[0];
    private ItemId[] ids = new ItemId[0];
    private Features[] attributes = new Features[0];
    private final Map<ItemId, Integer> rows = new HashMap<>();
    private int size;
    private volatile boolean closed;

    ExactRetriever(int dim) {
        this.dim = dim;
    }

    @Override
    public int dimension() {
        return dim;
    }

    @Override
    public int size() {
        lock.readLock().lock();
        try {
            return size;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void index(Collection<IndexedItem> items) {
        Map<ItemId, Integer> seen = new HashMap<>();
        for (IndexedItem item : items) {
            checkDimension(item);
            if (seen.put(item.id(), 0) != null) {
                throw new IllegalArgumentException("Duplicate item id '" + item.id() + "' in the catalogue to index");
            }
        }
        lock.writeLock().lock();
        try {
            ensureOpen();
            rows.clear();
            size = 0;
            matrix = new float[Math.max(1, items.size()) * dim];
            ids = new ItemId[Math.max(1, items.size())];
            attributes = new Features[ids.length];
            for (IndexedItem item : items) {
                append(item);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public void add(IndexedItem item) {
        checkDimension(item);
        lock.writeLock().lock();
        try {
            ensureOpen();
            if (rows.containsKey(item.id())) {
                throw new IllegalArgumentException("Item '" + item.id() + "' is already indexed; use update to replace it");
            }
            append(item);
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public void update(IndexedItem item) {
        checkDimension(item);
        lock.writeLock().lock();
        try {
            ensureOpen();
            Integer row = rows.get(item.id());
            if (row == null) {
                append(item);
            } else {
                System.arraycopy(item.vector(), 0, matrix, row * dim, dim);
                attributes[row] = item.attributes();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public boolean remove(ItemId id) {
        lock.writeLock().lock();
        try {
            ensureOpen();
            Integer row = rows.remove(id);
            if (row == null) {
                return false;
            }
            int last = size - 1;
            if (row != last) {
                System.arraycopy(matrix, last * dim, matrix, row * dim, dim);
                ids[row] = ids[last];
                attributes[row] = attributes[last];
                rows.put(ids[row], row);
            }
            ids[last] = null;
            attributes[last] = null;
            size--;
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public List<ScoredItem> search(float[] query, int k, ItemFilter filter, Set<ItemId> exclusions) {
        if (query.length != dim) {
            throw new IllegalArgumentException("Query has dimension " + query.length + ", the retriever " + dim);
        }
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        boolean filtering = !(filter instanceof ItemFilter.All);
        lock.readLock().lock();
        try {
            ensureOpen();
            TopK top = new TopK(k);
            for (int row = 0; row < size; row++) {
                float score = Kernels.dot(query, 0, matrix, row * dim, dim);
                if (!top.wouldAccept(score)) {
                    continue;
                }
                if (filtering && !filter.matches(attributes[row])) {
                    continue;
                }
                if (!exclusions.isEmpty() && exclusions.contains(ids[row])) {
                    continue;
                }
                top.offer(row, score);
            }
            int[] best = top.rowsBestFirst();
            float[] scores = top.scoresBestFirst();
            List<ScoredItem> out = new ArrayList<>(best.length);
            for (int i = 0; i < best.length; i++) {
                out.add(new ScoredItem(ids[best[i]], scores[i]));
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void close() {
        closed = true;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("This exact retriever is closed");
        }
    }

    private void checkDimension(IndexedItem item) {
        if (item.vector().length != dim) {
            throw new IllegalArgumentException("Item '" + item.id() + "' has a vector of dimension "
                    + item.vector().length + ", the retriever expects dimension " + dim);
        }
    }

    private void append(IndexedItem item) {
        if (size == ids.length) {
            int capacity = Math.max(16, ids.length * 2);
            matrix = Arrays.copyOf(matrix, capacity * dim);
            ids = Arrays.copyOf(ids, capacity);
            attributes = Arrays.copyOf(attributes, capacity);
        }
        System.arraycopy(item.vector(), 0, matrix, size * dim, dim);
        ids[size] = item.id();
        attributes[size] = item.attributes();
        rows.put(item.id(), size);
        size++;
    }
}
