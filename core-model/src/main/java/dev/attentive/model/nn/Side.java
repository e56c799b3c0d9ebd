package dev.attentive.model.nn;

import dev.attentive.api.Attention;
import dev.attentive.api.Gradients;
import dev.attentive.api.Parameter;
import dev.attentive.api.Tower;
import dev.attentive.kernels.Vectors;
import dev.attentive.model.features.FieldEncoder;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * One tower of the model: embedding tables of its fields, the field attention, optionally the
 * history pooling (user side; its vectors are rows of the item side's id table), the tower and the
 * L2 normalisation. Forward passes are safe to run concurrently; parameters change only in the
 * optimiser step.
 */
public final class Side {
    final String prefix;
    final int dim;
    /** The encoders of the table fields, in input order; the first is the id field. */
    public final List<FieldEncoder> fields;
    public final Parameter[] tables;
    public final Attention attention;
    public final Tower tower;
    /** History pooling over the item id table, or null for the item side / no history. */
    public final Attention historyAttention;
    final int historyLength;
    /** The item side's id table (history vectors), or null. */
    Parameter historyTable;

    Side(String prefix, int dim, List<FieldEncoder> fields, Parameter[] tables, Attention attention, Tower tower,
            Attention historyAttention, int historyLength) {
        this.prefix = prefix;
        this.dim = dim;
        this.fields = List.copyOf(fields);
        this.tables = tables;
        this.attention = attention;
        this.tower = tower;
        this.historyAttention = historyAttention;
        this.historyLength = historyLength;
    }

    /** The number of attention inputs: the table fields and, with history, one more. */
    public int fieldCount() {
        return fields.size() + (historyAttention != null ? 1 : 0);
    }

    /** Parameters trained densely (attention, tower, history attention), in a stable order. */
    public List<Parameter> denseParameters() {
        List<Parameter> out = new ArrayList<>(attention.parameters());
        out.addAll(tower.parameters());
        if (historyAttention != null) {
            out.addAll(historyAttention.parameters());
        }
        return out;
    }

    /** The gradient accumulators of one side. */
    public final class Grads {
        public final Gradients dense = new Gradients(denseParameters());
        public final SparseGrad[] tables;
        public final SparseGrad history;
        /**
         * A second accumulator of the history attention's parameter gradients, for a history part
         * back-propagated alongside another ({@link #backwardHistory}); {@link #finishBackward} adds it
         * into {@link #dense} and zeroes it. Null without a history attention other than mean.
         */
        public final Gradients historyPart;

        public Grads() {
            tables = new SparseGrad[Side.this.tables.length];
            for (int t = 0; t < tables.length; t++) {
                tables[t] = new SparseGrad(Side.this.tables[t].shape()[0], dim);
            }
            history = historyTable == null ? null : new SparseGrad(historyTable.shape()[0], dim);
            historyPart = historyAttention == null || historyAttention instanceof MeanAttention ? null
                    : new Gradients(historyAttention.parameters());
        }

        public void zero() {
            dense.zero();
            for (SparseGrad g : tables) {
                g.zero();
            }
            if (history != null) {
                history.zero();
            }
        }
    }

    /** A forward pass of a batch. */
    public static final class Pass {
        int batch;
        /** The number of distinct rows, which the attentions saw; see {@link Side#forward}. */
        int distinct;
        /** Per batch row, its distinct row. */
        int[] slot;
        /** Per distinct row, the first batch row holding it. */
        int[] representative;
        /** The distinct rows' encoded fields and histories. */
        FieldEncoder.Encoded[] rows;
        public int[][] histories;
        /** The distinct rows' field vectors, {@code distinct x fieldCount x dim}. */
        public float[] fieldVectors;
        float[] mask;
        public Attention.Pass historyPass;
        /** With a history attention other than mean: the pass of each part of the distinct rows. */
        Attention.Pass[] historyParts;
        /** Part {@code k} holds the distinct rows {@code [partStart[k], partStart[k + 1])}. */
        int[] partStart;
        /** The field vectors' gradient, between {@link #backwardTop} and the history's backward. */
        float[] gradFields;
        /** Per part, the gradient of its history inputs ({@code rows x historyLength x dim}). */
        float[][] gradHistoryParts;
        boolean training;
        /** With the fused mean history: per row, the first row of the batch with the same history array. */
        int[] historyFirst;
        public Attention.Pass attentionPass;
        public Tower.Pass towerPass;
        /** Tower outputs before normalisation, and their norms. */
        float[] raw;
        public float[] norms;
        /** The unit embeddings, {@code batch x dim}. */
        public float[] embeddings;
    }

    /**
     * Embeds a batch. Rows holding the same encoded fields and the same history array (one user's
     * rows under static history, one item's rows as candidates) are gathered and attended once: the
     * attentions see only the distinct rows, and their outputs are copied to the duplicates before
     * the tower (which may draw per-row noise such as dropout). An attention is a function of its
     * input rows, so this gives the same outputs; an attention that draws training noise draws it
     * once for such rows.
     *
     * @param rows the encoded table fields of each row
     * @param histories per row, the item-id-table rows of the recent items, most recent first
     *     (null when this side has no history)
     */
    public Pass forward(FieldEncoder.Encoded[] rows, int[][] histories, boolean training, RandomGenerator random) {
        Pass p = prepare(rows, histories, training, 1);
        if (p.historyParts != null) {
            forwardHistory(p, 0, random);
        }
        return finishForward(p, random);
    }

    /**
     * The first stage of {@link #forward}: the distinct rows, their gathered table fields and, with a
     * history attention other than mean, the split of the distinct rows into {@code parts} parts of
     * (nearly) equal size whose histories {@link #forwardHistory} then attends, each part on any
     * thread. The parts are fixed by the row count alone, so results do not depend on the threads.
     *
     * @param parts how many parts, at least 1
     */
    public Pass prepare(FieldEncoder.Encoded[] rows, int[][] histories, boolean training, int parts) {
        int batch = rows.length;
        int fc = fieldCount();
        int tableFields = fields.size();
        Pass p = new Pass();
        p.batch = batch;
        p.training = training;
        distinctRows(rows, histories, p);
        int n = p.distinct;
        FieldEncoder.Encoded[] distinctRows = rows;
        int[][] distinctHistories = histories;
        if (n < batch) {
            distinctRows = new FieldEncoder.Encoded[n];
            distinctHistories = histories == null ? null : new int[n][];
            for (int u = 0; u < n; u++) {
                distinctRows[u] = rows[p.representative[u]];
                if (histories != null) {
                    distinctHistories[u] = histories[p.representative[u]];
                }
            }
        }
        p.rows = distinctRows;
        p.histories = distinctHistories;
        float[] x = new float[n * fc * dim];
        float[] mask = new float[n * fc];
        for (int b = 0; b < n; b++) {
            FieldEncoder.Encoded e = distinctRows[b];
            for (int f = 0; f < tableFields; f++) {
                int from = e.offsets()[f];
                int to = e.offsets()[f + 1];
                if (from == to) {
                    continue;
                }
                mask[b * fc + f] = 1;
                float[] table = tables[f].values();
                int out = (b * fc + f) * dim;
                for (int i = from; i < to; i++) {
                    Vectors.axpy(e.weights()[i], table, e.rows()[i] * dim, x, out, dim);
                }
            }
        }
        p.fieldVectors = x;
        p.mask = mask;
        if (historyAttention != null && !(historyAttention instanceof MeanAttention)) {
            int k = Math.max(1, Math.min(parts, n));
            p.historyParts = new Attention.Pass[k];
            p.partStart = new int[k + 1];
            for (int i = 0; i <= k; i++) {
                p.partStart[i] = (int) ((long) n * i / k);
            }
        }
        return p;
    }

    /** The number of history parts {@link #prepare} made (0 without a history attention other than mean). */
    public static int historyParts(Pass p) {
        return p.historyParts == null ? 0 : p.historyParts.length;
    }

    /** Attends the histories of part {@code part} of a prepared pass; parts may run concurrently. */
    public void forwardHistory(Pass p, int part, RandomGenerator random) {
        int len = historyLength;
        int from = p.partStart[part];
        int rows = p.partStart[part + 1] - from;
        float[] hx = new float[rows * len * dim];
        float[] hm = new float[rows * len];
        float[] table = historyTable.values();
        for (int b = 0; b < rows; b++) {
            int[] h = p.histories[from + b];
            int count = Math.min(len, h.length);
            for (int i = 0; i < count; i++) {
                hm[b * len + i] = 1;
                System.arraycopy(table, h[i] * dim, hx, (b * len + i) * dim, dim);
            }
        }
        p.historyParts[part] = historyAttention.forward(hx, hm, rows, p.training, random);
    }

    /** The last stage of {@link #forward}, once every history part is attended: attention, tower, norm. */
    public Pass finishForward(Pass p, RandomGenerator random) {
        boolean training = p.training;
        int batch = p.batch;
        int n = p.distinct;
        int fc = fieldCount();
        int tableFields = fields.size();
        float[] x = p.fieldVectors;
        float[] mask = p.mask;
        if (historyAttention != null) {
            int f = tableFields;
            if (historyAttention instanceof MeanAttention) {
                p.historyPass = meanHistory(p.histories, n, p);
                float[] pooled = p.historyPass.output();
                for (int b = 0; b < n; b++) {
                    if (p.histories[b].length == 0) {
                        continue;
                    }
                    mask[b * fc + f] = 1;
                    System.arraycopy(pooled, b * dim, x, (b * fc + f) * dim, dim);
                }
            } else {
                for (int k = 0; k < p.historyParts.length; k++) {
                    float[] pooled = p.historyParts[k].output();
                    for (int b = p.partStart[k]; b < p.partStart[k + 1]; b++) {
                        if (p.histories[b].length == 0) {
                            continue;
                        }
                        mask[b * fc + f] = 1;
                        System.arraycopy(pooled, (b - p.partStart[k]) * dim, x, (b * fc + f) * dim, dim);
                    }
                }
                if (p.historyParts.length == 1) {
                    p.historyPass = p.historyParts[0];
                }
            }
        }
        p.attentionPass = attention.forward(x, mask, n, training, random);
        float[] attended = p.attentionPass.output();
        if (n < batch) {
            int width = attention.outputDim();
            float[] expanded = new float[batch * width];
            for (int b = 0; b < batch; b++) {
                System.arraycopy(attended, p.slot[b] * width, expanded, b * width, width);
            }
            attended = expanded;
        }
        p.towerPass = tower.forward(attended, batch, training, random);
        float[] raw = p.towerPass.output();
        float[] emb = new float[batch * dim];
        float[] norms = new float[batch];
        for (int b = 0; b < batch; b++) {
            double s = 0;
            for (int d = 0; d < dim; d++) {
                s += (double) raw[b * dim + d] * raw[b * dim + d];
            }
            float norm = (float) Math.max(Math.sqrt(s), 1e-12);
            norms[b] = norm;
            float inv = 1 / norm;
            for (int d = 0; d < dim; d++) {
                emb[b * dim + d] = raw[b * dim + d] * inv;
            }
        }
        p.raw = raw;
        p.norms = norms;
        p.embeddings = emb;
        return p;
    }

    /**
     * Fills the pass's map from batch rows to distinct rows: a row is a duplicate of an earlier one
     * when both hold the same {@link FieldEncoder.Encoded} object and the same history array (or
     * neither has one). Identity, not equality: the trainer reuses one object per user and item, so
     * this costs one identity lookup per row.
     */
    private static void distinctRows(FieldEncoder.Encoded[] rows, int[][] histories, Pass p) {
        int batch = rows.length;
        int[] slot = new int[batch];
        int[] representative = new int[batch];
        java.util.IdentityHashMap<FieldEncoder.Encoded, Integer> firstSlot = new java.util.IdentityHashMap<>();
        int n = 0;
        for (int b = 0; b < batch; b++) {
            Integer u = firstSlot.get(rows[b]);
            if (u != null && (histories == null || histories[representative[u]] == histories[b])) {
                slot[b] = u;
                continue;
            }
            if (u == null) {
                firstSlot.put(rows[b], n);
            }
            slot[b] = n;
            representative[n++] = b;
        }
        p.slot = slot;
        p.representative = representative;
        p.distinct = n;
    }

    /**
     * Mean pooling of the history rows fused with the gather (the history attention is
     * {@link MeanAttention}): the same sums in the same order as gathering into a
     * {@code batch x n x dim} buffer and pooling it, without the buffer.
     */
    private Attention.Pass meanHistory(int[][] histories, int batch, Pass p) {
        int n = historyLength;
        float[] table = historyTable.values();
        float[] pooled = new float[batch * dim];
        float[] weights = new float[batch * n];
        // Rows sharing one history array (a user's static history) are pooled once.
        java.util.IdentityHashMap<int[], Integer> firstRow = new java.util.IdentityHashMap<>();
        p.historyFirst = new int[batch];
        for (int b = 0; b < batch; b++) {
            int[] h = histories[b];
            int len = Math.min(n, h.length);
            Integer first = firstRow.putIfAbsent(h, b);
            p.historyFirst[b] = first == null ? b : first;
            if (len == 0) {
                continue;
            }
            float w = 1f / len;
            for (int i = 0; i < len; i++) {
                weights[b * n + i] = w;
            }
            if (first != null) {
                System.arraycopy(pooled, first * dim, pooled, b * dim, dim);
                continue;
            }
            for (int i = 0; i < len; i++) {
                Vectors.axpy(w, table, h[i] * dim, pooled, b * dim, dim);
            }
        }
        return new MeanAttention.MeanPass(batch, pooled, weights);
    }

    /** Back-propagates the gradient of the unit embeddings into the side's accumulators. */
    public void backward(Pass p, float[] gradEmbeddings, Grads grads) {
        backwardTop(p, gradEmbeddings, grads);
        for (int k = 0; k < historyParts(p); k++) {
            backwardHistory(p, k, grads.dense);
        }
        finishBackward(p, grads);
    }

    /**
     * The first stage of {@link #backward}: norm, tower, field attention, the table fields and a mean
     * history; with another history attention its parts then go through {@link #backwardHistory} (each
     * part on any thread) and {@link #finishBackward}. A side pass is back-propagated once: this
     * releases its field attention's pass ({@link Attention.Pass#release()}), and
     * {@link #backwardHistory} the history part's.
     */
    public void backwardTop(Pass p, float[] gradEmbeddings, Grads grads) {
        int batch = p.batch;
        int fc = fieldCount();
        float[] gradRaw = new float[batch * dim];
        for (int b = 0; b < batch; b++) {
            int o = b * dim;
            double dot = 0;
            for (int d = 0; d < dim; d++) {
                dot += (double) p.embeddings[o + d] * gradEmbeddings[o + d];
            }
            float inv = 1 / p.norms[b];
            for (int d = 0; d < dim; d++) {
                gradRaw[o + d] = (float) ((gradEmbeddings[o + d] - p.embeddings[o + d] * dot) * inv);
            }
        }
        float[] gradPooled = new float[batch * attention.outputDim()];
        tower.backward(p.towerPass, gradRaw, gradPooled, grads.dense);
        int n = p.distinct;
        if (n < batch) {
            // The attentions saw each distinct row once: its gradient is the sum over its copies.
            int width = attention.outputDim();
            float[] summed = new float[n * width];
            for (int b = 0; b < batch; b++) {
                Vectors.axpy(1f, gradPooled, b * width, summed, p.slot[b] * width, width);
            }
            gradPooled = summed;
        }
        float[] gradFields = new float[n * fc * dim];
        attention.backward(p.attentionPass, gradPooled, gradFields, grads.dense);
        p.attentionPass.release(); // a side pass is back-propagated once: the attention may reuse its memory
        int tableFields = fields.size();
        for (int b = 0; b < n; b++) {
            FieldEncoder.Encoded e = p.rows[b];
            for (int f = 0; f < tableFields; f++) {
                int from = e.offsets()[f];
                int to = e.offsets()[f + 1];
                int g = (b * fc + f) * dim;
                for (int i = from; i < to; i++) {
                    grads.tables[f].add(e.rows()[i], e.weights()[i], gradFields, g);
                }
            }
        }
        p.gradFields = gradFields;
        if (p.historyParts != null) {
            p.gradHistoryParts = new float[p.historyParts.length][];
        }
        if (historyAttention instanceof MeanAttention) {
            int len = historyLength;
            // The fused mean: each present item's gradient is the pooled gradient over the count
            // (MeanAttention.backward followed by the scatter) without the batch x n x dim buffer;
            // rows sharing a history array sum their gradients first and scatter once.
            float[] summed = new float[n * dim];
            for (int b = 0; b < n; b++) {
                Vectors.axpy(1f, gradFields, (b * fc + tableFields) * dim, summed, p.historyFirst[b] * dim, dim);
            }
            for (int b = 0; b < n; b++) {
                int[] h = p.histories[b];
                int count = Math.min(len, h.length);
                if (count == 0 || p.historyFirst[b] != b) {
                    continue;
                }
                float w = 1f / count;
                for (int i = 0; i < count; i++) {
                    grads.history.add(h[i], w, summed, b * dim);
                }
            }
        }
    }

    /**
     * Back-propagates part {@code part} of the history attention, adding its parameters' gradients into
     * {@code dense} (which holds them; give each concurrent part its own, see {@link Grads#historyPart})
     * and keeping its inputs' gradient for {@link #finishBackward}.
     */
    public void backwardHistory(Pass p, int part, Gradients dense) {
        int len = historyLength;
        int fc = fieldCount();
        int tableFields = fields.size();
        int from = p.partStart[part];
        int rows = p.partStart[part + 1] - from;
        float[] gradPooledHistory = new float[rows * dim];
        for (int b = 0; b < rows; b++) {
            System.arraycopy(p.gradFields, ((from + b) * fc + tableFields) * dim, gradPooledHistory, b * dim, dim);
        }
        float[] gradHistory = new float[rows * len * dim];
        historyAttention.backward(p.historyParts[part], gradPooledHistory, gradHistory, dense);
        p.historyParts[part].release();
        p.gradHistoryParts[part] = gradHistory;
    }

    /** The last stage of {@link #backward}: the history items' gradients into the item id table's. */
    public void finishBackward(Pass p, Grads grads) {
        if (p.historyParts == null) {
            return;
        }
        if (grads.historyPart != null) {
            for (Parameter q : historyAttention.parameters()) {
                Vectors.axpy(1f, grads.historyPart.of(q), 0, grads.dense.of(q), 0, q.size());
            }
            grads.historyPart.zero();
        }
        int len = historyLength;
        for (int k = 0; k < p.historyParts.length; k++) {
            float[] gradHistory = p.gradHistoryParts[k];
            for (int b = p.partStart[k]; b < p.partStart[k + 1]; b++) {
                int[] h = p.histories[b];
                int count = Math.min(len, h.length);
                int at = b - p.partStart[k];
                for (int i = 0; i < count; i++) {
                    grads.history.add(h[i], 1f, gradHistory, (at * len + i) * dim);
                }
            }
        }
    }
}
