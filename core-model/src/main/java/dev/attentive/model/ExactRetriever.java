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
 * Brute-force retrieval over a contiguous matrix of item vectors stored in panels of
 * {@link Kernels#PANEL} items ({@code dim x PANEL} floats each, dimension-major), so that a query
 * is scored a panel at a time by a blocked kernel. Searches share a read lock; updates take the
 * write lock, so a search sees the catalogue before or after an update, never half of it. Removal
 * moves the last row into the hole, keeping the matrix contiguous.
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
            int capacity = roundUp(Math.max(1, items.size()));
            matrix = new float[capacity * dim];
            ids = new ItemId[capacity];
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
                write(row, item.vector());
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
                for (int d = 0; d < dim; d++) {
                    matrix[at(row, d)] = matrix[at(last, d)];
                }
                ids[row] = ids[last];
                attributes[row] = attributes[last];
                rows.put(ids[row], row);
            }
            for (int d = 0; d < dim; d++) {
                matrix[at(last, d)] = 0f;
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
            float[] block = new float[Kernels.PANEL];
            boolean excluding = !exclusions.isEmpty();
            for (int start = 0; start < size; start += Kernels.PANEL) {
                Kernels.scorePanel(query, dim, matrix, start * dim, block);
                int end = Math.min(Kernels.PANEL, size - start);
                for (int j = 0; j < end; j++) {
                    float score = block[j];
                    if (!top.wouldAccept(score)) {
                        continue;
                    }
                    int row = start + j;
                    if (filtering && !filter.matches(attributes[row])) {
                        continue;
                    }
                    if (excluding && exclusions.contains(ids[row])) {
                        continue;
                    }
                    top.offer(row, score);
                }
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

    private static int roundUp(int rows) {
        return (rows + Kernels.PANEL - 1) / Kernels.PANEL * Kernels.PANEL;
    }

    /** The position of component d of a row in the panel layout. */
    private int at(int row, int d) {
        return (row / Kernels.PANEL) * Kernels.PANEL * dim + d * Kernels.PANEL + row % Kernels.PANEL;
    }

    private void write(int row, float[] vector) {
        for (int d = 0; d < dim; d++) {
            matrix[at(row, d)] = vector[d];
        }
    }

    private void append(IndexedItem item) {
        if (size == ids.length) {
            int capacity = roundUp(Math.max(Kernels.PANEL, ids.length * 2));
            matrix = Arrays.copyOf(matrix, capacity * dim);
            ids = Arrays.copyOf(ids, capacity);
            attributes = Arrays.copyOf(attributes, capacity);
        }
        write(size, item.vector());
        ids[size] = item.id();
        attributes[size] = item.attributes();
        rows.put(item.id(), size);
        size++;
    }
}
