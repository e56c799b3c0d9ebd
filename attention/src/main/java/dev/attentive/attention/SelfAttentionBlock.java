package dev.attentive.attention;

import dev.attentive.api.Gradients;
import dev.attentive.api.Parameter;
import dev.attentive.kernels.Gemm;
import dev.attentive.kernels.LayerNorm;
import dev.attentive.kernels.Softmax;
import dev.attentive.kernels.Vectors;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * One post-norm transformer block of {@code self-attention}, evaluated at chosen query positions:
 * multi-head scaled dot-product attention from each query position {@code p} over the present
 * positions {@code j >= p} of its row (the input is most recent first, so that is the item itself
 * and every older one), residual and layer norm, a GELU feed-forward layer, residual and layer
 * norm.
 *
 * <p>The attention never forms per-position keys or values: a head's score is
 * {@code (Wq_h y_p) . (Wk_h y_j) = (Wk_h^T Wq_h y_p) . y_j}, so each query is carried into the
 * input space once ({@code U_h = Q_h Wk_h}) and scored against the raw inputs, and the value
 * projection is applied after pooling, {@code Wv_h (sum_j a_j y_j)}. Evaluated at the read-out
 * position only, a block then costs {@code O(fields * dim)} per row for the scores plus a few
 * {@code dim x dim} products, instead of projecting all {@code fields} positions. Every projection
 * runs over all query rows of the batch as one {@link Gemm} product (forward and backward).
 *
 * <p>Parameters are only read during passes; all per-pass state lives in {@link Activations}.
 */
final class SelfAttentionBlock {
    private static final float NORM_EPS = 1e-5f;
    private static final double GELU_C = Math.sqrt(2 / Math.PI);

    private final int fields;
    private final int dim;
    private final int heads;
    private final int headDim;
    private final int ffn;
    private final float scale;
    final Parameter wq;
    final Parameter wk;
    final Parameter wv;
    final Parameter wo;
    final Parameter norm1Gain;
    final Parameter norm1Bias;
    final Parameter hiddenWeight;
    final Parameter hiddenBias;
    final Parameter outputWeight;
    final Parameter outputBias;
    final Parameter norm2Gain;
    final Parameter norm2Bias;

    SelfAttentionBlock(String prefix, int fields, int dim, int heads, int ffn, Init init) {
        this.fields = fields;
        this.dim = dim;
        this.heads = heads;
        this.headDim = dim / heads;
        this.ffn = ffn;
        this.scale = (float) (1 / Math.sqrt(headDim));
        wq = new Parameter(prefix + "query.weight", new int[] {dim, dim}, init.xavier(dim, dim));
        wk = new Parameter(prefix + "key.weight", new int[] {dim, dim}, init.xavier(dim, dim));
        wv = new Parameter(prefix + "value.weight", new int[] {dim, dim}, init.xavier(dim, dim));
        wo = new Parameter(prefix + "output.weight", new int[] {dim, dim}, init.xavier(dim, dim));
        norm1Gain = new Parameter(prefix + "norm1.gain", new int[] {dim}, Init.constant(dim, 1f));
        norm1Bias = new Parameter(prefix + "norm1.bias", new int[] {dim}, new float[dim]);
        hiddenWeight = new Parameter(prefix + "ffn.hidden.weight", new int[] {ffn, dim}, init.xavier(ffn, dim));
        hiddenBias = new Parameter(prefix + "ffn.hidden.bias", new int[] {ffn}, new float[ffn]);
        outputWeight = new Parameter(prefix + "ffn.output.weight", new int[] {dim, ffn}, init.xavier(dim, ffn));
        outputBias = new Parameter(prefix + "ffn.output.bias", new int[] {dim}, new float[dim]);
        norm2Gain = new Parameter(prefix + "norm2.gain", new int[] {dim}, Init.constant(dim, 1f));
        norm2Bias = new Parameter(prefix + "norm2.bias", new int[] {dim}, new float[dim]);
    }

