package dev.attentive.model.nn;

import java.util.Arrays;

/**
 * The gradient of an embedding table, dense in memory but tracking which rows were touched so
 * that zeroing, clipping and the optimiser visit only those. Not thread safe.
 */
public final class SparseGrad {
    final int dim;
    final float[] values;
    private final boolean[] touched;
    private int[] list;
    private int count;

    SparseGrad(int rows, int dim) {
        this.dim = dim;
        this.values = new float[rows * dim];
        this.touched = new boolean[rows];
        this.list = new int[16];
    }

    /** Adds {@code w * g[gOff..gOff+dim)} into a row. */
    void add(int row, float w, float[] g, int gOff) {
        if (!touched[row]) {
            touched[row] = true;
            if (count == list.length) {
                list = Arrays.copyOf(list, count * 2);
            }
            list[count++] = row;
        }
        int off = row * dim;
        for (int d = 0; d < dim; d++) {
            values[off + d] += w * g[gOff + d];
        }
    }

    /** Adds another gradient of the same table into this one. */
    public void addAll(SparseGrad other) {
        for (int i = 0; i < other.count; i++) {
            int row = other.list[i];
            add(row, 1f, other.values, row * dim);
        }
    }

    /** The touched rows, in first-touch order; valid until the next {@link #zero()}. */
    int[] rows() {
        int[] sorted = Arrays.copyOf(list, count);
        Arrays.sort(sorted);
        return sorted;
    }

    int count() {
        return count;
    }

    public double squaredNorm() {
        double s = 0;
        for (int i = 0; i < count; i++) {
            int off = list[i] * dim;
            for (int d = 0; d < dim; d++) {
                s += (double) values[off + d] * values[off + d];
            }
        }
        return s;
    }

    public void scale(float factor) {
        for (int i = 0; i < count; i++) {
            int off = list[i] * dim;
            for (int d = 0; d < dim; d++) {
                values[off + d] *= factor;
            }
        }
    }

    void zero() {
        for (int i = 0; i < count; i++) {
            int row = list[i];
            touched[row] = false;
            Arrays.fill(values, row * dim, row * dim + dim, 0f);
        }
        count = 0;
    }
}
