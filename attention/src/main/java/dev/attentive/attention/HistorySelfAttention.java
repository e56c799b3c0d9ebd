package dev.attentive.attention;

import dev.attentive.api.Attention;
import dev.attentive.api.Gradients;
import dev.attentive.api.Parameter;
import dev.attentive.kernels.Vectors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * SASRec-style causal self-attention over history positions (most recent first): a learned
 * position embedding is added to each present item, then {@code blocks} {@link SelfAttentionBlock}s
 * run, where position {@code p} attends to the present positions {@code j >= p} (itself and older
 * items). The output is the last block's representation at the read-out position, the first present
 * one (position 0 for a history); the weights are that position's attention weights in the last
 * block, averaged over heads. With {@code meanResidual} the output also adds the plain mean of the
 * present items (as given, without position or dropout).
 *
 * <p>Only the read-out position feeds the output, so the last block is evaluated there alone
 * ({@link ReadoutBlock}), reading each history row's inputs through a per-row scratch; with one
 * block those inputs (item plus position, through the input dropout) are computed per row when
 * needed and never stored as a {@code batch x fields x dim} array, and their gradient goes straight
 * into the caller's. Earlier blocks are evaluated at every present position, since the last one
 * attends to all of them. The input dropout is a packed bit mask ({@link DropoutMask}). Parameters
 * are only read during passes; all per-pass state lives in the {@link Pass} (which keeps a copy of
 * the input, read again by backward), so concurrent forward passes are safe.
 */
final class HistorySelfAttention implements Attention {
    private final int fields;
    private final int dim;
    private final int heads;
    private final float dropout;
    private final Parameter position; // [fields, dim]
    private final SelfAttentionBlock[] blocks;
    private final Parameter recency; // [fields] or null
    private final boolean meanResidual;
    private final List<Parameter> parameters;

    HistorySelfAttention(int fields, int dim, SelfAttentionProvider.Config config, long seed) {
        this.fields = fields;
        this.dim = dim;
        this.heads = config.heads();
        this.dropout = (float) config.dropout();
        this.meanResidual = config.meanResidual();
        Init init = new Init(seed);
        List<Parameter> ps = new ArrayList<>();
        position = new Parameter("position", new int[] {fields, dim}, init.normal(fields * dim, 0.1));
        ps.add(position);
        int ffn = config.ffnDim() > 0 ? config.ffnDim() : dim;
        blocks = new SelfAttentionBlock[config.blocks()];
        for (int l = 0; l < blocks.length; l++) {
            blocks[l] = new SelfAttentionBlock("block" + l + ".", fields, dim, heads, ffn, init);
            ps.addAll(blocks[l].parameters());
        }
        recency = config.recencyBias() ? new Parameter("recency.bias", new int[] {fields}, new float[fields]) : null;
        if (recency != null) {
            ps.add(recency);
        }
        parameters = List.copyOf(ps);
    }

    @Override
    public int fieldCount() {
        return fields;
    }

    @Override
    public int dim() {
        return dim;
    }

    @Override
    public int outputDim() {
        return dim;
    }

    @Override
    public List<Parameter> parameters() {
        return parameters;
    }

