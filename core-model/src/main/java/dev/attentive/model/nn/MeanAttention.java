package dev.attentive.model.nn;

import dev.attentive.api.Attention;
import dev.attentive.api.Gradients;
import dev.attentive.api.Parameter;
import java.util.List;
import java.util.random.RandomGenerator;

/** Averages the present field vectors. Stateless apart from its shape; thread safe. */
public final class MeanAttention implements Attention {
    private final int fields;
    private final int dim;

    public MeanAttention(int fields, int dim) {
        this.fields = fields;
        this.dim = dim;
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
        return List.of();
    }

    @Override
    public Pass forward(float[] input, float[] mask, int batch, boolean training, RandomGenerator random) {
        float[] output = new float[batch * dim];
        float[] weights = new float[batch * fields];
        for (int b = 0; b < batch; b++) {
            int present = 0;
            for (int f = 0; f < fields; f++) {
                if (mask == null || mask[b * fields + f] != 0) {
                    present++;
                }
            }
            if (present == 0) {
                continue;
            }
            float w = 1f / present;
            int out = b * dim;
            for (int f = 0; f < fields; f++) {
                if (mask != null && mask[b * fields + f] == 0) {
                    continue;
                }
                weights[b * fields + f] = w;
                int in = (b * fields + f) * dim;
                for (int d = 0; d < dim; d++) {
                    output[out + d] += w * input[in + d];
                }
            }
        }
        return new MeanPass(batch, output, weights);
    }

    @Override
    public void backward(Pass pass, float[] gradOutput, float[] gradFields, Gradients gradients) {
        float[] weights = pass.weights();
        for (int b = 0; b < pass.batch(); b++) {
            for (int f = 0; f < fields; f++) {
                float w = weights[b * fields + f];
                if (w == 0) {
                    continue;
                }
                int in = (b * fields + f) * dim;
                int out = b * dim;
                for (int d = 0; d < dim; d++) {
                    gradFields[in + d] += w * gradOutput[out + d];
                }
            }
        }
    }

    record MeanPass(int batch, float[] output, float[] weights) implements Pass {
    }
}
