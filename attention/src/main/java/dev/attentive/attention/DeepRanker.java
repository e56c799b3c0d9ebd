package dev.attentive.attention;

import dev.attentive.api.Gradients;
import dev.attentive.api.Parameter;
import dev.attentive.api.Ranker;
import dev.attentive.api.RankerBatch;
import dev.attentive.api.spi.RankerShape;
import dev.attentive.kernels.Gemm;
import dev.attentive.kernels.Softmax;
import dev.attentive.kernels.Vectors;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The wide-and-deep ranker behind {@code target-attention} and {@code mlp}. Per candidate {@code c}
 * with embedding {@code e}: the history pooled into {@code p} (attention keyed by the candidate,
 * {@code softmax((Wq e) . (Wk e_h) / sqrt(d))}, or the mean), the user and item feature-value
 * vectors pooled into {@code f} the same way (with their own projections), then
 * {@code score = wide . s + w2 . relu(W1 [p, e, p*e, f, s] + b1)} with {@code s} the candidate's
 * source scores. Candidates never see each other, so the scores are permutation equivariant.
 *
 * <p>Parameters (in order): {@code item.embedding [items, dim]}; {@code value.embedding
 * [values, dim]} when there are feature slots; with attention {@code history.query},
 * {@code history.key} and (with feature slots) {@code field.query}, {@code field.key}, each
 * {@code [dim, dim]}; {@code hidden.weight [hidden, 4 dim + sources]}, {@code hidden.bias [hidden]},
 * {@code out.weight [hidden]}; {@code wide.weight [sources]} when there are sources.
 *
 * <p>Forward passes may run concurrently; each keeps its own buffers.
 */
final class DeepRanker implements Ranker {
    private final String name;
    private final RankerShape shape;
    private final boolean attention;
    private final int dim;
    private final int hidden;
    private final int in;
    private final int sources;
    private final int slots;
    private final float scale;
    private final Parameter itemEmbedding;
    private final Parameter valueEmbedding;
    private final Parameter historyQuery;
    private final Parameter historyKey;
    private final Parameter fieldQuery;
    private final Parameter fieldKey;
    private final Parameter hiddenWeight;
    private final Parameter hiddenBias;
    private final Parameter outWeight;
    private final Parameter wideWeight;
    private final List<Parameter> parameters;

    DeepRanker(String name, RankerShape shape, boolean attention, int dim, int hidden, float wideInit, float attentionInit,
            long seed) {
        this.name = name;
        this.shape = shape;
        this.attention = attention;
        this.dim = dim;
        this.hidden = hidden;
        this.sources = shape.sourceCount();
        this.slots = shape.userSlots() + shape.itemSlots();
        this.in = 4 * dim + sources;
        this.scale = (float) (1 / Math.sqrt(dim));
        Init init = new Init(seed);
        List<Parameter> ps = new ArrayList<>();
        itemEmbedding = add(ps, new Parameter("item.embedding", new int[] {shape.itemCount(), dim},
                init.normal(shape.itemCount() * dim, 0.1)));
        valueEmbedding = slots > 0 ? add(ps, new Parameter("value.embedding", new int[] {shape.valueCount(), dim},
                init.normal(shape.valueCount() * dim, 0.1))) : null;
        if (attention) {
            historyQuery = add(ps, square("history.query", init, attentionInit));
            historyKey = add(ps, square("history.key", init, attentionInit));
            fieldQuery = slots > 0 ? add(ps, square("field.query", init, attentionInit)) : null;
            fieldKey = slots > 0 ? add(ps, square("field.key", init, attentionInit)) : null;
        } else {
            historyQuery = null;
            historyKey = null;
            fieldQuery = null;
            fieldKey = null;
        }
        hiddenWeight = add(ps, new Parameter("hidden.weight", new int[] {hidden, in}, init.xavier(hidden, in)));
        hiddenBias = add(ps, new Parameter("hidden.bias", new int[] {hidden}, new float[hidden]));
        // Small output weights: the ranker starts as the wide part alone, i.e. as the sources' blend.
        outWeight = add(ps, new Parameter("out.weight", new int[] {hidden}, init.uniform(hidden, 0.01)));
        wideWeight = sources > 0 ? add(ps, new Parameter("wide.weight", new int[] {sources},
                Init.constant(sources, wideInit))) : null;
        parameters = List.copyOf(ps);
    }

