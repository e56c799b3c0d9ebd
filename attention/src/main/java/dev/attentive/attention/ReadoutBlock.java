package dev.attentive.attention;

import dev.attentive.api.Gradients;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * The last {@link SelfAttentionBlock} of {@code self-attention}, evaluated at the read-out positions
 * only (one query per history row), with each row's block inputs streamed through a
 * {@code fields x dim} scratch instead of a {@code batch x fields x dim} buffer. The first block reads
 * its inputs as {@link Embedded} keys: item plus position embedding, through the input dropout,
 * computed per row when needed (forward and again in backward) and never stored; its input gradient
 * goes through the same dropout draw straight into the caller's field gradient and the position
 * embedding's gradient. A later block reads the previous block's outputs ({@link Stored}).
 *
 * <p>The arithmetic is the block's own ({@link SelfAttentionBlock#attendRow},
 * {@link SelfAttentionBlock#attendRowBackward}); only where the inputs come from and where their
 * gradients go differ. Stateless.
 */
final class ReadoutBlock {
    private ReadoutBlock() {
    }

    /** Where the block finds each history row's inputs and where their gradients go. */
    interface Keys {
        /**
         * The array holding row {@code b}'s inputs at positions {@code [from, to)} (present ones; the
         * others are not read), position {@code j} at {@link #base}{@code (b) + j * dim}: either a stored
         * array or {@code scratch}, filled now.
         */
        float[] rows(int b, int from, int to, float[] scratch);

        /** Where row {@code b} starts in the array {@link #rows} returned. */
        int base(int b);

        /** Adds the gradient {@code g[off .. off + dim)} of the input at history row {@code row = b * fields + j}. */
        void addGradient(int row, float[] g, int off);
    }

    /** Inputs stored as a {@code batch x fields x dim} array; gradients added into another of that shape. */
    record Stored(float[] y, float[] gradY, int fields, int dim) implements Keys {
        @Override
        public float[] rows(int b, int from, int to, float[] scratch) {
            return y;
        }

        @Override
        public int base(int b) {
            return b * fields * dim;
        }

        @Override
        public void addGradient(int row, float[] g, int off) {
            dev.attentive.kernels.Vectors.axpyLanes(1f, g, off, gradY, row * dim, dim);
        }
    }

    /**
     * The first block's inputs: {@code input + position}, then the dropout draw (null: none). The
     * gradient of an input goes through the draw into {@code gradFields} (the item) and
     * {@code gradPosition} (the position embedding); both null in forward passes.
     */
    record Embedded(float[] input, float[] position, DropoutMask keep, int fields, int dim, float[] gradFields,
            float[] gradPosition) implements Keys {
        @Override
        public float[] rows(int b, int from, int to, float[] scratch) {
            for (int j = from; j < to; j++) {
                int o = (b * fields + j) * dim;
                int so = j * dim;
                // input + position: an FMA by 1 rounds once, exactly as the plain sum does.
                System.arraycopy(input, o, scratch, so, dim);
                dev.attentive.kernels.Vectors.axpyLanes(1f, position, so, scratch, so, dim);
                if (keep != null) {
                    keep.apply(b * fields + j, scratch, so);
                }
            }
            return scratch;
        }

        @Override
        public int base(int b) {
            return 0;
        }

        @Override
        public void addGradient(int row, float[] g, int off) {
            int po = row % fields * dim;
            if (keep != null) {
                keep.addThrough(row, g, off, gradFields, row * dim, gradPosition, po);
            } else {
                dev.attentive.kernels.Vectors.axpyLanes(1f, g, off, gradFields, row * dim, dim);
                dev.attentive.kernels.Vectors.axpyLanes(1f, g, off, gradPosition, po, dim);
            }
        }
    }

    /**
     * Evaluates {@code block} at the read-out rows {@code rows[i] = b * fields + p} (one per history
     * row, {@code p} its first present position).
     */
    static SelfAttentionBlock.Activations forward(SelfAttentionBlock block, Keys keys, float[] mask, float[] recency,
            int[] rows, int fields, int dim, float dropout, RandomGenerator random) {
        int n = rows.length;
        SelfAttentionBlock.Activations a = block.activations(n, rows);
        float[] scratch = new float[fields * dim];
        for (int i = 0; i < n; i++) {
            int b = rows[i] / fields;
            int p = rows[i] - b * fields;
            float[] src = keys.rows(b, p, p + 1, scratch);
            System.arraycopy(src, keys.base(b) + p * dim, a.yq, i * dim, dim);
        }
        block.project(a);
        float[] s = new float[fields];
        for (int i = 0; i < n; i++) {
            int b = rows[i] / fields;
            int p = rows[i] - b * fields;
            float[] src = keys.rows(b, p, fields, scratch);
            block.attendRow(a, i, src, keys.base(b), mask, b * fields, p, recency, s);
        }
        block.finish(a, dropout, random);
        return a;
    }

    /**
     * Back-propagates {@code gradOut} ({@code n x dim}) through a pass of {@link #forward}: every
     * input's gradient goes to {@link Keys#addGradient}, the recency bias's into {@code gradRecency}
     * when not null, the block's parameters' into {@code g}.
     */
    static void backward(SelfAttentionBlock block, SelfAttentionBlock.Activations a, Keys keys, float[] mask,
            float[] gradOut, float[] gradRecency, Gradients g, int fields, int dim) {
        int n = a.n;
        float[] dR1 = new float[n * dim];
        float[] dZ = block.backwardToAttention(a, gradOut, dR1, g);
        float[] dU = new float[a.u.length];
        float[] scratch = new float[fields * dim];
        float[] gradKeys = new float[fields * dim];
        float[] da = new float[fields];
        float[] ds = new float[fields];
        for (int i = 0; i < n; i++) {
            int b = a.rows[i] / fields;
            int p = a.rows[i] - b * fields;
            float[] src = keys.rows(b, p, fields, scratch);
            Arrays.fill(gradKeys, p * dim, fields * dim, 0f);
            block.attendRowBackward(a, i, src, keys.base(b), p, dZ, dU, gradKeys, 0, gradRecency, da, ds);
            for (int j = p; j < fields; j++) {
                if (DenseLayers.present(mask, b * fields + j)) {
                    keys.addGradient(b * fields + j, gradKeys, j * dim);
                }
            }
        }
        block.backwardFromQueries(a, dU, dR1, g);
        for (int i = 0; i < n; i++) {
            keys.addGradient(a.rows[i], dR1, i * dim);
        }
    }
}