    @Override
    public Pass forward(float[] input, float[] mask, int batch, boolean training, RandomGenerator random) {
        PassChecks.checkForward(this, SelfAttentionProvider.NAME, input, mask, batch);
        float rate = training ? dropout : 0f;
        if (rate > 0 && random == null) {
            throw new IllegalArgumentException(SelfAttentionProvider.NAME + ": training with dropout " + dropout
                    + " needs a random generator; pass one, or set dropout=0");
        }
        float[] m = mask == null ? null : Arrays.copyOf(mask, batch * fields);
        // Backward embeds the input again: keep a copy, since the caller may reuse its array.
        SelfPass p = new SelfPass(this, batch, m, Arrays.copyOf(input, batch * fields * dim));
        p.inputKeep = DropoutMask.draw(batch * fields, dim, rate, m, random);
        int[] readout = new int[batch];
        int nr = 0;
        for (int b = 0; b < batch; b++) {
            int f = 0;
            while (f < fields && !DenseLayers.present(m, b * fields + f)) {
                f++;
            }
            if (f < fields) {
                readout[nr++] = b * fields + f;
            }
        }
        p.readout = Arrays.copyOf(readout, nr);
        float[] rb = recency == null ? null : recency.values();
        int last = blocks.length - 1;
        if (last > 0) {
            int[] all = presentRows(m, batch);
            p.ys[0] = embed(p);
            for (int l = 0; l < last; l++) {
                p.acts[l] = blocks[l].forward(p.ys[l], m, rb, all, all.length, rate, random);
                p.ys[l + 1] = scatter(p.acts[l], batch);
            }
        }
        p.acts[last] = ReadoutBlock.forward(blocks[last], keys(p, null, null), m, rb, p.readout, fields, dim, rate,
                random);
        SelfAttentionBlock.Activations top = p.acts[last];
        float inv = 1f / heads;
        for (int i = 0; i < nr; i++) {
            int row = p.readout[i];
            int b = row / fields;
            int first = row - b * fields;
            System.arraycopy(top.out, i * dim, p.output, b * dim, dim);
            for (int h = 0; h < heads; h++) {
                int po = (i * heads + h) * fields;
                for (int j = first; j < fields; j++) {
                    p.weights[b * fields + j] += inv * top.probs[po + j - first];
                }
            }
            if (meanResidual) {
                float w = 1f / presentCount(m, b);
                for (int f = first; f < fields; f++) {
                    if (DenseLayers.present(m, b * fields + f)) {
                        Vectors.axpy(w, p.input, (b * fields + f) * dim, p.output, b * dim, dim);
                    }
                }
            }
        }
        return p;
    }

    private int presentCount(float[] m, int b) {
        int count = 0;
        for (int f = 0; f < fields; f++) {
            if (DenseLayers.present(m, b * fields + f)) {
                count++;
            }
        }
        return count;
    }

    /**
     * The last block's inputs: the embedded history itself with one block, else the previous block's
     * outputs; gradients into {@code gradFields} and the position embedding's {@code gradPosition}, or
     * into {@code gradY} with more blocks (null in forward passes).
     */
    private ReadoutBlock.Keys keys(SelfPass p, float[] gradFields, float[] gradTarget) {
        int last = blocks.length - 1;
        if (last == 0) {
            return new ReadoutBlock.Embedded(p.input, position.values(), p.inputKeep, fields, dim, gradFields,
                    gradTarget);
        }
        return new ReadoutBlock.Stored(p.ys[last], gradTarget, fields, dim);
    }

    /**
     * The block outputs at every present position after the first {@code count} blocks (a test
     * hook: the causal mask is visible there, while the output shows the read-out position only).
     */
    float[] positionOutputs(float[] input, float[] mask, int batch, int count) {
        PassChecks.checkForward(this, SelfAttentionProvider.NAME, input, mask, batch);
        SelfPass p = new SelfPass(this, batch, mask, input);
        int[] all = presentRows(mask, batch);
        float[] y = embed(p);
        for (int l = 0; l < count; l++) {
            y = scatter(blocks[l].forward(y, mask, recency == null ? null : recency.values(), all, all.length, 0f,
                    null), batch);
        }
        return y;
    }

    /** The first block's input: each present item plus its position's embedding, through the input dropout; absent rows zero. */
    private float[] embed(SelfPass p) {
        float[] e = new float[p.batch * fields * dim];
        float[] pos = position.values();
        for (int r = 0; r < p.batch * fields; r++) {
            if (DenseLayers.present(p.mask, r)) {
                int o = r * dim;
                int po = (r % fields) * dim;
                for (int d = 0; d < dim; d++) {
                    e[o + d] = p.input[o + d] + pos[po + d];
                }
                if (p.inputKeep != null) {
                    p.inputKeep.apply(r, e, o);
                }
            }
        }
        return e;
    }

    private int[] presentRows(float[] m, int batch) {
        int[] rows = new int[batch * fields];
        int n = 0;
        for (int r = 0; r < batch * fields; r++) {
            if (DenseLayers.present(m, r)) {
                rows[n++] = r;
            }
        }
        return Arrays.copyOf(rows, n);
    }

