package dev.attentive.model.nn;

import dev.attentive.api.Gradients;
import dev.attentive.api.Parameter;
import dev.attentive.api.Tower;
import dev.attentive.kernels.Gemm;
import dev.attentive.kernels.LayerNorm;
import dev.attentive.model.MlpTowerProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * A multi-layer perceptron over row-major batches, on the blocked GEMMs of {@link Gemm}.
 * Parameters per layer {@code l}: {@code layer<l>.weight [in, out]} (row-major, x.W), {@code layer<l>.bias [out]},
 * and with layer norm {@code layer<l>.gain [out]} and {@code layer<l>.shift [out]} on hidden layers.
 * Forward passes are independent; thread safe for concurrent forwards.
 */
public final class MlpTower implements Tower {
    private static final float LN_EPS = 1e-5f;
    private static final float GELU_C = (float) Math.sqrt(2 / Math.PI);

    private final int in;
    private final int out;
    private final int[] widths;
    private final MlpTowerProvider.Activation activation;
    private final boolean layerNorm;
    private final float dropout;
    private final Parameter[] weights;
    private final Parameter[] biases;
    private final Parameter[] gains;
    private final Parameter[] shifts;
    private final List<Parameter> parameters;

    public MlpTower(MlpTowerProvider.Config config, int inputDim, int outputDim, long seed) {
        this.in = inputDim;
        this.out = outputDim;
        int layers = config.widths().size() + 1;
        this.widths = new int[layers + 1];
        widths[0] = inputDim;
        for (int l = 0; l < config.widths().size(); l++) {
            widths[l + 1] = config.widths().get(l);
        }
        widths[layers] = outputDim;
        this.activation = config.activation();
        this.layerNorm = config.layerNorm();
        this.dropout = (float) config.dropout();
        SplittableRandom random = new SplittableRandom(seed);
        weights = new Parameter[layers];
        biases = new Parameter[layers];
        gains = new Parameter[layers];
        shifts = new Parameter[layers];
        List<Parameter> all = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            int fanIn = widths[l];
            int fanOut = widths[l + 1];
            double bound = 1 / Math.sqrt(fanIn);
            float[] w = new float[fanIn * fanOut];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) random.nextDouble(-bound, bound);
            }
            float[] b = new float[fanOut];
            for (int i = 0; i < b.length; i++) {
                b[i] = (float) random.nextDouble(-bound, bound);
            }
            weights[l] = new Parameter("layer" + l + ".weight", new int[] {fanIn, fanOut}, w);
            biases[l] = new Parameter("layer" + l + ".bias", new int[] {fanOut}, b);
            all.add(weights[l]);
            all.add(biases[l]);
            if (layerNorm && l < layers - 1) {
                float[] g = new float[fanOut];
                java.util.Arrays.fill(g, 1f);
                gains[l] = new Parameter("layer" + l + ".gain", new int[] {fanOut}, g);
                shifts[l] = new Parameter("layer" + l + ".shift", new int[] {fanOut}, new float[fanOut]);
                all.add(gains[l]);
                all.add(shifts[l]);
            }
        }
        this.parameters = List.copyOf(all);
    }

    @Override
    public int inputDim() {
        return in;
    }

    @Override
    public int outputDim() {
        return out;
    }

    @Override
    public List<Parameter> parameters() {
        return parameters;
    }

    @Override
    public Pass forward(float[] input, int batch, boolean training, RandomGenerator random) {
        int layers = weights.length;
        float[][] acts = new float[layers + 1][];
        float[][] pre = new float[layers][];
        float[][] normed = new float[layers][];
        float[][] rstd = new float[layers][];
        float[][] masks = new float[layers][];
        acts[0] = input;
        boolean drop = training && dropout > 0;
        if (drop && random == null) {
            throw new IllegalArgumentException("A training pass with dropout needs a random generator");
        }
        for (int l = 0; l < layers; l++) {
            int fi = widths[l];
            int fo = widths[l + 1];
            float[] z = new float[batch * fo];
            Gemm.gemmNN(batch, fo, fi, acts[l], 0, fi, weights[l].values(), 0, fo, z, 0, fo, false);
            float[] b = biases[l].values();
            for (int r = 0; r < batch; r++) {
                int o = r * fo;
                for (int j = 0; j < fo; j++) {
                    z[o + j] += b[j];
                }
            }
            if (l == layers - 1) {
                acts[l + 1] = z;
                break;
            }
            float[] h = z;
            if (layerNorm) {
                normed[l] = new float[batch * fo];
                rstd[l] = new float[batch];
                h = new float[batch * fo];
                float[] g = gains[l].values();
                float[] s = shifts[l].values();
                for (int r = 0; r < batch; r++) {
                    int o = r * fo;
                    rstd[l][r] = LayerNorm.forward(z, o, fo, LN_EPS, g, s, normed[l], o, h, o);
                }
            }
            pre[l] = h;
            float[] a = new float[batch * fo];
            if (activation == MlpTowerProvider.Activation.RELU) {
                for (int i = 0; i < a.length; i++) {
                    a[i] = h[i] > 0 ? h[i] : 0f;
                }
            } else {
                for (int i = 0; i < a.length; i++) {
                    float x = h[i];
                    float t = (float) Math.tanh(GELU_C * (x + 0.044715f * x * x * x));
                    a[i] = 0.5f * x * (1 + t);
                }
            }
            if (drop) {
                float keep = 1 - dropout;
                float[] mask = new float[a.length];
                for (int i = 0; i < a.length; i++) {
                    mask[i] = random.nextFloat() < keep ? 1 / keep : 0f;
                    a[i] *= mask[i];
                }
                masks[l] = mask;
            }
            acts[l + 1] = a;
        }
        return new MlpPass(batch, acts, pre, normed, rstd, masks);
    }

    @Override
    public void backward(Pass pass, float[] gradOutput, float[] gradInput, Gradients gradients) {
        MlpPass p = (MlpPass) pass;
        int batch = p.batch;
        int layers = weights.length;
        float[] grad = gradOutput;
        for (int l = layers - 1; l >= 0; l--) {
            int fi = widths[l];
            int fo = widths[l + 1];
            if (l < layers - 1) {
                // grad is d/d(activation output); go back through dropout, activation and layer norm.
                float[] g = new float[batch * fo];
                float[] h = p.pre[l];
                float[] mask = p.masks[l];
                for (int i = 0; i < g.length; i++) {
                    float d = mask == null ? grad[i] : grad[i] * mask[i];
                    float x = h[i];
                    if (activation == MlpTowerProvider.Activation.RELU) {
                        g[i] = x > 0 ? d : 0f;
                    } else {
                        float u = GELU_C * (x + 0.044715f * x * x * x);
                        float t = (float) Math.tanh(u);
                        float du = GELU_C * (1 + 3 * 0.044715f * x * x);
                        g[i] = d * (0.5f * (1 + t) + 0.5f * x * (1 - t * t) * du);
                    }
                }
                if (layerNorm) {
                    float[] gain = gains[l].values();
                    float[] gGain = gradients.of(gains[l]);
                    float[] gShift = gradients.of(shifts[l]);
                    float[] xh = p.normed[l];
                    float[] gz = new float[batch * fo];
                    for (int r = 0; r < batch; r++) {
                        LayerNorm.backward(g, r * fo, xh, r * fo, fo, p.rstd[l][r], gain, gGain, gShift, 0, gz, r * fo);
                    }
                    g = gz;
                }
                grad = g;
            }
            float[] gb = gradients.of(biases[l]);
            for (int r = 0; r < batch; r++) {
                int o = r * fo;
                for (int j = 0; j < fo; j++) {
                    gb[j] += grad[o + j];
                }
            }
            Gemm.gemmTN(fi, fo, batch, p.acts[l], 0, fi, grad, 0, fo, gradients.of(weights[l]), 0, fo, true);
            if (l == 0) {
                Gemm.gemmNT(batch, fi, fo, grad, 0, fo, weights[l].values(), 0, fo, gradInput, 0, fi, true);
            } else {
                float[] next = new float[batch * fi];
                Gemm.gemmNT(batch, fi, fo, grad, 0, fo, weights[l].values(), 0, fo, next, 0, fi, false);
                grad = next;
            }
        }
    }

    /**
     * Jacobian-vector products at one row of a forward pass: {@code products_j = J d_j}, with
     * {@code J} the derivative of this tower's output with respect to its input at that row's input,
     * and {@code d_j} the {@code j}-th direction. Each direction is zero except on a window of
     * {@code width} consecutive inputs starting at input {@code at[j]}, where it holds
     * {@code directions[offset + j * width ...]}: one field's block of a concatenated input is a
     * window of the field's width, a dense direction a window of the whole input. The biases drop
     * out; the activations, the layer norms and the pass's dropout masks (none in an inference pass)
     * are linearised at the row. This is forward mode, batched over the directions: its cost is one
     * pass per direction through the hidden layers, and does not grow with the number of vectors the
     * products are later dotted with.
     *
     * <p>Allocates its scratch; safe to call concurrently, also on one pass.
     *
     * @param pass a forward pass made by this tower
     * @param row the row of the pass, {@code 0 <= row < pass.batch()}
     * @param directions the directions' windows, {@code count * width} values from {@code offset}; not modified
     * @param offset where the first window starts in {@code directions}
     * @param width the window width, {@code 1 <= width <= inputDim}
     * @param at per direction, the input index where its window starts, {@code 0 <= at[j] <= inputDim - width}
     * @param count the number of directions, at least 0
     * @param products {@code count * outputDim} values, overwritten
     * @throws IllegalArgumentException when the pass was made by another tower, the row is outside it,
     *     a window does not fit the input or the arrays are too short
     */
    public void jacobianProducts(Pass pass, int row, float[] directions, int offset, int width, int[] at, int count,
            float[] products) {
        if (!(pass instanceof MlpPass p) || p.acts.length != weights.length + 1 || p.acts[0].length < (long) p.batch * in) {
            throw new IllegalArgumentException("jacobianProducts was given a pass made by another tower; pass the Pass "
                    + "returned by this instance's forward");
        }
        if (row < 0 || row >= p.batch || count < 0 || width < 1 || width > in || at.length < count || offset < 0
                || directions.length < offset + (long) count * width || products.length < (long) count * out) {
            throw new IllegalArgumentException("jacobianProducts: row " + row + " of a pass of " + p.batch + " rows, "
                    + count + " directions of width " + width + " (input " + in + ") from offset " + offset + ": needs "
                    + (offset + (long) count * width) + " direction values (got " + directions.length + "), "
                    + count + " window starts (got " + at.length + ") and " + (long) count * out
                    + " output values (got " + products.length + ")");
        }
        int layers = weights.length;
        int fo = widths[1];
        float[] t = new float[count * fo];
        float[] w0 = weights[0].values();
        for (int j = 0; j < count; j++) {
            if (at[j] < 0 || at[j] > in - width) {
                throw new IllegalArgumentException("jacobianProducts: direction " + j + "'s window starts at input "
                        + at[j] + ", but a window of width " + width + " must start in [0, " + (in - width) + "]");
            }
            Gemm.gemmNN(1, fo, width, directions, offset + j * width, width, w0, at[j] * fo, fo, t, j * fo, fo, false);
        }
        for (int l = 0; l < layers - 1; l++) {
            fo = widths[l + 1];
            int o = row * fo;
            if (layerNorm) {
                // d xhat = rstd (dz - mean(dz) - xhat mean(dz xhat)), then the gain.
                float[] gain = gains[l].values();
                float[] xh = p.normed[l];
                float rs = p.rstd[l][row];
                for (int j = 0; j < count; j++) {
                    int tj = j * fo;
                    double mean = 0;
                    double meanX = 0;
                    for (int i = 0; i < fo; i++) {
                        mean += t[tj + i];
                        meanX += (double) t[tj + i] * xh[o + i];
                    }
                    mean /= fo;
                    meanX /= fo;
                    for (int i = 0; i < fo; i++) {
                        t[tj + i] = (float) (rs * (t[tj + i] - mean - xh[o + i] * meanX)) * gain[i];
                    }
                }
            }
            float[] h = p.pre[l];
            float[] mask = p.masks[l];
            for (int i = 0; i < fo; i++) {
                float x = h[o + i];
                float slope;
                if (activation == MlpTowerProvider.Activation.RELU) {
                    slope = x > 0 ? 1f : 0f;
                } else {
                    float tanh = (float) Math.tanh(GELU_C * (x + 0.044715f * x * x * x));
                    float du = GELU_C * (1 + 3 * 0.044715f * x * x);
                    slope = 0.5f * (1 + tanh) + 0.5f * x * (1 - tanh * tanh) * du;
                }
                if (mask != null) {
                    slope *= mask[o + i];
                }
                for (int j = 0; j < count; j++) {
                    t[j * fo + i] *= slope;
                }
            }
            int next = widths[l + 2];
            float[] u = new float[count * next];
            Gemm.gemmNN(count, next, fo, t, 0, fo, weights[l + 1].values(), 0, next, u, 0, next, false);
            t = u;
        }
        System.arraycopy(t, 0, products, 0, count * out);
    }

    /** Everything backward needs; {@code acts[0]} is the caller's input (not copied). */
    private static final class MlpPass implements Pass {
        final int batch;
        final float[][] acts;
        final float[][] pre;
        final float[][] normed;
        final float[][] rstd;
        final float[][] masks;

        MlpPass(int batch, float[][] acts, float[][] pre, float[][] normed, float[][] rstd, float[][] masks) {
            this.batch = batch;
            this.acts = acts;
            this.pre = pre;
            this.normed = normed;
            this.rstd = rstd;
            this.masks = masks;
        }

        @Override
        public int batch() {
            return batch;
        }

        @Override
        public float[] output() {
            return acts[acts.length - 1];
        }
    }
}
