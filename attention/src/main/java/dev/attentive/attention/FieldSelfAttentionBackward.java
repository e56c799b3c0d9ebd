package dev.attentive.attention;

import dev.attentive.api.Gradients;
import dev.attentive.api.Parameter;
import dev.attentive.attention.FieldSelfAttention.SelfPass;
import dev.attentive.kernels.Gemm;
import dev.attentive.kernels.LayerNorm;
import dev.attentive.kernels.Softmax;
import dev.attentive.kernels.Vectors;
import java.util.Arrays;

/**
 * The backward pass of {@link FieldSelfAttention}, block by block as its forward runs: back through
 * the pooling, then the layers from the top. Its own class so that each pass stays readable in one
 * file; it holds the attention's shapes and its parameter objects (their values read at call time)
 * and no per-call state, so the attention's one instance serves every call.
 */
final class FieldSelfAttentionBackward {
    private static final int BLOCK = FieldSelfAttention.BLOCK;

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

    FieldSelfAttentionBackward(FieldSelfAttention a) {
        this.fields = a.fields;
        this.dim = a.dim;
        this.heads = a.heads;
        this.headDim = a.headDim;
        this.width = a.width;
        this.layers = a.layers;
        this.attentionScale = a.attentionScale;
        this.poolScale = a.poolScale;
        this.wq = a.wq;
        this.wk = a.wk;
        this.wv = a.wv;
        this.wo = a.wo;
        this.gain = a.gain;
        this.shift = a.shift;
        this.poolQuery = a.poolQuery;
        this.poolBias = a.poolBias;
    }

    /** {@link FieldSelfAttention#backward} for a pass that has passed its checks. */
    void run(SelfPass p, float[] gradOutput, float[] gradFields, Gradients gradients) {
        BackwardScratch s = p.workspace.scratch;
        if (s == null) {
            s = new BackwardScratch(BLOCK * fields);
            p.workspace.scratch = s;
        } else {
            Arrays.fill(s.gGain, 0);
            Arrays.fill(s.gShift, 0);
        }
        for (int b0 = 0; b0 < p.batch; b0 += BLOCK) {
            int nb = Math.min(BLOCK, p.batch - b0);
            int r0 = b0 * fields;
            poolBackward(p, b0, nb, gradOutput, s, gradients);
            for (int l = layers - 1; l >= 0; l--) {
                layerBackward(p, l, r0, nb * fields, s, gradients);
                float[] t = s.dy;
                s.dy = s.dx;
                s.dx = t;
            }
            for (int r = 0; r < nb * fields; r++) {
                if (DenseLayers.present(p.mask, r0 + r)) {
                    Vectors.axpy(1f, s.dy, r * dim, gradFields, (r0 + r) * dim, dim);
                }
            }
        }
        for (int l = 0; l < layers; l++) {
            float[] gGain = gradients.of(gain[l]);
            float[] gShift = gradients.of(shift[l]);
            for (int d = 0; d < dim; d++) {
                gGain[d] += s.gGain[l * dim + d];
                gShift[d] += s.gShift[l * dim + d];
            }
        }
    }

    /** Back through the pooling of batch rows {@code [b0, b0 + nb)}: sets {@code s.dy}. */
    private void poolBackward(SelfPass p, int b0, int nb, float[] gradOutput, BackwardScratch s,
            Gradients gradients) {
        float[] gQuery = gradients.of(poolQuery);
        float[] gBias = poolBias == null ? null : gradients.of(poolBias);
        float[] top = p.xs[layers];
        double[] w = p.poolWeights;
        float[] q = poolQuery.values();
        Arrays.fill(s.dy, 0, nb * fields * dim, 0f);
        for (int b = 0; b < nb; b++) {
            int row = (b0 + b) * fields;
            int go = (b0 + b) * dim;
            boolean any = false;
            for (int f = 0; f < fields; f++) {
                int bf = row + f;
                if (w[bf] != 0) {
                    any = true;
                    s.dw[f] = Vectors.dotDoubleAccumulate(gradOutput, go, top, bf * dim, dim);
                } else {
                    s.dw[f] = 0;
                }
            }
            if (!any) {
                continue;
            }
            Softmax.backward(w, row, s.dw, 0, fields, s.ds, 0);
            for (int f = 0; f < fields; f++) {
                int bf = row + f;
                double wf = w[bf];
                if (wf == 0) {
                    continue;
                }
                double g = s.ds[f];
                double gs = g * poolScale;
                int yo = (b * fields + f) * dim;
                for (int d = 0; d < dim; d++) {
                    s.dy[yo + d] = (float) (wf * gradOutput[go + d] + gs * q[d]);
                }
                if (g != 0) {
                    if (gBias != null) {
                        gBias[f] += (float) g;
                    }
                    Vectors.axpy((float) gs, top, bf * dim, gQuery, 0, dim);
                }
            }
        }
    }

