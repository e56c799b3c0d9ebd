package dev.attentive.attention;

import dev.attentive.api.Attention;
import dev.attentive.api.Gradients;
import dev.attentive.api.Parameter;
import dev.attentive.kernels.Gemm;
import dev.attentive.kernels.LayerNorm;
import dev.attentive.kernels.Softmax;
import dev.attentive.kernels.Vectors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * AutoInt-style multi-head self-attention across the field vectors, then attention pooling. Each
 * layer: per head {@code h}, {@code Q = X Wq_h}, {@code K = X Wk_h}, {@code V = X Wv_h}; every
 * present field attends over the present fields with {@code softmax(Q K^T / sqrt(headDim))}; the
 * heads are concatenated, projected back to {@code dim} by {@code Wo}, added to the input
 * (residual) and layer-normalised. Missing fields neither attend nor are attended to (their rows
 * stay zero). A learned query then pools the attended fields exactly as {@code attention-pooling}
 * does; its softmax weights are the exposed per-field weights and {@code outputDim == dim}.
 * Parameters are only read during passes; all per-pass state lives in the {@link Pass}.
 *
 * <p>The projections run over the whole batch at once: the {@code (batch * fields) x dim} field
 * matrix times the concatenated query/key/value weights, and the attended values times the output
 * weights, as {@link Gemm} products (and likewise the backward pass), so that the cost is a few
 * dense matrix products instead of small matrix-vector products per field. Only the per-row
 * {@code fields x fields} attention is computed row by row. Rows are independent, so both passes
 * run over blocks of {@link #BLOCK} batch rows whose intermediates stay in cache; the weight
 * gradients accumulate over the blocks. The backward pass is in {@link FieldSelfAttentionBackward}.
 *
 * <p>Precision: the whole pass is in float, the per-row softmaxes included (their exponentials by
 * {@link Softmax#expShifted} over a whole block of rows at once) and the layer norms by
 * {@link LayerNorm}; only the pooling's softmax keeps double accumulators. Earlier 0.2.0 snapshots
 * ran the forward pass in double, then the attention softmaxes and layer-norm statistics in double
 * (README, COMPATIBILITY). The outputs stay within 32 float ulps of an independent double reference
 * (FieldSelfAttentionGradientTest; measured worst 6.2e-7 relative when the products went to float,
 * before the softmaxes and layer norms did). The layer norm makes the outputs O(1), so the kit's finite-difference check
 * on float outputs sees their rounding divided by its step: its tolerance for this plugin is the
 * 1e-2 of {@code self-attention} (measured worst 1.4e-3); the gradients themselves stay within
 * 1e-3 relative (floor 1e-3) of central differences of an independent double reference.
 */
final class FieldSelfAttention implements Attention {
    private static final float NORM_EPS = 1e-5f;
    /**
     * Batch rows per block: the whole forward (and backward) runs block by block, so that the
     * activations of a block ({@code 32 * fields} field rows) stay in cache from one layer to the next.
     */
    static final int BLOCK = 32;
    /** Workspaces larger than this (big inference batches) are not kept for reuse. */
    static final long MAX_POOLED_BYTES = 32L << 20;

    final int fields;
    final int dim;
    final int heads;
    final int headDim;
    final int width; // heads * headDim
    final int layers;
    final float attentionScale;
    final float poolScale;
    final Parameter[] wq;
    final Parameter[] wk;
    final Parameter[] wv;
    final Parameter[] wo;
    final Parameter[] gain;
    final Parameter[] shift;
    final Parameter poolQuery;
    final Parameter poolBias; // null without field bias
    private final List<Parameter> parameters;
    private final FieldSelfAttentionBackward backwardPass;
    /** The activations of released passes, for the next ones (two passes alive at once: one per thread). */
    private final WorkspacePool<Workspace> workspaces =
            new WorkspacePool<>(2, MAX_POOLED_BYTES, rows -> new Workspace(this, rows));

    FieldSelfAttention(int fields, int dim, int heads, int headDim, int layers, boolean fieldBias, long seed) {
        this.fields = fields;
        this.dim = dim;
        this.heads = heads;
        this.headDim = headDim;
        this.width = heads * headDim;
        this.layers = layers;
        this.attentionScale = (float) (1 / Math.sqrt(headDim));
        this.poolScale = (float) (1 / Math.sqrt(dim));
        Init init = new Init(seed);
        wq = new Parameter[layers];
        wk = new Parameter[layers];
        wv = new Parameter[layers];
        wo = new Parameter[layers];
        gain = new Parameter[layers];
        shift = new Parameter[layers];
        List<Parameter> ps = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            String prefix = "layer" + l + ".";
            wq[l] = new Parameter(prefix + "query.weight", new int[] {width, dim}, init.xavier(width, dim));
            wk[l] = new Parameter(prefix + "key.weight", new int[] {width, dim}, init.xavier(width, dim));
            wv[l] = new Parameter(prefix + "value.weight", new int[] {width, dim}, init.xavier(width, dim));
            wo[l] = new Parameter(prefix + "output.weight", new int[] {dim, width}, init.xavier(dim, width));
            gain[l] = new Parameter(prefix + "norm.gain", new int[] {dim}, Init.constant(dim, 1f));
            shift[l] = new Parameter(prefix + "norm.bias", new int[] {dim}, new float[dim]);
            ps.addAll(List.of(wq[l], wk[l], wv[l], wo[l], gain[l], shift[l]));
        }
        poolQuery = new Parameter("pool.query", new int[] {dim}, init.normal(dim, 1 / Math.sqrt(dim)));
        ps.add(poolQuery);
        poolBias = fieldBias ? new Parameter("pool.field.bias", new int[] {fields}, new float[fields]) : null;
        if (poolBias != null) {
            ps.add(poolBias);
        }
        parameters = List.copyOf(ps);
        backwardPass = new FieldSelfAttentionBackward(this);
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
        PassChecks.checkForward(this, FieldSelfAttentionProvider.NAME, input, mask, batch);
        float[] m = mask == null ? null : Arrays.copyOf(mask, batch * fields);
        SelfPass p = new SelfPass(this, batch, m, workspaces.acquire(batch * fields));
        int w3 = 3 * width;
        float[][] qkvWeightsT = new float[layers][dim * w3];
        float[][] outputWeightsT = new float[layers][width * dim];
        for (int l = 0; l < layers; l++) {
            Vectors.transpose(wq[l].values(), 0, width, dim, qkvWeightsT[l], 0, w3);
            Vectors.transpose(wk[l].values(), 0, width, dim, qkvWeightsT[l], width, w3);
            Vectors.transpose(wv[l].values(), 0, width, dim, qkvWeightsT[l], 2 * width, w3);
            Vectors.transpose(wo[l].values(), 0, dim, width, outputWeightsT[l], 0, dim);
        }
        // The input with missing rows zero: nothing of a missing field (not even a NaN) reaches a
        // product, and the products may then run over every row. (The workspace may be reused: every
        // array is written before it is read, never assumed zero.)
        for (int r = 0; r < batch * fields; r++) {
            if (DenseLayers.present(m, r)) {
                System.arraycopy(input, r * dim, p.xs[0], r * dim, dim);
            } else {
                Arrays.fill(p.xs[0], r * dim, (r + 1) * dim, 0f);
            }
        }
        double[] scores = new double[fields];
        double[] out = new double[dim];
        for (int b0 = 0; b0 < batch; b0 += BLOCK) {
            int nb = Math.min(BLOCK, batch - b0);
            for (int l = 0; l < layers; l++) {
                layerForward(p, l, b0, nb, qkvWeightsT[l], outputWeightsT[l]);
            }
            pool(p, b0, nb, scores, out);
        }
        return p;
    }

    /** Layer {@code l} over batch rows {@code [b0, b0 + nb)}: from {@code p.xs[l]} into {@code p.xs[l + 1]}. */
    private void layerForward(SelfPass p, int l, int b0, int nb, float[] qkvWeightsT, float[] outputWeightsT) {
        int r0 = b0 * fields;
        int nr = nb * fields;
        int w3 = 3 * width;
        float[] x = p.xs[l];
        float[] qkv = p.qkv[l];
        float[] o = p.o[l];
        float[] n = p.normed[l];
        float[] y = p.xs[l + 1];
        float[] probs = p.probs[l];
        float[] mask = p.mask;
        // [Q | K | V] = X [Wq; Wk; Wv]^T, one (rows x dim) . (dim x 3 width) product.
        Gemm.gemmNN(nr, w3, dim, x, r0 * dim, dim, qkvWeightsT, 0, w3, qkv, r0 * w3, w3, false);
        Arrays.fill(o, r0 * width, (r0 + nr) * width, 0f); // the attended values are summed into it
        // The block's attention scores, shifted by each row's maximum (-infinity where either field
        // is missing), then their exponentials in one pass over the block, then each row normalised.
        int pBase = b0 * heads * fields * fields;
        for (int b = 0; b < nb; b++) {
            int row = r0 + b * fields;
            for (int h = 0; h < heads; h++) {
                int ho = h * headDim;
                for (int f = 0; f < fields; f++) {
                    int po = (((b0 + b) * heads + h) * fields + f) * fields;
                    int bf = row + f;
                    if (!DenseLayers.present(mask, bf)) {
                        Arrays.fill(probs, po, po + fields, Float.NEGATIVE_INFINITY);
                        continue;
                    }
                    int qo = bf * w3 + ho;
                    float max = Float.NEGATIVE_INFINITY;
                    for (int j = 0; j < fields; j++) {
                        float sc = DenseLayers.present(mask, row + j)
                                ? attentionScale * Vectors.dotLanes(qkv, qo, qkv, (row + j) * w3 + width + ho, headDim)
                                : Float.NEGATIVE_INFINITY;
                        probs[po + j] = sc;
                        max = Math.max(max, sc);
                    }
                    for (int j = 0; j < fields; j++) {
                        probs[po + j] -= max; // the row's own field is present: max is finite
                    }
                }
            }
        }
        Softmax.expShifted(probs, pBase, nb * heads * fields * fields, 0f); // exp(-infinity) = 0
        for (int b = 0; b < nb; b++) {
            int row = r0 + b * fields;
            for (int h = 0; h < heads; h++) {
                int ho = h * headDim;
                for (int f = 0; f < fields; f++) {
                    int po = (((b0 + b) * heads + h) * fields + f) * fields;
                    int bf = row + f;
                    if (!DenseLayers.present(mask, bf)) {
                        Arrays.fill(probs, po, po + fields, 0f);
                        continue;
                    }
                    float sum = 0;
                    for (int j = 0; j < fields; j++) {
                        sum += probs[po + j];
                    }
                    float inv = 1 / sum;
                    for (int j = 0; j < fields; j++) {
                        probs[po + j] *= inv;
                    }
                    // o_f = sum_j P[f][j] V_j in registers (missing fields weigh 0; their rows are zero).
                    Vectors.combineLanes(probs, po, 1, fields, qkv, row * w3 + 2 * width + ho, w3, o, bf * width + ho,
                            headDim);
                }
            }
        }
        // z = x + O Wo^T, built in n and normalised there in place.
        System.arraycopy(x, r0 * dim, n, r0 * dim, nr * dim);
        Gemm.gemmNN(nr, dim, width, o, r0 * width, width, outputWeightsT, 0, dim, n, r0 * dim, dim, true);
        float[] g = gain[l].values();
        float[] beta = shift[l].values();
        for (int r = r0; r < r0 + nr; r++) {
            int ro = r * dim;
            if (!DenseLayers.present(mask, r)) {
                Arrays.fill(n, ro, ro + dim, 0f);
                Arrays.fill(y, ro, ro + dim, 0f);
                continue;
            }
            p.invStd[l][r] = LayerNorm.forward(n, ro, dim, NORM_EPS, g, beta, n, ro, y, ro);
        }
    }

    /** Pools batch rows {@code [b0, b0 + nb)} of the top layer, {@code p.xs[layers]}. */
    private void pool(SelfPass p, int b0, int nb, double[] scores, double[] out) {
        float[] y = p.xs[layers];
        float[] q = poolQuery.values();
        for (int b = 0; b < nb; b++) {
            int row = (b0 + b) * fields;
            for (int f = 0; f < fields; f++) {
                if (DenseLayers.present(p.mask, row + f)) {
                    double sc = poolScale * Vectors.dotDoubleAccumulate(q, 0, y, (row + f) * dim, dim);
                    scores[f] = poolBias == null ? sc : sc + poolBias.values()[f];
                }
            }
            if (Softmax.maskedForward(scores, 0, p.mask, row, fields, p.poolWeights, row)) {
                Arrays.fill(out, 0);
                for (int f = 0; f < fields; f++) {
                    double w = p.poolWeights[row + f];
                    p.weights[row + f] = (float) w;
                    if (w != 0) {
                        int yo = (row + f) * dim;
                        for (int d = 0; d < dim; d++) {
                            out[d] += w * y[yo + d];
                        }
                    }
                }
                for (int d = 0; d < dim; d++) {
                    p.output[(b0 + b) * dim + d] = (float) out[d];
                }
            }
        }
    }

    @Override
    public void backward(Pass pass, float[] gradOutput, float[] gradFields, Gradients gradients) {
        if (!(pass instanceof SelfPass p) || p.owner != this) {
            throw PassChecks.foreignPass(FieldSelfAttentionProvider.NAME, pass);
        }
        if (p.workspace == null) {
            throw new IllegalStateException(FieldSelfAttentionProvider.NAME + ": backward through a released pass;"
                    + " its activations may already belong to another pass. Release a pass only after its last"
                    + " backward, or run forward again");
        }
        PassChecks.checkBackward(this, FieldSelfAttentionProvider.NAME, p.batch, gradOutput, gradFields);
        backwardPass.run(p, gradOutput, gradFields, gradients);
    }

    /**
     * The pass of a batch: the activations that backward needs (in a {@link Workspace}, returned for
     * reuse by {@link #release()}), the mask, and the output and weights (the pass's own arrays).
     */
    static final class SelfPass implements Pass {
        private final FieldSelfAttention owner;
        final int batch;
        final float[] mask;
        final float[][] xs; // layers + 1 activations; xs[0] is the input with missing rows zeroed
        final float[][] qkv; // per row: query | key | value, each heads * headDim wide
        final float[][] o;
        final float[][] probs;
        final float[][] normed;
        final float[][] invStd;
        final double[] poolWeights;
        private final float[] weights;
        private final float[] output;
        /** Null once released. */
        Workspace workspace;

        SelfPass(FieldSelfAttention a, int batch, float[] mask, Workspace w) {
            this.owner = a;
            this.batch = batch;
            this.mask = mask;
            this.workspace = w;
            xs = w.xs;
            qkv = w.qkv;
            o = w.o;
            probs = w.probs;
            normed = w.normed;
            invStd = w.invStd;
            poolWeights = w.poolWeights;
            weights = new float[batch * a.fields];
            output = new float[batch * a.dim];
        }

        @Override
        public void release() {
            Workspace w = workspace;
            if (w != null) {
                workspace = null;
                owner.workspaces.release(w);
            }
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

    /**
     * A pass's activations, sized for {@link #capacity()} field rows ({@code batch * fields}, the
     * batch rounded up to a multiple of 128 so that batches of nearby sizes share it), and the backward
     * pass's block buffers, made at its first backward.
     */
    static final class Workspace implements WorkspacePool.Sized {
        private final int capacity;
        private final long bytes;
        final float[][] xs;
        final float[][] qkv;
        final float[][] o;
        final float[][] probs;
        final float[][] normed;
        final float[][] invStd;
        final double[] poolWeights;
        FieldSelfAttentionBackward.BackwardScratch scratch;

        Workspace(FieldSelfAttention a, int rows) {
            int rounded = (rows + 128 * a.fields - 1) / (128 * a.fields) * (128 * a.fields);
            capacity = rounded;
            xs = new float[a.layers + 1][rounded * a.dim];
            qkv = new float[a.layers][rounded * 3 * a.width];
            o = new float[a.layers][rounded * a.width];
            probs = new float[a.layers][rounded * a.heads * a.fields];
            normed = new float[a.layers][rounded * a.dim];
            invStd = new float[a.layers][rounded];
            poolWeights = new double[rounded];
            long floats = (long) rounded * ((a.layers + 1) * a.dim + a.layers * (4L * a.width + a.dim
                    + a.heads * a.fields + 1L));
            long doubles = rounded;
            bytes = 4 * floats + 8 * doubles;
        }

        @Override
        public int capacity() {
            return capacity;
        }

        @Override
        public long bytes() {
            return bytes;
        }
    }
}
