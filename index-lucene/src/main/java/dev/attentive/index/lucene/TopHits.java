package dev.attentive.index.lucene;

/**
 * A bounded min-heap of (leaf, doc, score) keeping the best {@code capacity}; on equal scores the
 * lower (leaf, doc) wins, so results are deterministic. Not thread safe; allocates only at
 * construction and when sorting.
 */
final class TopHits {
    private final int capacity;
    private final long[] keys;
    private final float[] scores;
    private int size;

    TopHits(int capacity) {
        this.capacity = capacity;
        this.keys = new long[capacity];
        this.scores = new float[capacity];
    }

    static long key(int leaf, int doc) {
        return ((long) leaf << 32) | (doc & 0xFFFFFFFFL);
    }

    static int leaf(long key) {
        return (int) (key >>> 32);
    }

    static int doc(long key) {
        return (int) key;
    }

    boolean wouldAccept(float score) {
        return size < capacity || score > scores[0];
    }

    void offer(int leaf, int doc, float score) {
        long key = key(leaf, doc);
        if (size < capacity) {
            keys[size] = key;
            scores[size] = score;
            siftUp(size++);
        } else if (score > scores[0] || (score == scores[0] && key < keys[0])) {
            keys[0] = key;
            scores[0] = score;
            siftDown(0);
        }
    }

    int size() {
        return size;
    }

    /** Sorts best first (destroying the heap order); then {@link #keyAt}/{@link #scoreAt} read in rank order. */
    void sortBestFirst() {
        // insertion sort: size is k plus a small over-fetch
        for (int i = 1; i < size; i++) {
            long k = keys[i];
            float s = scores[i];
            int j = i - 1;
            while (j >= 0 && (scores[j] < s || (scores[j] == s && keys[j] > k))) {
                keys[j + 1] = keys[j];
                scores[j + 1] = scores[j];
                j--;
            }
            keys[j + 1] = k;
            scores[j + 1] = s;
        }
    }

    long keyAt(int i) {
        return keys[i];
    }

    float scoreAt(int i) {
        return scores[i];
    }

    private boolean worse(int a, int b) {
        return scores[a] < scores[b] || (scores[a] == scores[b] && keys[a] > keys[b]);
    }

    private void siftUp(int i) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!worse(i, parent)) {
                return;
            }
            swap(i, parent);
            i = parent;
        }
    }

    private void siftDown(int i) {
        while (true) {
            int left = 2 * i + 1;
            if (left >= size) {
                return;
            }
            int worst = left;
            if (left + 1 < size && worse(left + 1, left)) {
                worst = left + 1;
            }
            if (!worse(worst, i)) {
                return;
            }
            swap(i, worst);
            i = worst;
        }
    }

    private void swap(int a, int b) {
        long k = keys[a];
        keys[a] = keys[b];
        keys[b] = k;
        float s = scores[a];
        scores[a] = scores[b];
        scores[b] = s;
    }
}
