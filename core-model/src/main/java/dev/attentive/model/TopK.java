package dev.attentive.model;

/**
 * A bounded min-heap of (row, score) keeping the k best; ties keep the lower row. Not thread safe;
 * allocates only at construction.
 */
final class TopK {
    private final int k;
    private final int[] rows;
    private final float[] scores;
    private int size;

    TopK(int k) {
        this.k = k;
        this.rows = new int[k];
        this.scores = new float[k];
    }

    /** Whether a score could enter: cheap pre-check before filters run. */
    boolean wouldAccept(float score) {
        return size < k || score > scores[0];
    }

    void offer(int row, float score) {
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

    private Integer[] order() {
        Integer[] idx = new Integer[size];
        for (int i = 0; i < size; i++) {
            idx[i] = i;
        }
        java.util.Arrays.sort(idx, (a, b) -> scores[a] != scores[b] ? Float.compare(scores[b], scores[a])
                : Integer.compare(rows[a], rows[b]));
        return idx;
    }

    int[] rowsBestFirst() {
        Integer[] idx = order();
        int[] out = new int[size];
        for (int i = 0; i < size; i++) {
            out[i] = rows[idx[i]];
        }
        return out;
    }

    float[] scoresBestFirst() {
        Integer[] idx = order();
        float[] out = new float[size];
        for (int i = 0; i < size; i++) {
            out[i] = scores[idx[i]];
        }
        return out;
    }
}
