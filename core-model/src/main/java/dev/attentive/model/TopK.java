package dev.attentive.model;

/**
 * A bounded min-heap of (row, score) keeping the k best; ties keep the lower row. Not thread safe;
 * reusable through {@link #reset}, which allocates only when k grows.
 */
public final class TopK {
    private int k;
    private int[] rows;
    private float[] scores;
    private int size;

    public TopK(int k) {
        this.k = k;
        this.rows = new int[k];
        this.scores = new float[k];
    }

    /** Empties the heap for a new search keeping the {@code k} best. */
    public void reset(int k) {
        if (k > rows.length) {
            rows = new int[k];
            scores = new float[k];
        }
        this.k = k;
        size = 0;
    }

    /** Whether the heap holds k entries (then only scores above {@link #threshold()} enter). */
    public boolean full() {
        return size == k;
    }

    /** The worst kept score; meaningful only when {@link #full()}. */
    public float threshold() {
        return scores[0];
    }

    public int size() {
        return size;
    }

    /** Whether a score could enter: cheap pre-check before filters run. */
    public boolean wouldAccept(float score) {
        return size < k || score > scores[0];
    }

    public void offer(int row, float score) {
        if (size < k) {
            rows[size] = row;
            scores[size] = score;
            siftUp(size++);
        } else if (score > scores[0]) {
            rows[0] = row;
            scores[0] = score;
            siftDown(0);
        }
    }

    private boolean worse(int a, int b) {
        return scores[a] < scores[b] || (scores[a] == scores[b] && rows[a] > rows[b]);
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
            int smallest = left;
            if (left + 1 < size && worse(left + 1, left)) {
                smallest = left + 1;
            }
            if (!worse(smallest, i)) {
                return;
            }
            swap(i, smallest);
            i = smallest;
        }
    }

    private void swap(int a, int b) {
        int r = rows[a];
        rows[a] = rows[b];
        rows[b] = r;
        float s = scores[a];
        scores[a] = scores[b];
        scores[b] = s;
    }

    /**
     * Moves the kept entries out, best first (higher score, then lower row), leaving the heap empty.
     * The arrays need room for {@link #size()} entries.
     */
    public void drainBestFirst(int[] outRows, float[] outScores) {
        for (int i = size - 1; i >= 0; i--) {
            outRows[i] = rows[0];
            outScores[i] = scores[0];
            size--;
            if (size > 0) {
                rows[0] = rows[size];
                scores[0] = scores[size];
                siftDown(0);
            }
        }
    }
}
