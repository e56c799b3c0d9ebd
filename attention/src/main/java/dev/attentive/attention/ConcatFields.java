package dev.attentive.attention;

import dev.attentive.api.Attention;
import dev.attentive.api.Gradients;
import dev.attentive.api.Parameter;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Concatenates the field vectors, masked ones as zeros; the weights are uniform over the present
 * fields and carry no meaning. No parameters; thread safe.
 */
final class ConcatFields implements Attention {
    private final int fields;
    private final int dim;

    ConcatFields(int fields, int dim) {
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
        return fields * dim;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of();
    }

    @Override
    public Pass forward(float[] input, float[] mask, int batch, boolean training, RandomGenerator random) {
        DenseOps.checkForward(this, ConcatMlpProvider.NAME, input, mask, batch);
        float[] output = new float[batch * fields * dim];
        float[] weights = new float[batch * fields];
        for (int b = 0; b < batch; b++) {
            int present = 0;
            for (int f = 0; f < fields; f++) {
                int bf = b * fields + f;
                if (DenseOps.present(mask, bf)) {
                    present++;
                    System.arraycopy(input, bf * dim, output, bf * dim, dim);
                }
            }
            if (present > 0) {
                float w = 1f / present;
                for (int f = 0; f < fields; f++) {
                    if (DenseOps.present(mask, b * fields + f)) {
                        weights[b * fields + f] = w;
                    }
                }
            }
        }
        return new ConcatPass(this, batch, output, weights);
    }

    @Override
    public void backward(Pass pass, float[] gradOutput, float[] gradFields, Gradients gradients) {
        if (!(pass instanceof ConcatPass p) || p.owner() != this) {
            throw DenseOps.foreignPass(ConcatMlpProvider.NAME, pass);
        }
        DenseOps.checkBackward(this, ConcatMlpProvider.NAME, p.batch(), gradOutput, gradFields);
        // The weight is non-zero exactly for present fields, which pass their gradient through unchanged.
        for (int bf = 0; bf < p.batch() * fields; bf++) {
            if (p.weights()[bf] != 0) {
                DenseOps.axpy(1f, gradOutput, bf * dim, gradFields, bf * dim, dim);
            }
        }
    }

    private record ConcatPass(ConcatFields owner, int batch, float[] output, float[] weights) implements Pass {
    }
}
