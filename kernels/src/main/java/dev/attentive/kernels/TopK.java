package dev.attentive.kernels;

/**
 * A bounded min-heap of {@code (key, score)} entries that keeps the {@code k} best: higher scores
 * first, and on equal scores the lower key, so results are deterministic whatever order entries are
 * offered in. Keys are longs so that composite ids fit (for example {@code (long) segment << 32 |
 * doc}); int row numbers widen to them unchanged.
 *
 * <p>Not thread safe: use one per thread (it is meant to be reused through {@link #reset(int)},
 * which allocates only when {@code k} grows past every earlier capacity). Scores should not be NaN
 * (a NaN never enters a full heap and is ranked arbitrarily otherwise).
 *
 * @since 0.2.0
 */
public final class TopK {
    private int k;
    private long[] keys;
    private float[] scores;
    private int size;

    /**
     * An empty heap keeping the {@code k} best.
     *
     * @param k how many entries to keep, at least 0
     * @throws IllegalArgumentException if {@code k} is negative
     * @since 0.2.0
     */
    public TopK(int k) {
        checkK(k);
        this.k = k;
        this.keys = new long[k];
        this.scores = new float[k];
    }

    /**
     * Empties the heap for a new search keeping the {@code k} best.
     *
     * @param k how many entries to keep, at least 0
     * @throws IllegalArgumentException if {@code k} is negative
     * @since 0.2.0
     */
    public void reset(int k) {
        checkK(k);
        if (k > keys.length) {
            keys = new long[k];
            scores = new float[k];
        }
        this.k = k;
        size = 0;
    }

    private static void checkK(int k) {
        if (k < 0) {
            throw new IllegalArgumentException("k must be at least 0, got " + k + "; pass how many best entries to keep");
        }
    }

    /**
     * Whether the heap holds {@code k} entries (then only entries better than the worst kept enter).
     *
     * @return whether it is full
     * @since 0.2.0
     */
    public boolean full() {
        return size == k;
    }

    /**
     * The worst kept score; meaningful only when {@link #full()}.
     *
     * @return the score at the root of the heap
     * @since 0.2.0
     */
    public float threshold() {
        return scores[0];
    }

    /**
     * How many entries are kept.
     *
     * @return the size, at most {@code k}
     * @since 0.2.0
     */
    public int size() {
        return size;
    }

    /**
     * A cheap pre-check before doing the work to make an entry (running filters, say): false means an
     * entry with this score cannot enter unless it ties the worst kept score and has a lower key. So it
     * is exact when keys are offered in ascending order.
     *
     * @param score the candidate's score
     * @return whether the heap has room or the score beats the worst kept one
     * @since 0.2.0
     */
    public boolean wouldAccept(float score) {
        return size < k || (k > 0 && score > scores[0]);
    }

    /**
     * Offers an entry: kept when the heap has room or it beats the worst kept entry (a higher score, or
     * an equal score and a lower key), which it then replaces. Offer each key at most once.
     *
     * @param key the entry's key
     * @param score its score
     * @since 0.2.0
     */
    public void offer(long key, float score) {
        if (size < k) {
            keys[size] = key;
            scores[size] = score;
            siftUp(size++);
        } else if (k > 0 && (score > scores[0] || (score == scores[0] && key < keys[0]))) {
            keys[0] = key;
            scores[0] = score;
            siftDown(0);
        }
    }

    /**
     * Moves the kept entries out, best first, leaving the heap empty.
     *
     * @param outKeys receives the keys; needs room for {@link #size()} entries
     * @param outScores receives the scores in the same order; needs room for {@link #size()} entries
     * @since 0.2.0
     */
    public void drainBestFirst(long[] outKeys, float[] outScores) {
        for (int i = size - 1; i >= 0; i--) {
            outKeys[i] = keys[0];
            outScores[i] = scores[0];
            pop();
        }
    }

    /**
     * As {@link #drainBestFirst(long[], float[])}, for keys that were offered as ints (row numbers).
     *
     * @param outKeys receives the keys; needs room for {@link #size()} entries
     * @param outScores receives the scores in the same order; needs room for {@link #size()} entries
     * @throws ArithmeticException if a kept key does not fit an int (offer int keys to use this)
     * @since 0.2.0
     */
    public void drainBestFirst(int[] outKeys, float[] outScores) {
        for (int i = size - 1; i >= 0; i--) {
            outKeys[i] = Math.toIntExact(keys[0]);
            outScores[i] = scores[0];
            pop();
        }
    }

    private void pop() {
        size--;
        if (size > 0) {
            keys[0] = keys[size];
            scores[0] = scores[size];
            siftDown(0);
        }
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
        long key = keys[a];
        keys[a] = keys[b];
        keys[b] = key;
        float s = scores[a];
        scores[a] = scores[b];
        scores[b] = s;
    }
}
