package dev.attentive.attention;

import dev.attentive.api.Attention;
import dev.attentive.api.Gradients;
import dev.attentive.api.Parameter;
import dev.attentive.kernels.Gemm;
import dev.attentive.kernels.Softmax;
import dev.attentive.kernels.Vectors;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A learned query attends over the field vectors; the weights are a softmax over the present
 * fields and the output is the weighted sum of the (unmodified) field vectors, so
 * {@code outputDim == dim}. Optional parts: a key projection (dot scoring), additive scoring, a
 * learned score bias per field/position, and a learned positional embedding added to each field
 * vector before scoring (history attention: it changes which item is attended to, not the pooled
 * vector's space). Parameters are only read during passes; all per-pass state lives in the
 * {@link Pass}, so concurrent forward passes are safe. Additive scoring projects all
 * {@code batch * fields} vectors in one {@link Gemm} product (and its backward in two); dot
 * scoring needs no per-field projection at all (it scores against {@code K^T q}).
 */
final class QueryPooling implements Attention {

    /** What to build. {@code biasName} null means no per-field score bias. */
    record Spec(String component, int fields, int dim, AttentionScoring scoring, boolean keyProjection,
            int attentionDim, String biasName, boolean positionEmbedding) {
    }

    private final Spec spec;
    private final int fields;
    private final int dim;
    /** The width of the scored vector: dim without projection, attentionDim with one. */
    private final int keyDim;
    private final float scale;
    private final Parameter position; // [fields, dim] or null
    private final Parameter key; // DOT with projection: [attentionDim, dim]; ADDITIVE: W [attentionDim, dim]
    private final Parameter hiddenBias; // ADDITIVE: [attentionDim]
    private final Parameter query; // [keyDim]
    private final Parameter bias; // [fields] or null
    private final List<Parameter> parameters;

    QueryPooling(Spec spec, long seed) {
        this.spec = spec;
        this.fields = spec.fields();
        this.dim = spec.dim();
        Init init = new Init(seed);
        boolean projects = spec.scoring() == AttentionScoring.ADDITIVE || spec.keyProjection();
        this.keyDim = projects ? spec.attentionDim() : dim;
        this.scale = spec.scoring() == AttentionScoring.DOT ? (float) (1 / Math.sqrt(keyDim)) : 1f;
        List<Parameter> ps = new ArrayList<>();
        position = spec.positionEmbedding()
                ? new Parameter("position", new int[] {fields, dim}, init.normal(fields * dim, 0.02)) : null;
        if (position != null) {
            ps.add(position);
        }
        if (projects) {
            key = new Parameter(spec.scoring() == AttentionScoring.ADDITIVE ? "hidden.weight" : "key",
                    new int[] {keyDim, dim}, init.xavier(keyDim, dim));
            ps.add(key);
        } else {
            key = null;
        }
        if (spec.scoring() == AttentionScoring.ADDITIVE) {
            hiddenBias = new Parameter("hidden.bias", new int[] {keyDim}, new float[keyDim]);
            ps.add(hiddenBias);
        } else {
            hiddenBias = null;
        }
        // A small random query: the initial weights are close to uniform (mean pooling) yet every
        // path already carries gradient.
        query = new Parameter("query", new int[] {keyDim}, init.normal(keyDim, 1 / Math.sqrt(keyDim)));
        ps.add(query);
        bias = spec.biasName() != null ? new Parameter(spec.biasName(), new int[] {fields}, new float[fields]) : null;
        if (bias != null) {
            ps.add(bias);
        }
        this.parameters = List.copyOf(ps);
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
        PassChecks.checkForward(this, spec.component(), input, mask, batch);
        float[] x = java.util.Arrays.copyOf(input, batch * fields * dim);
        float[] m = mask == null ? null : java.util.Arrays.copyOf(mask, batch * fields);
        float[] scores = new float[batch * fields];
        float[] weights = new float[batch * fields];
        float[] output = new float[batch * dim];
        boolean additive = spec.scoring() == AttentionScoring.ADDITIVE;
        float[] keyIn = null;
        float[] hidden = null;
        if (additive) {
            // Additive scoring projects every present field: one (rows x dim) . (dim x attentionDim)
            // product over the batch, then tanh. Missing rows are zero so that nothing of them (not
            // even a NaN) reaches the products here or in backward.
            int rows = batch * fields;
            keyIn = new float[rows * dim];
            for (int r = 0; r < rows; r++) {
                if (DenseLayers.present(m, r)) {
                    keyInput(x, r, r % fields, keyIn, r * dim);
                }
            }
            float[] keyT = new float[dim * keyDim];
            Vectors.transpose(key.values(), 0, keyDim, dim, keyT, 0, keyDim);
            hidden = new float[rows * keyDim];
            Gemm.gemm(rows, keyDim, dim, keyIn, 0, dim, 1, keyT, 0, keyDim, hidden, 0, keyDim, false, Gemm.ScalarOrder.REGISTER_TILED);
            float[] c = hiddenBias.values();
            for (int r = 0; r < rows; r++) {
                int ho = r * keyDim;
                if (!DenseLayers.present(m, r)) {
                    java.util.Arrays.fill(hidden, ho, ho + keyDim, 0f);
                    continue;
                }
                for (int a = 0; a < keyDim; a++) {
                    hidden[ho + a] = DenseLayers.tanh((double) hidden[ho + a] + c[a]);
                }
            }
        }
        // DOT with a projection scores (K h)·q = h·(K^T q): one D-vector per pass instead of A*D per field.
        float[] u = new float[dim];
        // With a positional embedding, h = x + p scores u·x + u·p: the second term is one number per
        // field and pass, so the field vectors are read once and never copied.
        float[] positionScore = new float[fields];
        if (!additive) {
            scoringVector(u, positionScore);
        }
        for (int b = 0; b < batch; b++) {
            for (int f = 0; f < fields; f++) {
                int bf = b * fields + f;
                if (!DenseLayers.present(m, bf)) {
                    continue;
                }
                float s;
                if (additive) {
                    s = Vectors.dotDoubleAccumulate(query.values(), 0, hidden, bf * keyDim, keyDim);
                } else {
                    s = scale * (Vectors.dotDoubleAccumulate(u, 0, x, bf * dim, dim) + positionScore[f]);
                }
                scores[bf] = bias == null ? s : s + bias.values()[f];
            }
            if (Softmax.maskedForward(scores, b * fields, m, b * fields, fields, weights, b * fields)) {
                for (int f = 0; f < fields; f++) {
                    float w = weights[b * fields + f];
                    if (w != 0) {
                        Vectors.axpy(w, x, (b * fields + f) * dim, output, b * dim, dim);
                    }
                }
            }
        }
        return new PoolingPass(this, batch, x, output, weights, keyIn, hidden);
    }

    /**
     * DOT scoring: the vector {@code u} every field vector is scored against ({@code K^T q} with a key
     * projection, else {@code q}), and per field {@code u·p_f} of its positional embedding (0 without).
     */
    private void scoringVector(float[] u, float[] positionScore) {
        if (key != null) {
            DenseLayers.matTVecAdd(key.values(), 0, keyDim, dim, query.values(), 0, u, 0);
        } else {
            System.arraycopy(query.values(), 0, u, 0, dim);
        }
        if (position != null) {
            for (int f = 0; f < fields; f++) {
                positionScore[f] = Vectors.dotDoubleAccumulate(u, 0, position.values(), f * dim, dim);
            }
        }
    }

    /** The vector the query scores, into {@code h} at {@code ho}: the field vector plus its positional embedding, if any. */
    private void keyInput(float[] x, int bf, int f, float[] h, int ho) {
        System.arraycopy(x, bf * dim, h, ho, dim);
        if (position != null) {
            Vectors.axpy(1f, position.values(), f * dim, h, ho, dim);
        }
    }

    @Override
    public void backward(Pass pass, float[] gradOutput, float[] gradFields, Gradients gradients) {
        if (!(pass instanceof PoolingPass p) || p.owner != this) {
            throw PassChecks.foreignPass(spec.component(), pass);
        }
        int batch = p.batch;
        PassChecks.checkBackward(this, spec.component(), batch, gradOutput, gradFields);
        float[] x = p.x;
        float[] weights = p.weights;
        boolean additive = spec.scoring() == AttentionScoring.ADDITIVE;
        float[] gPosition = position == null ? null : gradients.of(position);
        float[] gKey = key == null ? null : gradients.of(key);
        float[] gHiddenBias = hiddenBias == null ? null : gradients.of(hiddenBias);
        float[] gQuery = gradients.of(query);
        float[] gBias = bias == null ? null : gradients.of(bias);
        float[] dw = new float[fields];
        float[] ds = new float[fields];
        float[] dpre = additive ? new float[batch * fields * keyDim] : null;
        // DOT: d score / d h = scale * u for every field, and every parameter gradient is linear in
        // sumH = sum over fields of ds * h, so we accumulate that and finish once per call. With
        // h = x + p_f, the positional part of sumH and the position gradient (scale * ds * u) are
        // per field sums of ds times a per-pass constant: summed per field here, applied once at the end.
        float[] u = new float[dim];
        float[] sumH = new float[dim];
        float[] positionScore = new float[fields];
        double[] sumPerField = position != null ? new double[fields] : null;
        if (!additive) {
            scoringVector(u, positionScore);
        }
        for (int b = 0; b < batch; b++) {
            int go = b * dim;
            boolean any = false;
            for (int f = 0; f < fields; f++) {
                int bf = b * fields + f;
                if (weights[bf] != 0) {
                    any = true;
                    // A backward product, where float rounding is harmless (Vectors.dotLanes).
                    dw[f] = Vectors.dotLanes(gradOutput, go, x, bf * dim, dim);
                } else {
                    dw[f] = 0f;
                }
            }
            if (!any) {
                continue;
            }
            Softmax.backward(weights, b * fields, dw, 0, fields, ds, 0);
            for (int f = 0; f < fields; f++) {
                int bf = b * fields + f;
                float w = weights[bf];
                float g = ds[f];
                if (w == 0) {
                    continue;
                }
                if (additive || g == 0) {
                    Vectors.axpy(w, gradOutput, go, gradFields, bf * dim, dim);
                }
                if (g == 0) {
                    continue;
                }
                if (gBias != null) {
                    gBias[f] += g;
                }
                if (!additive) {
                    // d x_bf = w * dOut + scale * g * u, in one pass over the row.
                    float gs = g * scale;
                    int fo = bf * dim;
                    for (int d = 0; d < dim; d++) {
                        gradFields[fo + d] += w * gradOutput[go + d] + gs * u[d];
                    }
                    Vectors.axpy(g, x, fo, sumH, 0, dim);
                    if (sumPerField != null) {
                        sumPerField[f] += g;
                    }
                } else {
                    int ho = bf * keyDim;
                    Vectors.axpy(g, p.hidden, ho, gQuery, 0, keyDim);
                    float[] v = query.values();
                    for (int a = 0; a < keyDim; a++) {
                        float t = p.hidden[ho + a];
                        dpre[ho + a] = g * v[a] * (1 - t * t);
                    }
                }
            }
        }
        if (sumPerField != null && !additive) {
            for (int f = 0; f < fields; f++) {
                float g = (float) sumPerField[f];
                if (g != 0) {
                    Vectors.axpy(g, position.values(), f * dim, sumH, 0, dim);
                    Vectors.axpy(g * scale, u, 0, gPosition, f * dim, dim);
                }
            }
        }
        if (additive) {
            // hidden = tanh(keyIn K^T + c): dK += dpre^T keyIn, dc += column sums of dpre,
            // d keyIn = dpre K, as batched products over every row.
            int rows = batch * fields;
            Gemm.gemm(keyDim, dim, rows, dpre, 0, 1, keyDim, p.keyIn, 0, dim, gKey, 0, dim, true, Gemm.ScalarOrder.REGISTER_TILED);
            for (int r = 0; r < rows; r++) {
                Vectors.axpy(1f, dpre, r * keyDim, gHiddenBias, 0, keyDim);
            }
            float[] dKeyIn = new float[rows * dim];
            Gemm.gemm(rows, dim, keyDim, dpre, 0, keyDim, 1, key.values(), 0, dim, dKeyIn, 0, dim, false, Gemm.ScalarOrder.REGISTER_TILED);
            for (int r = 0; r < rows; r++) {
                if (weights[r] == 0) {
                    continue;
                }
                Vectors.axpy(1f, dKeyIn, r * dim, gradFields, r * dim, dim);
                if (gPosition != null) {
                    Vectors.axpy(1f, dKeyIn, r * dim, gPosition, (r % fields) * dim, dim);
                }
            }
        }
        if (!additive) {
            if (key != null) {
                // score = scale * q · (K h): dq += scale * K sumH, dK += scale * q sumH^T
                for (int a = 0; a < keyDim; a++) {
                    gQuery[a] += scale * Vectors.dotDoubleAccumulate(key.values(), a * dim, sumH, 0, dim);
                    Vectors.axpy(scale * query.values()[a], sumH, 0, gKey, a * dim, dim);
                }
            } else {
                Vectors.axpy(scale, sumH, 0, gQuery, 0, dim);
            }
        }
    }

    private static final class PoolingPass implements Pass {
        private final QueryPooling owner;
        private final int batch;
        private final float[] x;
        private final float[] output;
        private final float[] weights;
        private final float[] keyIn; // additive: the scored vectors, missing rows zero
        private final float[] hidden;

        PoolingPass(QueryPooling owner, int batch, float[] x, float[] output, float[] weights, float[] keyIn,
                float[] hidden) {
            this.owner = owner;
            this.batch = batch;
            this.x = x;
            this.output = output;
            this.weights = weights;
            this.keyIn = keyIn;
            this.hidden = hidden;
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
