package dev.attentive.model.nn;

import dev.attentive.api.Parameter;
import dev.attentive.model.TwoTowerModelProvider;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Float optimisers with their state per parameter: Adam (L2 weight decay added to the gradient),
 * AdamW (decoupled weight decay) and Adagrad. Dense parameters update every value; embedding
 * tables update only the rows a batch touched ("lazy" Adam: moments of untouched rows stay as
 * they are, bias correction uses the global step). Adam follows Kingma and Ba: the step is
 * {@code lr * mhat / (sqrt(vhat) + eps)} with {@code mhat = m / (1 - b1^t)}, {@code vhat = v / (1 - b2^t)}.
 * Not thread safe per parameter; distinct parameters may be updated concurrently.
 */
public final class Optimizer {
    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPS = 1e-8f;
    private static final float ADAGRAD_EPS = 1e-10f;

    private final TwoTowerModelProvider.Optimiser kind;
    private final float lr;
    private final float weightDecay;
    private final Map<Parameter, float[][]> state = new IdentityHashMap<>();
    private int step;

    public Optimizer(TwoTowerModelProvider.Optimiser kind, float lr, float weightDecay) {
        this.kind = kind;
        this.lr = lr;
        this.weightDecay = weightDecay;
    }

    /** Registers a parameter (call before updating in parallel, so the state map is not mutated concurrently). */
    public void register(Parameter p) {
        state.computeIfAbsent(p, q -> kind == TwoTowerModelProvider.Optimiser.ADAGRAD ? new float[][] {new float[q.size()]}
                : new float[][] {new float[q.size()], new float[q.size()]});
    }

    /** Starts a step: the bias corrections of the following updates use it. */
    public void nextStep() {
        step++;
    }

    public int step() {
        return step;
    }

    /** Updates all values of a dense parameter. */
    public void updateDense(Parameter p, float[] grad) {
        update(p, grad, 0, p.size());
    }

    /** Updates the touched rows of an embedding table. */
    public void updateSparse(Parameter p, SparseGrad grad) {
        int dim = grad.dim;
        for (int row : grad.rows()) {
            update(p, grad.values, row * dim, row * dim + dim);
        }
    }

    private void update(Parameter p, float[] grad, int from, int to) {
        float[] w = p.values();
        float[][] s = state.get(p);
        if (s == null) {
            throw new IllegalStateException("Parameter " + p + " was not registered with the optimiser");
        }
        switch (kind) {
            case ADAM, ADAMW -> {
                float[] m = s[0];
                float[] v = s[1];
                float c1 = (float) (1 - Math.pow(BETA1, step));
                float c2 = (float) (1 - Math.pow(BETA2, step));
                float stepSize = lr / c1;
                float sqrtC2 = (float) Math.sqrt(c2);
                boolean decoupled = kind == TwoTowerModelProvider.Optimiser.ADAMW;
                for (int i = from; i < to; i++) {
                    float g = grad[i];
                    if (!decoupled && weightDecay != 0) {
                        g += weightDecay * w[i];
                    }
                    m[i] = BETA1 * m[i] + (1 - BETA1) * g;
                    v[i] = BETA2 * v[i] + (1 - BETA2) * g * g;
                    if (decoupled && weightDecay != 0) {
                        w[i] -= lr * weightDecay * w[i];
                    }
                    w[i] -= stepSize * m[i] / ((float) Math.sqrt(v[i]) / sqrtC2 + EPS);
                }
            }
            case ADAGRAD -> {
                float[] acc = s[0];
                for (int i = from; i < to; i++) {
                    float g = grad[i] + weightDecay * w[i];
                    acc[i] += g * g;
                    w[i] -= lr * g / ((float) Math.sqrt(acc[i]) + ADAGRAD_EPS);
                }
            }
            default -> throw new IllegalStateException(kind.toString());
        }
    }
}