    /** Back through layer {@code l} for rows {@code [r0, r0 + nr)}: reads {@code s.dy}, overwrites {@code s.dx}. */
    private void layerBackward(SelfPass p, int l, int r0, int nr, BackwardScratch s, Gradients gradients) {
        int w3 = 3 * width;
        float[] qkv = p.qkv[l];
        float[] n = p.normed[l];
        float[] probs = p.probs[l];
        float[] invStd = p.invStd[l];
        float[] mask = p.mask;
        float[] g = gain[l].values();
        float[] dy = s.dy;
        float[] dz = s.dx; // dz is also the residual part of dx
        // Layer norm: y = gain * n + bias, n = (z - mean) * invStd.
        int go = l * dim;
        for (int r = 0; r < nr; r++) {
            int ro = r * dim;
            if (!DenseLayers.present(mask, r0 + r)) {
                Arrays.fill(dz, ro, ro + dim, 0f);
                continue;
            }
            LayerNorm.backward(dy, ro, n, (r0 + r) * dim, dim, invStd[r0 + r], g, s.gGain, s.gShift, go, dz, ro);
        }
        // z = x + O Wo^T: dWo += dz^T O, dO = dz Wo.
        Gemm.gemm(dim, width, nr, dz, 0, 1, dim, p.o[l], r0 * width, width, gradients.of(wo[l]), 0, width, true, Gemm.ScalarOrder.REGISTER_TILED);
        Gemm.gemm(nr, width, dim, dz, 0, dim, 1, wo[l].values(), 0, width, s.dO, 0, width, false, Gemm.ScalarOrder.REGISTER_TILED);
        float[] dqkv = s.dqkv;
        Arrays.fill(dqkv, 0, nr * w3, 0f);
        int nb = nr / fields;
        int b0 = r0 / fields;
        for (int b = 0; b < nb; b++) {
            int row = b * fields; // within the block
            int example = r0 * w3 + row * w3; // the example's first field row in qkv
            for (int h = 0; h < heads; h++) {
                int ho = h * headDim;
                // Per query field f: dP = dO_f . V_j, then dS through the softmax (P as the forward
                // left it: rows of missing fields are zero).
                int pb = ((b0 + b) * heads + h) * fields * fields;
                for (int f = 0; f < fields; f++) {
                    int fo = f * fields;
                    if (!DenseLayers.present(mask, r0 + row + f)) {
                        Arrays.fill(s.dsw, fo, fo + fields, 0f);
                        continue;
                    }
                    int po = pb + fo;
                    int dOo = (row + f) * width + ho;
                    for (int j = 0; j < fields; j++) {
                        s.dp[j] = probs[po + j] != 0
                                ? Vectors.dotLanes(s.dO, dOo, qkv, example + j * w3 + 2 * width + ho, headDim)
                                : 0f;
                    }
                    Softmax.backward(probs, po, s.dp, 0, fields, s.dsf, 0);
                    for (int j = 0; j < fields; j++) {
                        s.dsw[fo + j] = s.dsf[j] * attentionScale;
                    }
                }
                // dV_j += sum_f P[f][j] dO_f, dK_j += sum_f dS[f][j] Q_f, dQ_f += sum_j dS[f][j] K_j: each
                // output row summed in registers (missing fields weigh 0 and their rows are zero).
                for (int j = 0; j < fields; j++) {
                    if (!DenseLayers.present(mask, r0 + row + j)) {
                        continue;
                    }
                    int to = (row + j) * w3 + ho;
                    Vectors.combineLanes(probs, pb + j, fields, fields, s.dO, row * width + ho, width, dqkv,
                            to + 2 * width, headDim);
                    Vectors.combineLanes(s.dsw, j, fields, fields, qkv, example + ho, w3, dqkv, to + width, headDim);
                    Vectors.combineLanes(s.dsw, j * fields, 1, fields, qkv, example + width + ho, w3, dqkv, to,
                            headDim);
                }
            }
        }
        // [Q | K | V] = X [Wq; Wk; Wv]^T: dW += dQKV^T X per block, dx += dQKV [Wq; Wk; Wv].
        float[] x = p.xs[l];
        Gemm.gemm(width, dim, nr, dqkv, 0, 1, w3, x, r0 * dim, dim, gradients.of(wq[l]), 0, dim, true, Gemm.ScalarOrder.REGISTER_TILED);
        Gemm.gemm(width, dim, nr, dqkv, width, 1, w3, x, r0 * dim, dim, gradients.of(wk[l]), 0, dim, true, Gemm.ScalarOrder.REGISTER_TILED);
        Gemm.gemm(width, dim, nr, dqkv, 2 * width, 1, w3, x, r0 * dim, dim, gradients.of(wv[l]), 0, dim, true, Gemm.ScalarOrder.REGISTER_TILED);
        int block = width * dim;
        System.arraycopy(wq[l].values(), 0, s.qkvWeights, 0, block);
        System.arraycopy(wk[l].values(), 0, s.qkvWeights, block, block);
        System.arraycopy(wv[l].values(), 0, s.qkvWeights, 2 * block, block);
        Gemm.gemm(nr, dim, w3, dqkv, 0, w3, 1, s.qkvWeights, 0, dim, dz, 0, dim, true, Gemm.ScalarOrder.REGISTER_TILED);
    }

    /**
     * A backward call's float buffers for one block of rows, and its layer-norm accumulators; kept in
     * the pass's workspace, so reused by later passes. Each call writes every buffer before reading it.
     */
    final class BackwardScratch {
        float[] dy;
        float[] dx;
        final float[] dqkv;
        final float[] dO;
        final float[] qkvWeights = new float[3 * width * dim];
        final float[] gGain = new float[layers * dim];
        final float[] gShift = new float[layers * dim];
        final double[] dw = new double[fields];
        final double[] ds = new double[fields];
        final float[] dp = new float[fields];
        final float[] dsf = new float[fields];
        final float[] dsw = new float[fields * fields];

        BackwardScratch(int rows) {
            dy = new float[rows * dim];
            dx = new float[rows * dim];
            dqkv = new float[rows * 3 * width];
            dO = new float[rows * width];
        }
    }
}