    /** A projection: Xavier when {@code gain} is 0, else {@code sqrt(gain)} times the identity. */
    private Parameter square(String n, Init init, float gain) {
        // The Xavier draw happens either way, so the other parameters' draws do not depend on gain.
        float[] values = init.xavier(dim, dim);
        if (gain > 0) {
            java.util.Arrays.fill(values, 0f);
            float diagonal = (float) Math.sqrt(gain);
            for (int d = 0; d < dim; d++) {
                values[d * dim + d] = diagonal;
            }
        }
        return new Parameter(n, new int[] {dim, dim}, values);
    }

    private static Parameter add(List<Parameter> ps, Parameter p) {
        ps.add(p);
        return p;
    }

    @Override
    public RankerShape shape() {
        return shape;
    }

    @Override
    public List<Parameter> parameters() {
        return parameters;
    }

    /** What backward needs, per candidate slot. */
    private final class Pass implements Ranker.Pass {
        final RankerBatch batch;
        final float[] scores;
        final float[] historyWeights;
        final float[] fieldWeights;
        final float[] x;
        final float[] h;

        Pass(RankerBatch batch) {
            this.batch = batch;
            int n = batch.lists() * batch.listSize();
            scores = new float[n];
            historyWeights = new float[n * batch.historyLength()];
            fieldWeights = new float[n * slots];
            x = new float[n * in];
            h = new float[n * hidden];
        }

        @Override
        public RankerBatch batch() {
            return batch;
        }

        @Override
        public float[] scores() {
            return scores;
        }

        @Override
        public float[] historyWeights() {
            return historyWeights;
        }

        DeepRanker owner() {
            return DeepRanker.this;
        }
    }

    private void check(RankerBatch batch) {
        batch.checkSlots(sources, shape.userSlots(), shape.itemSlots());
        checkIndices("history", batch.history(), shape.itemCount());
        checkIndices("items", batch.items(), shape.itemCount());
        checkIndices("userValues", batch.userValues(), shape.valueCount());
        checkIndices("itemValues", batch.itemValues(), shape.valueCount());
    }