    List<Parameter> parameters() {
        return List.of(wq, wk, wv, wo, norm1Gain, norm1Bias, hiddenWeight, hiddenBias, outputWeight, outputBias,
                norm2Gain, norm2Bias);
    }

    /** What one block pass keeps for backward; {@code rows[i] = b * fields + p} names query row {@code i}. */
    static final class Activations {
        final int n;
        final int[] rows;
        final float[] yq; // n x dim: the block input at the query positions
        final float[] q; // n x dim
        final float[] u; // n x heads x dim: each head's query carried into the input space
        final float[] probs; // n x heads x fields, entry j - p
        final float[] z; // n x heads x dim: the attention-weighted inputs
        final float[] o; // n x dim: the heads' values, concatenated
        float[] attentionKeep; // n x dim dropout scales, or null
        final float[] normed1;
        final float[] inv1;
        final float[] y1;
        final float[] pre; // n x ffn: feed-forward pre-activations
        final float[] act; // n x ffn: GELU(pre)
        float[] ffnKeep; // n x dim dropout scales, or null
        final float[] normed2;
        final float[] inv2;
        final float[] out; // n x dim

        Activations(int n, int[] rows, int fields, int dim, int heads, int ffn) {
            this.n = n;
            this.rows = rows;
            yq = new float[n * dim];
            q = new float[n * dim];
            u = new float[n * heads * dim];
            probs = new float[n * heads * fields];
            z = new float[n * heads * dim];
            o = new float[n * dim];
            normed1 = new float[n * dim];
            inv1 = new float[n];
            y1 = new float[n * dim];
            pre = new float[n * ffn];
            act = new float[n * ffn];
            normed2 = new float[n * dim];
            inv2 = new float[n];
            out = new float[n * dim];
        }
    }

    /**
     * Evaluates the block at query rows {@code rows[0 .. n)} of {@code y} ({@code batch x fields x dim},
     * absent rows ignored).
     *
     * @param recency the learned score bias by distance {@code j - p}, or null
     * @param dropout the dropout rate to apply now (0 outside training)
     */
    Activations forward(float[] y, float[] mask, float[] recency, int[] rows, int n, float dropout,
            RandomGenerator random) {
        Activations a = new Activations(n, rows, fields, dim, heads, ffn);
        for (int i = 0; i < n; i++) {
            System.arraycopy(y, rows[i] * dim, a.yq, i * dim, dim);
        }
        project(a);
        float[] s = new float[fields];
        for (int i = 0; i < n; i++) {
            int base = rows[i] / fields * fields;
            attendRow(a, i, y, base * dim, mask, base, rows[i] - base, recency, s);
        }
        finish(a, dropout, random);
        return a;
    }

    /** A pass's activations for {@code n} query rows, to be filled by {@link #project} and the rest. */
    Activations activations(int n, int[] rows) {
        return new Activations(n, rows, fields, dim, heads, ffn);
    }

    /** The queries of {@code a.yq} and each head's query carried into the input space, for all rows at once. */
    void project(Activations a) {
        int n = a.n;
        Gemm.gemmNT(n, dim, dim, a.yq, 0, dim, wq.values(), 0, dim, a.q, 0, dim, false);
        for (int h = 0; h < heads; h++) {
            Gemm.gemmNN(n, dim, headDim, a.q, h * headDim, dim, wk.values(), h * headDim * dim, dim, a.u, h * dim,
                    heads * dim, false);
        }
    }

