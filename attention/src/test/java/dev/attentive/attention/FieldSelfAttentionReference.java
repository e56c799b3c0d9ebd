package dev.attentive.attention;

import dev.attentive.api.Attention;
import dev.attentive.api.Parameter;
import java.util.HashMap;
import java.util.Map;

/**
 * A plain double-precision forward pass of field self-attention, written field by field straight
 * from the definition (no batched products, no shared code with the plugin), reading the plugin's
 * parameters by name. Tests use it as the exact function: the plugin's float output must match it
 * up to float rounding, and the plugin's analytic gradients must match central differences of it,
 * which in double are free of the float output noise that limits the kit's check.
 */
final class FieldSelfAttentionReference {
    private static final double NORM_EPS = 1e-5;

    private final int fields;
    private final int dim;
    private final int heads;
    private final int headDim;
    private final int layers;
    private final Map<String, float[]> values = new HashMap<>();

    FieldSelfAttentionReference(Attention attention, int heads, int headDim, int layers) {
        this.fields = attention.fieldCount();
        this.dim = attention.dim();
        this.heads = heads;
        this.headDim = headDim;
        this.layers = layers;
        for (Parameter p : attention.parameters()) {
            values.put(p.name(), p.values()); // live arrays: perturbations are seen
        }
    }

    /** The pooled outputs, {@code batch * dim}, in double. */
    double[] forward(float[] input, float[] mask, int batch) {
        int width = heads * headDim;
        double[] out = new double[batch * dim];
        for (int b = 0; b < batch; b++) {
            boolean[] present = new boolean[fields];
            double[][] x = new double[fields][dim];
            for (int f = 0; f < fields; f++) {
                present[f] = mask == null || mask[b * fields + f] != 0;
                for (int d = 0; d < dim; d++) {
                    x[f][d] = input[(b * fields + f) * dim + d];
                }
            }
            for (int l = 0; l < layers; l++) {
                float[] wq = values.get("layer" + l + ".query.weight");
                float[] wk = values.get("layer" + l + ".key.weight");
                float[] wv = values.get("layer" + l + ".value.weight");
                float[] wo = values.get("layer" + l + ".output.weight");
                float[] gain = values.get("layer" + l + ".norm.gain");
                float[] shift = values.get("layer" + l + ".norm.bias");
                double[][] q = project(wq, x, width);
                double[][] k = project(wk, x, width);
                double[][] v = project(wv, x, width);
                double[][] attended = new double[fields][width];
                for (int h = 0; h < heads; h++) {
                    for (int f = 0; f < fields; f++) {
                        if (!present[f]) {
                            continue;
                        }
                        double[] scores = new double[fields];
                        for (int j = 0; j < fields; j++) {
                            for (int c = h * headDim; c < (h + 1) * headDim; c++) {
                                scores[j] += q[f][c] * k[j][c];
                            }
                            scores[j] /= Math.sqrt(headDim);
                        }
                        double[] a = softmax(scores, present);
                        for (int j = 0; j < fields; j++) {
                            for (int c = h * headDim; c < (h + 1) * headDim; c++) {
                                attended[f][c] += a[j] * v[j][c];
                            }
                        }
                    }
                }
                double[][] y = new double[fields][dim];
                for (int f = 0; f < fields; f++) {
                    if (!present[f]) {
                        continue;
                    }
                    double[] z = new double[dim];
                    double mean = 0;
                    for (int d = 0; d < dim; d++) {
                        z[d] = x[f][d];
                        for (int c = 0; c < width; c++) {
                            z[d] += wo[d * width + c] * attended[f][c];
                        }
                        mean += z[d] / dim;
                    }
                    double var = 0;
                    for (int d = 0; d < dim; d++) {
                        var += (z[d] - mean) * (z[d] - mean) / dim;
                    }
                    for (int d = 0; d < dim; d++) {
                        y[f][d] = gain[d] * (z[d] - mean) / Math.sqrt(var + NORM_EPS) + shift[d];
                    }
                }
                x = y;
            }
            float[] query = values.get("pool.query");
            float[] bias = values.get("pool.field.bias");
            double[] scores = new double[fields];
            for (int f = 0; f < fields; f++) {
                for (int d = 0; d < dim; d++) {
                    scores[f] += query[d] * x[f][d];
                }
                scores[f] = scores[f] / Math.sqrt(dim) + (bias == null ? 0 : bias[f]);
            }
            double[] w = softmax(scores, present);
            for (int f = 0; f < fields; f++) {
                for (int d = 0; d < dim; d++) {
                    out[b * dim + d] += w[f] * x[f][d];
                }
            }
        }
        return out;
    }

    private double[][] project(float[] weights, double[][] x, int width) {
        double[][] out = new double[fields][width];
        for (int f = 0; f < fields; f++) {
            for (int c = 0; c < width; c++) {
                for (int d = 0; d < dim; d++) {
                    out[f][c] += weights[c * dim + d] * x[f][d];
                }
            }
        }
        return out;
    }

    private static double[] softmax(double[] scores, boolean[] present) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < scores.length; i++) {
            if (present[i]) {
                max = Math.max(max, scores[i]);
            }
        }
        double[] out = new double[scores.length];
        if (max == Double.NEGATIVE_INFINITY) {
            return out;
        }
        double sum = 0;
        for (int i = 0; i < scores.length; i++) {
            if (present[i]) {
                out[i] = Math.exp(scores[i] - max);
                sum += out[i];
            }
        }
        for (int i = 0; i < scores.length; i++) {
            out[i] /= sum;
        }
        return out;
    }
}