    private void checkIndices(String what, int[] values, int bound) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] < -1 || values[i] >= bound) {
                throw new IllegalArgumentException(name + ": " + what + "[" + i + "] is " + values[i]
                        + ", outside -1 .. " + (bound - 1) + " of the ranker's shape " + shape);
            }
        }
    }

    /** The member vectors of one list: history rows, then per candidate the user and item slots. */
    private final class ListBuffers {
        final int historyLength;
        final float[] hx;
        final float[] hk;
        final float[] hmask;
        final float[] fx = new float[Math.max(1, slots) * dim];
        final float[] fk = new float[Math.max(1, slots) * dim];
        final float[] fmask = new float[Math.max(1, slots)];
        final float[] logits;
        final float[] q = new float[dim];
        int presentHistory;

        ListBuffers(int historyLength) {
            this.historyLength = historyLength;
            hx = new float[Math.max(1, historyLength) * dim];
            hk = new float[Math.max(1, historyLength) * dim];
            hmask = new float[Math.max(1, historyLength)];
            logits = new float[Math.max(1, Math.max(historyLength, slots))];
        }

        void loadHistory(RankerBatch batch, int b, boolean keys) {
            presentHistory = 0;
            float[] emb = itemEmbedding.values();
            for (int t = 0; t < historyLength; t++) {
                int item = batch.history()[b * historyLength + t];
                hmask[t] = item >= 0 ? 1 : 0;
                if (item >= 0) {
                    presentHistory++;
                    System.arraycopy(emb, item * dim, hx, t * dim, dim);
                    if (attention && keys) {
                        DenseLayers.matVec(historyKey.values(), 0, dim, dim, hx, t * dim, hk, t * dim);
                    }
                } else {
                    java.util.Arrays.fill(hx, t * dim, (t + 1) * dim, 0f);
                }
            }
        }

        /** Loads the user slots and candidate {@code slot}'s item slots; returns how many are present. */
        int loadFields(RankerBatch batch, int b, int slot, boolean keys) {
            int present = 0;
            float[] emb = slots > 0 ? valueEmbedding.values() : null;
            for (int j = 0; j < slots; j++) {
                int v = j < shape.userSlots() ? batch.userValues()[b * shape.userSlots() + j]
                        : batch.itemValues()[slot * shape.itemSlots() + j - shape.userSlots()];
                fmask[j] = v >= 0 ? 1 : 0;
                if (v >= 0) {
                    present++;
                    System.arraycopy(emb, v * dim, fx, j * dim, dim);
                    if (attention && keys) {
                        DenseLayers.matVec(fieldKey.values(), 0, dim, dim, fx, j * dim, fk, j * dim);
                    }
                } else {
                    java.util.Arrays.fill(fx, j * dim, (j + 1) * dim, 0f);
                }
            }
            return present;
        }
    }

    /**
     * Pools {@code n} member vectors into {@code out[oo..]}, writing weights to {@code w[wo..]}: by
     * attention with query {@code Wq e} when {@code wq} is not null, else by the mean.
     */
    private void pool(ListBuffers lb, float[] folded, int fo, float[] xs, float[] mask, int n,
            int present, float[] w, int wo, float[] out, int oo) {
        java.util.Arrays.fill(out, oo, oo + dim, 0f);
        if (present == 0) {
            java.util.Arrays.fill(w, wo, wo + n, 0f);
            return;
        }
        if (folded != null) {
            for (int t = 0; t < n; t++) {
                lb.logits[t] = mask[t] != 0 ? Vectors.dot(folded, fo, xs, t * dim, dim) * scale : 0f;
            }
            Softmax.maskedForward(lb.logits, 0, mask, 0, n, w, wo);
        } else {
            float u = 1f / present;
            for (int t = 0; t < n; t++) {
                w[wo + t] = mask[t] != 0 ? u : 0f;
            }
        }
        for (int t = 0; t < n; t++) {
            if (w[wo + t] != 0) {
                Vectors.axpy(w[wo + t], xs, t * dim, out, oo, dim);
            }
        }
    }

    @Override
    public Ranker.Pass forward(RankerBatch batch, boolean training, RandomGenerator random) {
        check(batch);
        Pass pass = new Pass(batch);
        int c = batch.listSize();
        int hl = batch.historyLength();
        ListBuffers lb = new ListBuffers(hl);
        float[] emb = itemEmbedding.values();
        // (Wq e) . (Wk x) = (Wk^T Wq e) . x: the folded queries of a list's candidates come from two
        // GEMMs per attention, and no member needs a key projection.
        float[] query = attention ? new float[c * dim] : null;
        float[] foldedHistory = attention ? new float[c * dim] : null;
        float[] foldedFields = attention && slots > 0 ? new float[c * dim] : null;
        for (int b = 0; b < batch.lists(); b++) {
            lb.loadHistory(batch, b, false);
            for (int k = 0; k < c; k++) {
                int item = batch.items()[b * c + k];
                if (item >= 0) {
                    System.arraycopy(emb, item * dim, pass.x, (b * c + k) * in + dim, dim);
                }
            }
            if (attention) {
                int eo = b * c * in + dim;
                Gemm.gemmNT(c, dim, dim, pass.x, eo, in, historyQuery.values(), 0, dim, query, 0, dim, false);
                Gemm.gemmNN(c, dim, dim, query, 0, dim, historyKey.values(), 0, dim, foldedHistory, 0, dim, false);
                if (foldedFields != null) {
                    Gemm.gemmNT(c, dim, dim, pass.x, eo, in, fieldQuery.values(), 0, dim, query, 0, dim, false);
                    Gemm.gemmNN(c, dim, dim, query, 0, dim, fieldKey.values(), 0, dim, foldedFields, 0, dim, false);
                }
            }
            for (int k = 0; k < c; k++) {
                int slot = b * c + k;
                int item = batch.items()[slot];
                if (item < 0) {
                    continue;
                }
                int xo = slot * in;
                float[] x = pass.x;
                pool(lb, foldedHistory, k * dim, lb.hx, lb.hmask, hl,
                        lb.presentHistory, pass.historyWeights, slot * hl, x, xo);
                for (int d = 0; d < dim; d++) {
                    x[xo + 2 * dim + d] = x[xo + d] * x[xo + dim + d];
                }
                if (slots > 0) {
                    int present = lb.loadFields(batch, b, slot, false);
                    pool(lb, foldedFields, k * dim, lb.fx, lb.fmask, slots,
                            present, pass.fieldWeights, slot * slots, x, xo + 3 * dim);
                } else {
                    java.util.Arrays.fill(x, xo + 3 * dim, xo + 4 * dim, 0f);
                }
                System.arraycopy(batch.sourceScores(), slot * sources, x, xo + 4 * dim, sources);
            }
        }
        // The hidden layer of every slot at once (padded slots' rows are zero and their scores unused).
        int slotsTotal = batch.lists() * c;
        Gemm.gemmNT(slotsTotal, hidden, in, pass.x, 0, in, hiddenWeight.values(), 0, in, pass.h, 0, hidden, false);
        for (int b = 0; b < batch.lists(); b++) {
            for (int k = 0; k < c; k++) {
                int slot = b * c + k;
                if (batch.items()[slot] < 0) {
                    java.util.Arrays.fill(pass.h, slot * hidden, (slot + 1) * hidden, 0f);
                    continue;
                }
                double score = 0;
                for (int j = 0; j < hidden; j++) {
                    float a = Math.max(0f, pass.h[slot * hidden + j] + hiddenBias.values()[j]);
                    pass.h[slot * hidden + j] = a;
                    score += (double) a * outWeight.values()[j];
                }
                for (int s = 0; s < sources; s++) {
                    score += (double) wideWeight.values()[s] * batch.sourceScores()[slot * sources + s];
                }
                pass.scores[slot] = (float) score;
            }
        }
        return pass;
    }

    @Override
    public void backward(Ranker.Pass rankerPass, float[] gradScores, Gradients gradients) {
        if (!(rankerPass instanceof Pass pass) || pass.owner() != this) {
            throw new IllegalArgumentException(name + ": backward needs a pass made by this ranker's forward, got " + rankerPass);
        }
        RankerBatch batch = pass.batch;
        int c = batch.listSize();
        int hl = batch.historyLength();
        ListBuffers lb = new ListBuffers(hl);
        float[] emb = itemEmbedding.values();
        float[] gEmb = gradients.of(itemEmbedding);
        float[] gValue = slots > 0 ? gradients.of(valueEmbedding) : null;
        float[] gW1 = gradients.of(hiddenWeight);
        float[] gB1 = gradients.of(hiddenBias);
        float[] gW2 = gradients.of(outWeight);
        float[] dh = new float[hidden];
        float[] dx = new float[in];
        float[] de = new float[dim];
        float[] dhx = new float[Math.max(1, hl) * dim];
        float[] dhk = new float[Math.max(1, hl) * dim];
        float[] dfx = new float[Math.max(1, slots) * dim];
        float[] dfk = new float[Math.max(1, slots) * dim];
        for (int b = 0; b < batch.lists(); b++) {
            lb.loadHistory(batch, b, true);
            java.util.Arrays.fill(dhx, 0f);
            java.util.Arrays.fill(dhk, 0f);
            for (int k = 0; k < c; k++) {
                int slot = b * c + k;
                int item = batch.items()[slot];
                float g = gradScores[slot];
                if (item < 0 || g == 0) {
                    continue;
                }
                for (int s = 0; s < sources; s++) {
                    gradients.of(wideWeight)[s] += g * batch.sourceScores()[slot * sources + s];
                }
                int ho = slot * hidden;
                for (int j = 0; j < hidden; j++) {
                    float a = pass.h[ho + j];
                    gW2[j] += g * a;
                    dh[j] = a > 0 ? g * outWeight.values()[j] : 0f;
                    gB1[j] += dh[j];
                }
                int xo = slot * in;
                DenseLayers.outerAdd(gW1, 0, hidden, in, dh, 0, pass.x, xo);
                java.util.Arrays.fill(dx, 0f);
                DenseLayers.matTVecAdd(hiddenWeight.values(), 0, hidden, in, dh, 0, dx, 0);
                // dx = [dp, de, dprod, df, ds]; fold the product into dp and de.
                for (int d = 0; d < dim; d++) {
                    float dprod = dx[2 * dim + d];
                    de[d] = dx[dim + d] + dprod * pass.x[xo + d];
                    dx[d] += dprod * pass.x[xo + dim + d];
                }
                poolBackward(lb, attention ? historyQuery : null, gradients, emb, item * dim, lb.hx, lb.hk, hl,
                        pass.historyWeights, slot * hl, dx, 0, de, dhx, dhk);
                if (slots > 0) {
                    lb.loadFields(batch, b, slot, true);
                    java.util.Arrays.fill(dfx, 0f);
                    java.util.Arrays.fill(dfk, 0f);
                    poolBackward(lb, attention ? fieldQuery : null, gradients, emb, item * dim, lb.fx, lb.fk, slots,
                            pass.fieldWeights, slot * slots, dx, 3 * dim, de, dfx, dfk);
                    for (int j = 0; j < slots; j++) {
                        if (lb.fmask[j] == 0) {
                            continue;
                        }
                        int v = j < shape.userSlots() ? batch.userValues()[b * shape.userSlots() + j]
                                : batch.itemValues()[slot * shape.itemSlots() + j - shape.userSlots()];
                        if (attention) {
                            DenseLayers.outerAdd(gradients.of(fieldKey), 0, dim, dim, dfk, j * dim, lb.fx, j * dim);
                            DenseLayers.matTVecAdd(fieldKey.values(), 0, dim, dim, dfk, j * dim, dfx, j * dim);
                        }
                        Vectors.axpy(1f, dfx, j * dim, gValue, v * dim, dim);
                    }
                }
                Vectors.axpy(1f, de, 0, gEmb, item * dim, dim);
            }
            for (int t = 0; t < hl; t++) {
                if (lb.hmask[t] == 0) {
                    continue;
                }
                int item = batch.history()[b * hl + t];
                if (attention) {
                    DenseLayers.outerAdd(gradients.of(historyKey), 0, dim, dim, dhk, t * dim, lb.hx, t * dim);
                    DenseLayers.matTVecAdd(historyKey.values(), 0, dim, dim, dhk, t * dim, dhx, t * dim);
                }
                Vectors.axpy(1f, dhx, t * dim, gEmb, item * dim, dim);
            }
        }
    }

    /**
     * Back through {@link #pool}: adds the member vectors' gradients to {@code dxs}, their keys' to
     * {@code dks}, the candidate embedding's to {@code de} and the query projection's to its gradient.
     */
    private void poolBackward(ListBuffers lb, Parameter wq, Gradients gradients, float[] e, int eo, float[] xs,
            float[] ks, int n, float[] w, int wo, float[] dout, int doo, float[] de, float[] dxs, float[] dks) {
        boolean any = false;
        for (int t = 0; t < n; t++) {
            if (w[wo + t] != 0) {
                any = true;
                Vectors.axpy(w[wo + t], dout, doo, dxs, t * dim, dim);
            }
        }
        if (wq == null || !any) {
            return;
        }
        // dw_t = dout . x_t; dlogit = softmax backward; logit_t = (q . k_t) * scale.
        float[] dw = lb.logits;
        for (int t = 0; t < n; t++) {
            dw[t] = w[wo + t] != 0 ? Vectors.dot(dout, doo, xs, t * dim, dim) : 0f;
        }
        float[] dlogit = new float[n];
        Softmax.backward(w, wo, dw, 0, n, dlogit, 0);
        DenseLayers.matVec(wq.values(), 0, dim, dim, e, eo, lb.q, 0);
        float[] dq = new float[dim];
        for (int t = 0; t < n; t++) {
            float gl = dlogit[t] * scale;
            if (gl != 0 && w[wo + t] != 0) {
                Vectors.axpy(gl, ks, t * dim, dq, 0, dim);
                Vectors.axpy(gl, lb.q, 0, dks, t * dim, dim);
            }
        }
        DenseLayers.outerAdd(gradients.of(wq), 0, dim, dim, dq, 0, e, eo);
        DenseLayers.matTVecAdd(wq.values(), 0, dim, dim, dq, 0, de, 0);
    }
}