    private float[] scatter(SelfAttentionBlock.Activations a, int batch) {
        float[] y = new float[batch * fields * dim];
        for (int i = 0; i < a.n; i++) {
            System.arraycopy(a.out, i * dim, y, a.rows[i] * dim, dim);
        }
        return y;
    }

    @Override
    public void backward(Pass pass, float[] gradOutput, float[] gradFields, Gradients gradients) {
        if (!(pass instanceof SelfPass p) || p.owner != this) {
            throw PassChecks.foreignPass(SelfAttentionProvider.NAME, pass);
        }
        int batch = p.batch;
        PassChecks.checkBackward(this, SelfAttentionProvider.NAME, batch, gradOutput, gradFields);
        int nr = p.readout.length;
        float[] dOut = new float[nr * dim];
        for (int i = 0; i < nr; i++) {
            System.arraycopy(gradOutput, p.readout[i] / fields * dim, dOut, i * dim, dim);
        }
        float[] gRecency = recency == null ? null : gradients.of(recency);
        float[] rb = recency == null ? null : recency.values();
        float[] gPosition = gradients.of(position);
        int last = blocks.length - 1;
        float[] dY = last == 0 ? null : new float[batch * fields * dim];
        ReadoutBlock.backward(blocks[last], p.acts[last], keys(p, gradFields, last == 0 ? gPosition : dY), p.mask,
                dOut, gRecency, gradients, fields, dim);
        for (int l = last - 1; l >= 0; l--) {
            // The gradient of this block's outputs, gathered at its query rows.
            SelfAttentionBlock.Activations a = p.acts[l];
            dOut = new float[a.n * dim];
            for (int i = 0; i < a.n; i++) {
                System.arraycopy(dY, a.rows[i] * dim, dOut, i * dim, dim);
            }
            dY = new float[batch * fields * dim];
            blocks[l].backward(a, p.ys[l], rb, dOut, dY, gRecency, gradients);
        }
        if (meanResidual) {
            for (int i = 0; i < nr; i++) {
                int b = p.readout[i] / fields;
                float w = 1f / presentCount(p.mask, b);
                for (int f = 0; f < fields; f++) {
                    if (DenseLayers.present(p.mask, b * fields + f)) {
                        Vectors.axpy(w, gradOutput, b * dim, gradFields, (b * fields + f) * dim, dim);
                    }
                }
            }
        }
        if (last > 0) {
            for (int r = 0; r < batch * fields; r++) {
                if (!DenseLayers.present(p.mask, r)) {
                    continue;
                }
                int o = r * dim;
                int po = (r % fields) * dim;
                if (p.inputKeep != null) {
                    p.inputKeep.addThrough(r, dY, o, gradFields, o, gPosition, po);
                } else {
                    Vectors.axpy(1f, dY, o, gradFields, o, dim);
                    Vectors.axpy(1f, dY, o, gPosition, po, dim);
                }
            }
        }
    }

    /** One forward pass: the block inputs and activations, the read-out rows, outputs and weights. */
    private static final class SelfPass implements Pass {
        private final HistorySelfAttention owner;
        private final int batch;
        private final float[] mask;
        private final float[] input; // a copy of the forward's input
        private final float[][] ys; // with more than one block, the input of each but the last, batch x fields x dim
        private final SelfAttentionBlock.Activations[] acts;
        private DropoutMask inputKeep;
        private int[] readout;
        private final float[] output;
        private final float[] weights;

        SelfPass(HistorySelfAttention owner, int batch, float[] mask, float[] input) {
            this.owner = owner;
            this.batch = batch;
            this.mask = mask;
            this.input = input;
            ys = new float[owner.blocks.length][];
            acts = new SelfAttentionBlock.Activations[owner.blocks.length];
            output = new float[batch * owner.dim];
            weights = new float[batch * owner.fields];
        }

        @Override
        public int batch() {
            return batch;
        }

        @Override
        public float[] output() {
            return output;
        }

        @Override
        public float[] weights() {
            return weights;
        }
    }
}
