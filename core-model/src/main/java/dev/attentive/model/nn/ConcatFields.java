package dev.attentive.model.nn;

import dev.attentive.api.Attention;
import dev.attentive.api.Gradients;
import dev.attentive.api.Parameter;
import dev.attentive.model.ConcatMlpProvider;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Concatenates the field vectors, masked ones as zeros; the weights are uniform over the present
 * fields and carry no meaning (explanations replace them by normalised contribution magnitudes, see
 * {@code dev.attentive.model.serve.Explainer}). No parameters; thread safe.
 */
public final class ConcatFields implements Attention {
    private final int fields;
    private final int dim;

    public ConcatFields(int fields, int dim) {
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
        if (batch < 0 || input.length < (long) batch * fields * dim || (mask != null && mask.length < (long) batch * fields)) {
            throw new IllegalArgumentException(ConcatMlpProvider.NAME + ": fields must hold batch * fieldCount * dim = "
                    + (long) batch * fields * dim + " values and the mask (if any) batch * fieldCount; got "
                    + input.length + " and " + (mask == null ? "no mask" : mask.length));
        }
        float[] output = new float[batch * fields * dim];
        float[] weights = new float[batch * fields];
        for (int b = 0; b < batch; b++) {
            int present = 0;
            for (int f = 0; f < fields; f++) {
                int bf = b * fields + f;
                if (present(mask, bf)) {
                    present++;
                    System.arraycopy(input, bf * dim, output, bf * dim, dim);
                }
            }
            if (present > 0) {
                float w = 1f / present;
                for (int f = 0; f < fields; f++) {
                    if (present(mask, b * fields + f)) {
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
            throw new IllegalArgumentException(ConcatMlpProvider.NAME + ": backward was given a pass made by another "
                    + "attention; pass the Pass returned by this instance's forward");
        }
        // The weight is non-zero exactly for present fields, which pass their gradient through unchanged.
        for (int bf = 0; bf < p.batch() * fields; bf++) {
            if (p.weights()[bf] != 0) {
                for (int d = bf * dim; d < (bf + 1) * dim; d++) {
                    gradFields[d] += gradOutput[d];
                }
            }
        }
    }

    private static boolean present(float[] mask, int i) {
        return mask == null || mask[i] != 0;
    }

    private record ConcatPass(ConcatFields owner, int batch, float[] output, float[] weights) implements Pass {
    }
}
