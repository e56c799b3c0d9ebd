package dev.attentive.attention;

import dev.attentive.api.Attention;
import dev.attentive.api.Gradients;
import dev.attentive.api.Parameter;
import dev.attentive.kernels.Vectors;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Squeeze-and-excitation over fields: each present field is squeezed to the mean of its vector, a
 * two-layer network ({@code fields -> hidden -> fields}, ReLU then sigmoid) turns the squeezed
 * values into one gate per field, masked fields gate 0, and the weights are the gates normalised to
 * sum to 1. Parameters are only read during passes; concurrent forward passes are safe.
 */
final class FieldGating implements Attention {
    private final int fields;
    private final int dim;
    private final int hidden;
    private final FieldGatingProvider.Combine combine;
    private final Parameter squeezeWeight; // [hidden, fields]
    private final Parameter squeezeBias; // [hidden]
    private final Parameter exciteWeight; // [fields, hidden]
    private final Parameter exciteBias; // [fields]
    private final List<Parameter> parameters;

    FieldGating(int fields, int dim, int hidden, FieldGatingProvider.Combine combine, long seed) {
        this.fields = fields;
        this.dim = dim;
        this.hidden = hidden;
        this.combine = combine;
        Init init = new Init(seed);
        squeezeWeight = new Parameter("squeeze.weight", new int[] {hidden, fields}, init.xavier(hidden, fields));
        squeezeBias = new Parameter("squeeze.bias", new int[] {hidden}, Init.constant(hidden, 0.1f));
        exciteWeight = new Parameter("excite.weight", new int[] {fields, hidden}, init.xavier(fields, hidden));
        exciteBias = new Parameter("excite.bias", new int[] {fields}, new float[fields]);
        parameters = List.of(squeezeWeight, squeezeBias, exciteWeight, exciteBias);
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
        return combine == FieldGatingProvider.Combine.SUM ? dim : fields * dim;
    }

    @Override
    public List<Parameter> parameters() {
        return parameters;
    }

    @Override
    public Pass forward(float[] input, float[] mask, int batch, boolean training, RandomGenerator random) {
        PassChecks.checkForward(this, FieldGatingProvider.NAME, input, mask, batch);
        float[] x = java.util.Arrays.copyOf(input, batch * fields * dim);
        float[] squeezed = new float[batch * fields];
        float[] activations = new float[batch * hidden];
        float[] gates = new float[batch * fields];
        float[] weights = new float[batch * fields];
        float[] output = new float[batch * outputDim()];
        float invDim = 1f / dim;
        for (int b = 0; b < batch; b++) {
            int row = b * fields;
            for (int f = 0; f < fields; f++) {
                if (DenseLayers.present(mask, row + f)) {
                    float s = 0;
                    for (int d = 0; d < dim; d++) {
                        s += x[(row + f) * dim + d];
                    }
                    squeezed[row + f] = s * invDim;
                }
            }
            DenseLayers.matVec(squeezeWeight.values(), 0, hidden, fields, squeezed, row, activations, b * hidden);
            for (int j = 0; j < hidden; j++) {
                float a = activations[b * hidden + j] + squeezeBias.values()[j];
                activations[b * hidden + j] = a > 0 ? a : 0f;
            }
            float sum = 0;
            for (int f = 0; f < fields; f++) {
                if (DenseLayers.present(mask, row + f)) {
                    float pre = Vectors.dotDoubleAccumulate(exciteWeight.values(), f * hidden, activations, b * hidden, hidden)
                            + exciteBias.values()[f];
                    float g = (float) (1 / (1 + Math.exp(-pre)));
                    gates[row + f] = g;
                    sum += g;
                }
            }
            if (sum == 0) {
                continue;
            }
            float inv = 1f / sum;
            for (int f = 0; f < fields; f++) {
                float w = gates[row + f] * inv;
                weights[row + f] = w;
                if (gates[row + f] == 0) {
                    continue;
                }
                if (combine == FieldGatingProvider.Combine.SUM) {
                    Vectors.axpy(w, x, (row + f) * dim, output, b * dim, dim);
                } else {
                    Vectors.axpy(gates[row + f], x, (row + f) * dim, output, (row + f) * dim, dim);
                }
            }
        }
        return new GatingPass(this, batch, x, squeezed, activations, gates, output, weights);
    }

