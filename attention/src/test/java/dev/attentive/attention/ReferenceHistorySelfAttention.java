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
 * The {@code self-attention} encoder as it was before the read-out block streamed its inputs
 * (commit 2b651a5, unchanged but for the class names): the reference that {@code SelfAttentionEquivalenceTest}
 * compares the streamed encoder with.
 *
 * <p>Original description: SASRec-style causal self-attention over history positions (most recent first): a learned
 * position embedding is added to each present item, then {@code blocks} {@link ReferenceSelfAttentionBlock}s
 * run, where position {@code p} attends to the present positions {@code j >= p} (itself and older
 * items). The output is the last block's representation at the read-out position, the first present
 * one (position 0 for a history); the weights are that position's attention weights in the last
 * block, averaged over heads.
 *
 * <p>Only the read-out position feeds the output, so the last block is evaluated there alone;
 * earlier blocks are evaluated at every present position, since the last one attends to all of
 * them. Parameters are only read during passes; all per-pass state lives in the {@link Pass}, so
 * concurrent forward passes are safe.
 */
final class ReferenceHistorySelfAttention implements Attention {
    private final int fields;
    private final int dim;
    private final int heads;
    private final float dropout;
    private final Parameter position; // [fields, dim]
    private final ReferenceSelfAttentionBlock[] blocks;
    private final Parameter recency; // [fields] or null
    private final List<Parameter> parameters;

    ReferenceHistorySelfAttention(int fields, int dim, SelfAttentionProvider.Config config, long seed) {
        this.fields = fields;
        this.dim = dim;
        this.heads = config.heads();
        this.dropout = (float) config.dropout();
        Init init = new Init(seed);
        List<Parameter> ps = new ArrayList<>();
        position = new Parameter("position", new int[] {fields, dim}, init.normal(fields * dim, 0.1));
        ps.add(position);
        int ffn = config.ffnDim() > 0 ? config.ffnDim() : dim;
        blocks = new ReferenceSelfAttentionBlock[config.blocks()];
        for (int l = 0; l < blocks.length; l++) {
            blocks[l] = new ReferenceSelfAttentionBlock("block" + l + ".", fields, dim, heads, ffn, init);
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
        SelfPass p = new SelfPass(this, batch, m);
        embed(input, p, rate, random);
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
        int[] all = presentRows(m, batch);
        for (int l = 0; l < blocks.length; l++) {
            boolean last = l == blocks.length - 1;
            int[] rows = last ? p.readout : all;
            p.acts[l] = blocks[l].forward(p.ys[l], m, rb, rows, rows.length, rate, random);
            if (!last) {
                p.ys[l + 1] = scatter(p.acts[l], batch);
            }
        }
        ReferenceSelfAttentionBlock.Activations top = p.acts[blocks.length - 1];
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
        }
        return p;
    }

    /**
     * The block outputs at every present position after the first {@code count} blocks (a test
     * hook: the causal mask is visible there, while the output shows the read-out position only).
     */
    float[] positionOutputs(float[] input, float[] mask, int batch, int count) {
        PassChecks.checkForward(this, SelfAttentionProvider.NAME, input, mask, batch);
        SelfPass p = new SelfPass(this, batch, mask);
        embed(input, p, 0f, null);
        int[] all = presentRows(mask, batch);
        float[] y = p.ys[0];
        for (int l = 0; l < count; l++) {
            y = scatter(blocks[l].forward(y, mask, recency == null ? null : recency.values(), all, all.length, 0f,
                    null), batch);
        }
        return y;
    }

    /** The block input: each present item plus its position's embedding (then input dropout); absent rows zero. */
    private void embed(float[] input, SelfPass p, float rate, RandomGenerator random) {
        float[] e = p.ys[0];
        float[] pos = position.values();
        for (int r = 0; r < p.batch * fields; r++) {
            if (DenseLayers.present(p.mask, r)) {
                int o = r * dim;
                int po = (r % fields) * dim;
                for (int d = 0; d < dim; d++) {
                    e[o + d] = input[o + d] + pos[po + d];
                }
            }
        }
        p.inputKeep = ReferenceSelfAttentionBlock.dropout(e, rate, random);
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

    private float[] scatter(ReferenceSelfAttentionBlock.Activations a, int batch) {
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
        for (int l = blocks.length - 1; l >= 0; l--) {
            float[] dY = new float[batch * fields * dim];
            blocks[l].backward(p.acts[l], p.ys[l], rb, dOut, dY, gRecency, gradients);
            if (l > 0) {
                // The previous block's outputs, gathered at its query rows.
                ReferenceSelfAttentionBlock.Activations prev = p.acts[l - 1];
                dOut = new float[prev.n * dim];
                for (int i = 0; i < prev.n; i++) {
                    System.arraycopy(dY, prev.rows[i] * dim, dOut, i * dim, dim);
                }
            } else {
                float[] gPosition = gradients.of(position);
                for (int r = 0; r < batch * fields; r++) {
                    if (!DenseLayers.present(p.mask, r)) {
                        continue;
                    }
                    int o = r * dim;
                    if (p.inputKeep != null) {
                        for (int d = 0; d < dim; d++) {
                            dY[o + d] *= p.inputKeep[o + d];
                        }
                    }
                    Vectors.axpy(1f, dY, o, gradFields, o, dim);
                    Vectors.axpy(1f, dY, o, gPosition, (r % fields) * dim, dim);
                }
            }
        }
    }

    /** One forward pass: the block inputs and activations, the read-out rows, outputs and weights. */
    private static final class SelfPass implements Pass {
        private final ReferenceHistorySelfAttention owner;
        private final int batch;
        private final float[] mask;
        private final float[][] ys; // the input of each block, batch x fields x dim
        private final ReferenceSelfAttentionBlock.Activations[] acts;
        private float[] inputKeep;
        private int[] readout;
        private final float[] output;
        private final float[] weights;

        SelfPass(ReferenceHistorySelfAttention owner, int batch, float[] mask) {
            this.owner = owner;
            this.batch = batch;
            this.mask = mask;
            ys = new float[owner.blocks.length][];
            ys[0] = new float[batch * owner.fields * owner.dim];
            acts = new ReferenceSelfAttentionBlock.Activations[owner.blocks.length];
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
