package dev.attentive.model.serve;

import dev.attentive.api.Features;
import dev.attentive.api.IndexedItem;
import dev.attentive.api.ItemFilter;
import dev.attentive.api.ItemId;
import dev.attentive.api.Retriever;
import dev.attentive.api.ScoredItem;
import dev.attentive.kernels.PanelScorer;
import dev.attentive.kernels.TopK;
import dev.attentive.kernels.Vectors;
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
 * {@link PanelScorer#WIDTH} items ({@code dim x PANEL} floats each, dimension-major). Searches share a
 * read lock; updates take the write lock, so a search sees the catalogue before or after an update,
 * never half of it. Removal moves the last row into the hole, keeping the matrix contiguous.
 *
 * <p>Scoring every item in float reads {@code 4 * dim} bytes per item, and for a catalogue beyond
 * the L1 cache that read bandwidth, not arithmetic, bounds a query (measured: 2.9 ns per item of
 * dimension 64 from L2, 1.6 ns from L1). So a search runs in two passes that give exactly the float
 * result: every item is pre-scored from int8 codes (per-item scale; a quarter of the bytes) whose
 * worst-case error against the float score is bounded per item; then only the items whose upper
 * bound reaches the k-th best lower bound are scored in float, with the same FMA chain as a plain
 * float scan, and ranked. Ties keep the lower row.
 */
public final class ExactRetriever implements Retriever {
    private final int dim;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private float[] matrix = new float[0];
    /** The int8 codes in the same panel layout as {@link #matrix}, and each row's scale. */
    private byte[] codes = new byte[0];
    private float[] scales = new float[0];
    /**
     * An upper bound, over all rows ever written since the last {@link #index}, of
     * {@code |floatScore - int8Score| / |query|}, see {@link #write}.
     */
    private float errorBound;
    private ItemId[] ids = new ItemId[0];
    private Features[] attributes = new Features[0];
    private final Map<ItemId, Integer> rows = new HashMap<>();
    private int size;
    private volatile boolean closed;

    /**
     * Per-thread search buffers, so a query allocates only its result. Sized by the largest PANEL
     * and k seen on the thread (a few hundred bytes for the usual k).
     */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static final class Scratch {
        final TopK top = new TopK(16);
        final TopK approximate = new TopK(16);
        private float[] estimates = new float[PanelScorer.WIDTH];
        private int[] candidates = new int[PanelScorer.WIDTH];
        private int[] rows = new int[16];
        private float[] scores = new float[16];

        private float[] exact = new float[16];

        float[] exact(int n) {
            if (exact.length < n) {
                exact = new float[n];
            }
            return exact;
        }

        float[] estimates(int n) {
            if (estimates.length < n) {
                estimates = new float[n];
                candidates = new int[n];
            }
            return estimates;
        }

        int[] rows(int n) {
            if (rows.length < n) {
                rows = new int[n];
            }
            return rows;
        }

        float[] scores(int n) {
            if (scores.length < n) {
                scores = new float[n];
            }
            return scores;
        }
    }

    public ExactRetriever(int dim) {
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
            codes = new byte[capacity * dim];
            scales = new float[capacity];
            errorBound = 0;
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
                    codes[at(row, d)] = codes[at(last, d)];
                }
                scales[row] = scales[last];
                ids[row] = ids[last];
                attributes[row] = attributes[last];
                rows.put(ids[row], row);
            }
            for (int d = 0; d < dim; d++) {
                matrix[at(last, d)] = 0f;
                codes[at(last, d)] = 0;
            }
            scales[last] = 0f;
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
        boolean excluding = !exclusions.isEmpty();
        Scratch scratch = SCRATCH.get();
        lock.readLock().lock();
        try {
            ensureOpen();
            // Pass 1: int8 estimates of every row; the approximate heap keeps the k best eligible.
            TopK approximate = scratch.approximate;
            approximate.reset(k);
            float[] estimates = scratch.estimates(roundUp(Math.max(1, size)));
            int[] candidates = scratch.candidates;
            for (int start = 0; start < size; start += PanelScorer.WIDTH) {
                float max = PanelScorer.scoreInt8(query, dim, codes, start * dim, scales, estimates, start);
                int end = Math.min(start + PanelScorer.WIDTH, size);
                if (!approximate.full()) {
                    for (int row = start; row < end; row++) {
                        float e = estimates[row];
                        if (approximate.wouldAccept(e) && eligible(row, filtering, filter, excluding, exclusions)) {
                            approximate.offer(row, e);
                        }
                    }
                    continue;
                }
                // Once k rows are kept only estimates above the worst kept one can enter (ties keep the
                // lower, earlier row): skip the panel, or visit just the rows above it.
                if (!(max > approximate.threshold())) {
                    continue;
                }
                int above = Vectors.collectAtLeast(estimates, start, end, Math.nextUp(approximate.threshold()),
                        candidates);
                for (int i = 0; i < above; i++) {
                    int row = candidates[i];
                    float e = estimates[row];
                    if (approximate.wouldAccept(e) && eligible(row, filtering, filter, excluding, exclusions)) {
                        approximate.offer(row, e);
                    }
                }
            }
            // Pass 2: a row can be among the k best in float only if its upper bound reaches the k-th
            // best lower bound: estimate >= kth - 2 * margin (rounded down, so never too strict).
            float cut = Float.NEGATIVE_INFINITY;
            if (approximate.full()) {
                double qNorm = 0;
                for (float v : query) {
                    qNorm += (double) v * v;
                }
                double margin = Math.sqrt(qNorm) * (1 + 1e-6) * errorBound;
                cut = Math.nextDown((float) ((double) approximate.threshold() - 2 * margin));
            }
            int count = Vectors.collectAtLeast(estimates, 0, size, cut, candidates);
            TopK top = scratch.top;
            top.reset(k);
            int eligibleCount = 0;
            for (int i = 0; i < count; i++) {
                int row = candidates[i];
                if (eligible(row, filtering, filter, excluding, exclusions)) {
                    candidates[eligibleCount++] = row;
                }
            }
            float[] exact = scratch.exact(eligibleCount);
            exactScores(query, candidates, eligibleCount, exact);
            for (int i = 0; i < eligibleCount; i++) {
                top.offer(candidates[i], exact[i]);
            }
            int n = top.size();
            int[] best = scratch.rows(n);
            float[] scores = scratch.scores(n);
            top.drainBestFirst(best, scores);
            List<ScoredItem> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(new ScoredItem(ids[best[i]], scores[i]));
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    private boolean eligible(int row, boolean filtering, ItemFilter filter, boolean excluding, Set<ItemId> exclusions) {
        return (!filtering || filter.matches(attributes[row])) && (!excluding || !exclusions.contains(ids[row]));
    }

    /**
     * The float scores of rows: per row the same FMA chain, in order of components, as the panel
     * kernel's lanes, so the scores equal a plain float scan's. Four rows at a time keep four
     * independent chains in flight (one chain waits on the FMA latency at every step).
     */
    private void exactScores(float[] query, int[] rowList, int count, float[] out) {
        int i = 0;
        for (; i + 3 < count; i += 4) {
            int o0 = panelOffset(rowList[i]);
            int o1 = panelOffset(rowList[i + 1]);
            int o2 = panelOffset(rowList[i + 2]);
            int o3 = panelOffset(rowList[i + 3]);
            float s0 = 0f;
            float s1 = 0f;
            float s2 = 0f;
            float s3 = 0f;
            for (int d = 0, step = 0; d < dim; d++, step += PanelScorer.WIDTH) {
                float q = query[d];
                s0 = Math.fma(q, matrix[o0 + step], s0);
                s1 = Math.fma(q, matrix[o1 + step], s1);
                s2 = Math.fma(q, matrix[o2 + step], s2);
                s3 = Math.fma(q, matrix[o3 + step], s3);
            }
            out[i] = s0;
            out[i + 1] = s1;
            out[i + 2] = s2;
            out[i + 3] = s3;
        }
        for (; i < count; i++) {
            int o = panelOffset(rowList[i]);
            float s = 0f;
            for (int d = 0, step = 0; d < dim; d++, step += PanelScorer.WIDTH) {
                s = Math.fma(query[d], matrix[o + step], s);
            }
            out[i] = s;
        }
    }

    /** The position of component 0 of a row in the panel layout. */
    private int panelOffset(int row) {
        return (row / PanelScorer.WIDTH) * PanelScorer.WIDTH * dim + row % PanelScorer.WIDTH;
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
        return (rows + PanelScorer.WIDTH - 1) / PanelScorer.WIDTH * PanelScorer.WIDTH;
    }

    /** The position of component d of a row in the panel layout. */
    private int at(int row, int d) {
        return (row / PanelScorer.WIDTH) * PanelScorer.WIDTH * dim + d * PanelScorer.WIDTH + row % PanelScorer.WIDTH;
    }

    /**
     * Writes a row's floats and int8 codes {@code c = round(v / s)}, {@code s = max|v| / 127}, and
     * widens {@link #errorBound}. For a query q the float score f (FMA chain) and the int8 score
     * a = fl(s * fl(sum q.c)) differ by at most {@code |q| (|e| + g (|v| + |s c|))} with
     * {@code e = v - s c} (Cauchy-Schwarz) and g covering the rounding of both chains and the scaling
     * ({@code (dim + 2) 2^-24}, doubled for margin); this bound is computed in double and rounded up.
     */
    private void write(int row, float[] vector) {
        double max = 0;
        for (float v : vector) {
            max = Math.max(max, Math.abs(v));
        }
        float scale = (float) (max / 127);
        double error = 0;
        double norm = 0;
        double codedNorm = 0;
        for (int d = 0; d < dim; d++) {
            float v = vector[d];
            int c = scale == 0 ? 0 : Math.max(-127, Math.min(127, Math.round(v / scale)));
            matrix[at(row, d)] = v;
            codes[at(row, d)] = (byte) c;
            double coded = (double) scale * c;
            error += (v - coded) * (v - coded);
            norm += (double) v * v;
            codedNorm += coded * coded;
        }
        scales[row] = scale;
        double rounding = 2.0 * (dim + 2) * 0x1p-24;
        double bound = (Math.sqrt(error) + rounding * (Math.sqrt(norm) + Math.sqrt(codedNorm))) * (1 + 1e-6);
        errorBound = Math.max(errorBound, Math.nextUp((float) bound));
    }

    private void append(IndexedItem item) {
        if (size == ids.length) {
            int capacity = roundUp(Math.max(PanelScorer.WIDTH, ids.length * 2));
            matrix = Arrays.copyOf(matrix, capacity * dim);
            codes = Arrays.copyOf(codes, capacity * dim);
            scales = Arrays.copyOf(scales, capacity);
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