    @Override
    public void backward(Pass pass, float[] gradOutput, float[] gradFields, Gradients gradients) {
        if (!(pass instanceof GatingPass p) || p.owner != this) {
            throw PassChecks.foreignPass(FieldGatingProvider.NAME, pass);
        }
        PassChecks.checkBackward(this, FieldGatingProvider.NAME, p.batch, gradOutput, gradFields);
        float[] gSqueezeWeight = gradients.of(squeezeWeight);
        float[] gSqueezeBias = gradients.of(squeezeBias);
        float[] gExciteWeight = gradients.of(exciteWeight);
        float[] gExciteBias = gradients.of(exciteBias);
        float[] dGate = new float[fields];
        float[] dPre = new float[fields];
        float[] dHidden = new float[hidden];
        float[] dSqueezed = new float[fields];
        float invDim = 1f / dim;
        for (int b = 0; b < p.batch; b++) {
            int row = b * fields;
            float sum = 0;
            for (int f = 0; f < fields; f++) {
                sum += p.gates[row + f];
            }
            if (sum == 0) {
                continue;
            }
            if (combine == FieldGatingProvider.Combine.SUM) {
                // out = sum_f (g_f / S) x_f: d out/d g_f = (x_f - out) / S
                float inv = 1f / sum;
                for (int f = 0; f < fields; f++) {
                    int bf = row + f;
                    if (p.gates[bf] == 0) {
                        dGate[f] = 0f;
                        continue;
                    }
                    Vectors.axpy(p.weights[bf], gradOutput, b * dim, gradFields, bf * dim, dim);
                    dGate[f] = inv * (Vectors.dotDoubleAccumulate(gradOutput, b * dim, p.x, bf * dim, dim)
                            - Vectors.dotDoubleAccumulate(gradOutput, b * dim, p.output, b * dim, dim));
                }
            } else {
                for (int f = 0; f < fields; f++) {
                    int bf = row + f;
                    if (p.gates[bf] == 0) {
                        dGate[f] = 0f;
                        continue;
                    }
                    Vectors.axpy(p.gates[bf], gradOutput, bf * dim, gradFields, bf * dim, dim);
                    dGate[f] = Vectors.dotDoubleAccumulate(gradOutput, bf * dim, p.x, bf * dim, dim);
                }
            }
            for (int f = 0; f < fields; f++) {
                float g = p.gates[row + f];
                dPre[f] = dGate[f] * g * (1 - g);
                gExciteBias[f] += dPre[f];
            }
            DenseLayers.outerAdd(gExciteWeight, 0, fields, hidden, dPre, 0, p.activations, b * hidden);
            java.util.Arrays.fill(dHidden, 0f);
            DenseLayers.matTVecAdd(exciteWeight.values(), 0, fields, hidden, dPre, 0, dHidden, 0);
            for (int j = 0; j < hidden; j++) {
                if (p.activations[b * hidden + j] <= 0) {
                    dHidden[j] = 0f;
                }
                gSqueezeBias[j] += dHidden[j];
            }
            DenseLayers.outerAdd(gSqueezeWeight, 0, hidden, fields, dHidden, 0, p.squeezed, row);
            java.util.Arrays.fill(dSqueezed, 0f);
            DenseLayers.matTVecAdd(squeezeWeight.values(), 0, hidden, fields, dHidden, 0, dSqueezed, 0);
            for (int f = 0; f < fields; f++) {
                if (p.gates[row + f] == 0) {
                    continue; // a masked field's squeezed value is the constant 0
                }
                float g = dSqueezed[f] * invDim;
                int o = (row + f) * dim;
                for (int d = 0; d < dim; d++) {
                    gradFields[o + d] += g;
                }
            }
        }
    }

    private static final class GatingPass implements Pass {
        private final FieldGating owner;
        private final int batch;
        private final float[] x;
        private final float[] squeezed;
        private final float[] activations;
        private final float[] gates;
        private final float[] output;
        private final float[] weights;

        GatingPass(FieldGating owner, int batch, float[] x, float[] squeezed, float[] activations, float[] gates,
                float[] output, float[] weights) {
            this.owner = owner;
            this.batch = batch;
            this.x = x;
            this.squeezed = squeezed;
            this.activations = activations;
            this.gates = gates;
            this.output = output;
            this.weights = weights;
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