    /**
     * Query row {@code i} (position {@code p} of the batch row whose mask starts at {@code maskBase})
     * attends over the present positions {@code j >= p}, whose block inputs are at
     * {@code keys[keyBase + j * dim]}: fills its probabilities and attention-weighted inputs.
     */
    void attendRow(Activations a, int i, float[] keys, int keyBase, float[] mask, int maskBase, int p,
            float[] recency, float[] s) {
        // The scores use Vectors.dot, whose summation order is fixed on every path, not dotLanes,
        // whose lane reduction order is the Vector API's choice (and may differ between compiled and
        // interpreted code, so a training could differ from run to run).
        for (int h = 0; h < heads; h++) {
            int uo = (i * heads + h) * dim;
            int po = (i * heads + h) * fields;
            for (int j = p; j < fields; j++) {
                if (DenseLayers.present(mask, maskBase + j)) {
                    float sc = scale * Vectors.dot(a.u, uo, keys, keyBase + j * dim, dim);
                    s[j - p] = recency == null ? sc : sc + recency[j - p];
                }
            }
            Softmax.maskedForward(s, 0, mask, maskBase + p, fields - p, a.probs, po);
            for (int j = p; j < fields; j++) {
                float w = a.probs[po + j - p];
                if (w != 0) {
                    Vectors.axpyLanes(w, keys, keyBase + j * dim, a.z, uo, dim);
                }
            }
        }
    }

