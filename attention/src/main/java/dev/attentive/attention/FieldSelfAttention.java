package dev.attentive.attention;

import dev.attentive.api.Attention;
import dev.attentive.api.Gradients;
import dev.attentive.api.Parameter;
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
 * Parameters are only read during passes; all per-pass state lives in the {@link Pass}. Activations
 * are kept in double: the layer norm divides by each field's spread and so amplifies rounding, and
 * in float that rounding alone exceeds the gradient check's tolerance.
 */
final class FieldSelfAttention implements Attention {
    private static final float NORM_EPS = 1e-5f;

    private final int fields;
    private final int dim;
    private final int heads;
    private final int headDim;
    private final int width; // heads * headDim
    private final int layers;
    private final float attentionScale;
    private final float poolScale;
    private final Parameter[] wq;
    private final Parameter[] wk;
    private final Parameter[] wv;
    private final Parameter[] wo;
    private final Parameter[] gain;
    private final Parameter[] shift;
    private final Parameter poolQuery;
    private final Parameter poolBias; // null without field bias
    private final List<Parameter> parameters;

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
        DenseOps.checkForward(this, FieldSelfAttentionProvider.NAME, input, mask, batch);
        SelfPass p = new SelfPass(this, batch, mask == null ? null : Arrays.copyOf(mask, batch * fields));
        for (int i = 0; i < batch * fields * dim; i++) {
            p.xs[0][i] = input[i];
        }
        double[] scores = new double[fields];
        double[] z = new double[dim];
        for (int b = 0; b < batch; b++) {
            for (int l = 0; l < layers; l++) {
                layerForward(p, l, b, scores, z);
            }
            pool(p, b, z);
        }
        return p;
    }

    private void layerForward(SelfPass p, int l, int b, double[] scores, double[] z) {
        double[] x = p.xs[l];
        double[] y = p.xs[l + 1];
        double[] q = p.q[l];
        double[] k = p.k[l];
        double[] v = p.v[l];
        double[] o = p.o[l];
        double[] probs = p.probs[l];
        float[] mask = p.mask;
        int row = b * fields;
        for (int f = 0; f < fields; f++) {
            int bf = row + f;
            if (!DenseOps.present(mask, bf)) {
                continue;
            }
            DenseOps.matVec(wq[l].values(), 0, width, dim, x, bf * dim, q, bf * width);
            DenseOps.matVec(wk[l].values(), 0, width, dim, x, bf * dim, k, bf * width);
            DenseOps.matVec(wv[l].values(), 0, width, dim, x, bf * dim, v, bf * width);
        }
        for (int h = 0; h < heads; h++) {
            int ho = h * headDim;
            for (int f = 0; f < fields; f++) {
                int bf = row + f;
                if (!DenseOps.present(mask, bf)) {
                    continue;
                }
                for (int j = 0; j < fields; j++) {
                    scores[j] = DenseOps.present(mask, row + j)
                            ? attentionScale * DenseOps.dot(q, bf * width + ho, k, (row + j) * width + ho, headDim)
                            : 0;
                }
                int po = ((b * heads + h) * fields + f) * fields;
                DenseOps.maskedSoftmax(scores, 0, mask, row, fields, probs, po);
                for (int j = 0; j < fields; j++) {
                    double a = probs[po + j];
                    if (a != 0) {
                        DenseOps.axpy(a, v, (row + j) * width + ho, o, bf * width + ho, headDim);
                    }
                }
            }
        }
        float[] g = gain[l].values();
        float[] beta = shift[l].values();
        for (int f = 0; f < fields; f++) {
            int bf = row + f;
            if (!DenseOps.present(mask, bf)) {
                continue;
            }
            DenseOps.matVec(wo[l].values(), 0, dim, width, o, bf * width, z, 0);
            double mean = 0;
            for (int d = 0; d < dim; d++) {
                z[d] += x[bf * dim + d];
                mean += z[d];
            }
            mean /= dim;
            double var = 0;
            for (int d = 0; d < dim; d++) {
                double c = z[d] - mean;
                var += c * c;
            }
            double inv = 1 / Math.sqrt(var / dim + NORM_EPS);
            p.invStd[l][bf] = inv;
            double[] n = p.normed[l];
            for (int d = 0; d < dim; d++) {
                double nd = (z[d] - mean) * inv;
                n[bf * dim + d] = nd;
                y[bf * dim + d] = g[d] * nd + beta[d];
            }
        }
    }

    private void pool(SelfPass p, int b, double[] out) {
        double[] y = p.xs[layers];
        int row = b * fields;
        for (int f = 0; f < fields; f++) {
            int bf = row + f;
            if (DenseOps.present(p.mask, bf)) {
                double s = poolScale * DenseOps.dot(poolQuery.values(), 0, y, bf * dim, dim);
                p.poolScores[bf] = poolBias == null ? s : s + poolBias.values()[f];
            }
        }
        if (DenseOps.maskedSoftmax(p.poolScores, row, p.mask, row, fields, p.poolWeights, row)) {
            java.util.Arrays.fill(out, 0);
            for (int f = 0; f < fields; f++) {
                double w = p.poolWeights[row + f];
                p.weights[row + f] = (float) w;
                if (w != 0) {
                    DenseOps.axpy(w, y, (row + f) * dim, out, 0, dim);
                }
            }
            for (int d = 0; d < dim; d++) {
                p.exactOutput[b * dim + d] = out[d];
                p.output[b * dim + d] = (float) out[d];
            }
        }
    }

    @Override
    public void backward(Pass pass, float[] gradOutput, float[] gradFields, Gradients gradients) {
        if (!(pass instanceof SelfPass p) || p.owner != this) {
            throw DenseOps.foreignPass(FieldSelfAttentionProvider.NAME, pass);
        }
        DenseOps.checkBackward(this, FieldSelfAttentionProvider.NAME, p.batch, gradOutput, gradFields);
        Scratch s = new Scratch();
        float[] gQuery = gradients.of(poolQuery);
        float[] gBias = poolBias == null ? null : gradients.of(poolBias);
        double[] top = p.xs[layers];
        double[] w = p.poolWeights;
        for (int b = 0; b < p.batch; b++) {
            int row = b * fields;
            boolean any = false;
            Arrays.fill(s.dy, 0);
            for (int f = 0; f < fields; f++) {
                int bf = row + f;
                if (w[bf] != 0) {
                    any = true;
                    s.dw[f] = DenseOps.dot(gradOutput, b * dim, top, bf * dim, dim);
                    DenseOps.axpy(w[bf], gradOutput, b * dim, s.dy, f * dim, dim);
                } else {
                    s.dw[f] = 0;
                }
            }
            if (!any) {
                continue;
            }
            DenseOps.softmaxBackward(w, row, s.dw, 0, fields, s.ds, 0);
            for (int f = 0; f < fields; f++) {
                double g = s.ds[f];
                if (w[row + f] == 0 || g == 0) {
                    continue;
                }
                if (gBias != null) {
                    gBias[f] += (float) g;
                }
                DenseOps.axpy(g * poolScale, top, (row + f) * dim, gQuery, 0, dim);
                DenseOps.axpy(g * poolScale, poolQuery.values(), 0, s.dy, f * dim, dim);
            }
            for (int l = layers - 1; l >= 0; l--) {
                layerBackward(p, l, b, s, gradients);
                double[] t = s.dy;
                s.dy = s.dx;
                s.dx = t;
            }
            for (int f = 0; f < fields; f++) {
                if (DenseOps.present(p.mask, row + f)) {
                    DenseOps.axpy(1f, s.dy, f * dim, gradFields, (row + f) * dim, dim);
                }
            }
        }
    }

    /** Back through layer {@code l} of row {@code b}: reads {@code s.dy}, sets {@code s.dx}. */
    private void layerBackward(SelfPass p, int l, int b, Scratch s, Gradients gradients) {
        double[] x = p.xs[l];
        double[] q = p.q[l];
        double[] k = p.k[l];
        double[] v = p.v[l];
        double[] o = p.o[l];
        double[] n = p.normed[l];
        double[] probs = p.probs[l];
        float[] mask = p.mask;
        float[] g = gain[l].values();
        float[] gGain = gradients.of(gain[l]);
        float[] gShift = gradients.of(shift[l]);
        float[] gWo = gradients.of(wo[l]);
        int row = b * fields;
        Arrays.fill(s.dx, 0);
        Arrays.fill(s.dq, 0);
        Arrays.fill(s.dk, 0);
        Arrays.fill(s.dv, 0);
        Arrays.fill(s.dO, 0);
        for (int f = 0; f < fields; f++) {
            int bf = row + f;
            if (!DenseOps.present(mask, bf)) {
                continue;
            }
            // Layer norm: y = gain * n + bias, n = (z - mean) * invStd.
            double meanDn = 0;
            double meanDnN = 0;
            for (int d = 0; d < dim; d++) {
                double dyd = s.dy[f * dim + d];
                double nd = n[bf * dim + d];
                gGain[d] += (float) (dyd * nd);
                gShift[d] += (float) dyd;
                double dn = dyd * g[d];
                s.dz[d] = dn;
                meanDn += dn;
                meanDnN += dn * nd;
            }
            meanDn /= dim;
            meanDnN /= dim;
            double inv = p.invStd[l][bf];
            for (int d = 0; d < dim; d++) {
                s.dz[d] = inv * (s.dz[d] - meanDn - n[bf * dim + d] * meanDnN);
            }
            // z = x + Wo o
            DenseOps.axpy(1f, s.dz, 0, s.dx, f * dim, dim);
            DenseOps.outerAdd(gWo, 0, dim, width, s.dz, 0, o, bf * width);
            DenseOps.matTVecAdd(wo[l].values(), 0, dim, width, s.dz, 0, s.dO, f * width);
        }
        for (int h = 0; h < heads; h++) {
            int ho = h * headDim;
            for (int f = 0; f < fields; f++) {
                int bf = row + f;
                if (!DenseOps.present(mask, bf)) {
                    continue;
                }
                int po = ((b * heads + h) * fields + f) * fields;
                for (int j = 0; j < fields; j++) {
                    double a = probs[po + j];
                    if (a != 0) {
                        s.dp[j] = DenseOps.dot(s.dO, f * width + ho, v, (row + j) * width + ho, headDim);
                        DenseOps.axpy(a, s.dO, f * width + ho, s.dv, j * width + ho, headDim);
                    } else {
                        s.dp[j] = 0;
                    }
                }
                DenseOps.softmaxBackward(probs, po, s.dp, 0, fields, s.ds, 0);
                for (int j = 0; j < fields; j++) {
                    double d = s.ds[j] * attentionScale;
                    if (d != 0) {
                        DenseOps.axpy(d, k, (row + j) * width + ho, s.dq, f * width + ho, headDim);
                        DenseOps.axpy(d, q, bf * width + ho, s.dk, j * width + ho, headDim);
                    }
                }
            }
        }
        float[] gWq = gradients.of(wq[l]);
        float[] gWk = gradients.of(wk[l]);
        float[] gWv = gradients.of(wv[l]);
        for (int f = 0; f < fields; f++) {
            int bf = row + f;
            if (!DenseOps.present(mask, bf)) {
                continue;
            }
            DenseOps.outerAdd(gWq, 0, width, dim, s.dq, f * width, x, bf * dim);
            DenseOps.outerAdd(gWk, 0, width, dim, s.dk, f * width, x, bf * dim);
            DenseOps.outerAdd(gWv, 0, width, dim, s.dv, f * width, x, bf * dim);
            DenseOps.matTVecAdd(wq[l].values(), 0, width, dim, s.dq, f * width, s.dx, f * dim);
            DenseOps.matTVecAdd(wk[l].values(), 0, width, dim, s.dk, f * width, s.dx, f * dim);
            DenseOps.matTVecAdd(wv[l].values(), 0, width, dim, s.dv, f * width, s.dx, f * dim);
        }
    }

    /** Per-backward-call buffers for one row, reused across rows. */
    private final class Scratch {
        double[] dy = new double[fields * dim];
        double[] dx = new double[fields * dim];
        final double[] dq = new double[fields * width];
        final double[] dk = new double[fields * width];
        final double[] dv = new double[fields * width];
        final double[] dO = new double[fields * width];
        final double[] dz = new double[dim];
        final double[] dw = new double[fields];
        final double[] ds = new double[fields];
        final double[] dp = new double[fields];
    }

    /** The pass; package-private so that tests can read the output before its rounding to float. */
    static final class SelfPass implements Pass {
        private final FieldSelfAttention owner;
        private final int batch;
        private final float[] mask;
        private final double[][] xs; // layers + 1 activations; xs[0] is a copy of the input
        private final double[][] q;
        private final double[][] k;
        private final double[][] v;
        private final double[][] o;
        private final double[][] probs;
        private final double[][] normed;
        private final double[][] invStd;
        private final double[] poolScores;
        private final double[] poolWeights;
        private final float[] weights;
        private final float[] output;
        private final double[] exactOutput;

        SelfPass(FieldSelfAttention a, int batch, float[] mask) {
            this.owner = a;
            this.batch = batch;
            this.mask = mask;
            int rows = batch * a.fields;
            xs = new double[a.layers + 1][rows * a.dim];
            q = new double[a.layers][rows * a.width];
            k = new double[a.layers][rows * a.width];
            v = new double[a.layers][rows * a.width];
            o = new double[a.layers][rows * a.width];
            probs = new double[a.layers][rows * a.heads * a.fields];
            normed = new double[a.layers][rows * a.dim];
            invStd = new double[a.layers][rows];
            poolScores = new double[rows];
            poolWeights = new double[rows];
            weights = new float[rows];
            output = new float[batch * a.dim];
            exactOutput = new double[batch * a.dim];
        }

        /** The output before rounding to float, for gradient checks in double. */
        double[] exactOutput() {
            return exactOutput;
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