    /** From the attention-weighted inputs to the block output: value and output projections, residuals, norms, feed-forward. */
    void finish(Activations a, float dropout, RandomGenerator random) {
        int n = a.n;
        int hDim = heads * dim;
        for (int h = 0; h < heads; h++) {
            Gemm.gemmNT(n, headDim, dim, a.z, h * dim, hDim, wv.values(), h * headDim * dim, dim, a.o, h * headDim,
                    dim, false);
        }
        float[] r = new float[n * dim];
        Gemm.gemmNT(n, dim, dim, a.o, 0, dim, wo.values(), 0, dim, r, 0, dim, false);
        a.attentionKeep = dropout(r, dropout, random);
        for (int k = 0; k < n * dim; k++) {
            r[k] += a.yq[k];
        }
        layerNorm(r, n, norm1Gain.values(), norm1Bias.values(), a.normed1, a.inv1, a.y1);
        Gemm.gemmNT(n, ffn, dim, a.y1, 0, dim, hiddenWeight.values(), 0, dim, a.pre, 0, ffn, false);
        float[] c = hiddenBias.values();
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < ffn; k++) {
                int at = i * ffn + k;
                a.pre[at] += c[k];
                a.act[at] = gelu(a.pre[at]);
            }
        }
        Gemm.gemmNT(n, dim, ffn, a.act, 0, ffn, outputWeight.values(), 0, ffn, r, 0, dim, false);
        float[] ob = outputBias.values();
        for (int i = 0; i < n; i++) {
            Vectors.axpy(1f, ob, 0, r, i * dim, dim);
        }
        a.ffnKeep = dropout(r, dropout, random);
        for (int k = 0; k < n * dim; k++) {
            r[k] += a.y1[k];
        }
        layerNorm(r, n, norm2Gain.values(), norm2Bias.values(), a.normed2, a.inv2, a.out);
    }

    /**
     * Back-propagates {@code gradOut} ({@code n x dim}, left unchanged) through a pass made by
     * {@link #forward}: adds into {@code gradY} (the block input, {@code batch x fields x dim}), into
     * {@code gradRecency} when not null, and into the block's parameter gradients.
     */
    void backward(Activations a, float[] y, float[] recency, float[] gradOut, float[] gradY, float[] gradRecency,
            Gradients g) {
        int n = a.n;
        float[] dR1 = new float[n * dim];
        float[] dZ = backwardToAttention(a, gradOut, dR1, g);
        float[] dU = new float[n * heads * dim];
        float[] da = new float[fields];
        float[] ds = new float[fields];
        for (int i = 0; i < n; i++) {
            int base = a.rows[i] / fields * fields;
            attendRowBackward(a, i, y, base * dim, a.rows[i] - base, dZ, dU, gradY, base * dim, gradRecency, da, ds);
        }
        backwardFromQueries(a, dU, dR1, g);
        for (int i = 0; i < n; i++) {
            Vectors.axpy(1f, dR1, i * dim, gradY, a.rows[i] * dim, dim);
        }
    }

    /**
     * Back-propagates {@code gradOut} from the block output to the attention-weighted inputs: returns
     * their gradient ({@code n x heads x dim}) and leaves the residual's gradient at the query rows in
     * {@code dR1}; adds the feed-forward, norm, value and output weights' gradients.
     */
    float[] backwardToAttention(Activations a, float[] gradOut, float[] dR1, Gradients g) {
        int n = a.n;
        int hDim = heads * dim;
        float[] dR2 = new float[n * dim];
        layerNormBackward(gradOut, a.normed2, a.inv2, n, norm2Gain.values(), g.of(norm2Gain), g.of(norm2Bias), dR2);
        float[] dF = scaled(dR2, a.ffnKeep);
        Gemm.gemmTN(dim, ffn, n, dF, 0, dim, a.act, 0, ffn, g.of(outputWeight), 0, ffn, true);
        columnSums(dF, n, dim, g.of(outputBias));
        float[] dPre = new float[n * ffn];
        Gemm.gemmNN(n, ffn, dim, dF, 0, dim, outputWeight.values(), 0, ffn, dPre, 0, ffn, false);
        for (int k = 0; k < n * ffn; k++) {
            dPre[k] *= geluDerivative(a.pre[k]);
        }
        Gemm.gemmTN(ffn, dim, n, dPre, 0, ffn, a.y1, 0, dim, g.of(hiddenWeight), 0, dim, true);
        columnSums(dPre, n, ffn, g.of(hiddenBias));
        // dY1 = dR2 (the residual) + dPre Wh
        Gemm.gemmNN(n, dim, ffn, dPre, 0, ffn, hiddenWeight.values(), 0, dim, dR2, 0, dim, true);
        layerNormBackward(dR2, a.normed1, a.inv1, n, norm1Gain.values(), g.of(norm1Gain), g.of(norm1Bias), dR1);
        float[] dAttention = scaled(dR1, a.attentionKeep);
        Gemm.gemmTN(dim, dim, n, dAttention, 0, dim, a.o, 0, dim, g.of(wo), 0, dim, true);
        float[] dO = new float[n * dim];
        Gemm.gemmNN(n, dim, dim, dAttention, 0, dim, wo.values(), 0, dim, dO, 0, dim, false);
        float[] dZ = new float[n * hDim];
        float[] gWv = g.of(wv);
        for (int h = 0; h < heads; h++) {
            Gemm.gemmNN(n, dim, headDim, dO, h * headDim, dim, wv.values(), h * headDim * dim, dim, dZ, h * dim, hDim,
                    false);
            Gemm.gemmTN(headDim, dim, n, dO, h * headDim, dim, a.z, h * dim, hDim, gWv, h * headDim * dim, dim, true);
        }
        return dZ;
    }

    /**
     * The attention of query row {@code i} backward: adds the gradient of each attended input into
     * {@code gradKeys[gradBase + j * dim]}, of the carried query into {@code dU}, and of the recency
     * bias into {@code gradRecency} when not null. The inputs are read as in {@link #attendRow}.
     */
    void attendRowBackward(Activations a, int i, float[] keys, int keyBase, int p, float[] dZ, float[] dU,
            float[] gradKeys, int gradBase, float[] gradRecency, float[] da, float[] ds) {
        int len = fields - p;
        for (int h = 0; h < heads; h++) {
            int uo = (i * heads + h) * dim;
            int po = (i * heads + h) * fields;
            for (int j = p; j < fields; j++) {
                float w = a.probs[po + j - p];
                if (w != 0) {
                    da[j - p] = Vectors.dot(dZ, uo, keys, keyBase + j * dim, dim);
                    Vectors.axpyLanes(w, dZ, uo, gradKeys, gradBase + j * dim, dim);
                } else {
                    da[j - p] = 0;
                }
            }
            Softmax.backward(a.probs, po, da, 0, len, ds, 0);
            for (int j = p; j < fields; j++) {
                float d = ds[j - p];
                if (d == 0 || a.probs[po + j - p] == 0) {
                    continue;
                }
                Vectors.axpyLanes(d * scale, a.u, uo, gradKeys, gradBase + j * dim, dim);
                Vectors.axpyLanes(d * scale, keys, keyBase + j * dim, dU, uo, dim);
                if (gradRecency != null) {
                    gradRecency[j - p] += d;
                }
            }
        }
    }

    /**
     * From the carried queries' gradient {@code dU} to the query rows' inputs: adds the query and key
     * weights' gradients and the query path into {@code dR1}, which then holds the query rows' whole
     * input gradient (residual included).
     */
    void backwardFromQueries(Activations a, float[] dU, float[] dR1, Gradients g) {
        int n = a.n;
        int hDim = heads * dim;
        float[] dQ = new float[n * dim];
        float[] gWk = g.of(wk);
        for (int h = 0; h < heads; h++) {
            Gemm.gemmNT(n, headDim, dim, dU, h * dim, hDim, wk.values(), h * headDim * dim, dim, dQ, h * headDim, dim,
                    false);
            Gemm.gemmTN(headDim, dim, n, a.q, h * headDim, dim, dU, h * dim, hDim, gWk, h * headDim * dim, dim, true);
        }
        Gemm.gemmNN(n, dim, dim, dQ, 0, dim, wq.values(), 0, dim, dR1, 0, dim, true);
        Gemm.gemmTN(dim, dim, n, dQ, 0, dim, a.yq, 0, dim, g.of(wq), 0, dim, true);
    }

    /** Inverted dropout in place; returns the per-element scales (0 or {@code 1 / (1 - rate)}), or null for none. */
    static float[] dropout(float[] x, float rate, RandomGenerator random) {
        if (rate <= 0) {
            return null;
        }
        float[] keep = new float[x.length];
        float kept = 1 / (1 - rate);
        for (int k = 0; k < x.length; k++) {
            if (random.nextFloat() >= rate) {
                keep[k] = kept;
                x[k] *= kept;
            } else {
                x[k] = 0;
            }
        }
        return keep;
    }

    private static float[] scaled(float[] d, float[] keep) {
        if (keep == null) {
            return d;
        }
        float[] out = new float[d.length];
        for (int k = 0; k < d.length; k++) {
            out[k] = d[k] * keep[k];
        }
        return out;
    }

    private static void columnSums(float[] m, int rows, int cols, float[] into) {
        for (int i = 0; i < rows; i++) {
            Vectors.axpy(1f, m, i * cols, into, 0, cols);
        }
    }

    private void layerNorm(float[] x, int n, float[] gain, float[] bias, float[] normed, float[] inv, float[] out) {
        for (int i = 0; i < n; i++) {
            inv[i] = LayerNorm.forward(x, i * dim, dim, NORM_EPS, gain, bias, normed, i * dim, out, i * dim);
        }
    }

    private void layerNormBackward(float[] dOut, float[] normed, float[] inv, int n, float[] gain, float[] gGain,
            float[] gBias, float[] dIn) {
        for (int i = 0; i < n; i++) {
            LayerNorm.backward(dOut, i * dim, normed, i * dim, dim, inv[i], gain, gGain, gBias, 0, dIn, i * dim);
        }
    }

    /**
     * GELU, tanh form. GELU rather than ReLU: it has no kink, so the finite-difference gradient checks
     * cannot straddle one.
     */
    static float gelu(float x) {
        double t = DenseLayers.tanh(GELU_C * (x + 0.044715 * x * x * x));
        return (float) (0.5 * x * (1 + t));
    }

    static float geluDerivative(float x) {
        double t = DenseLayers.tanh(GELU_C * (x + 0.044715 * x * x * x));
        return (float) (0.5 * (1 + t) + 0.5 * x * (1 - t * t) * GELU_C * (1 + 3 * 0.044715 * x * x));
    }
}
