package dev.attentive.attention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attentive.api.Attention;
import dev.attentive.api.Gradients;
import dev.attentive.api.Parameter;
import dev.attentive.api.spi.AttentionProvider;
import dev.attentive.api.spi.AttentionShape;
import dev.attentive.testkit.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A planted task, independent of the two-tower model: each row has {@value #FIELDS} random field
 * vectors, and the target is {@code u · (x_0 + x_2) + noise}: only fields 0 and 2 carry signal. An
 * attention pools the fields, a linear read-out predicts the target, and both are trained with
 * Adam on the squared error. The learned weights must rank fields 0 and 2 above every noise field,
 * and the held-out loss must beat the same read-out over mean pooling trained the same way.
 */
class PlantedFieldsLearningTest {
    private static final int FIELDS = 5;
    private static final int DIM = 8;
    private static final int BATCH = 64;
    private static final int STEPS = 300;
    private static final int[] INFORMATIVE = {0, 2};

    @Test
    void attentionPoolingFindsTheInformativeFieldsAndBeatsMean() {
        Seeds.forEach(3, 2024, (random, seed) -> assertLearns(new AttentionPoolingProvider(), Map.of(), seed));
    }

    @Test
    void additiveAttentionPoolingFindsTheInformativeFields() {
        Seeds.forEach(2, 2025, (random, seed) -> assertLearns(new AttentionPoolingProvider(),
                Map.of("scoring", "additive"), seed));
    }

    @Test
    void fieldSelfAttentionFindsTheInformativeFields() {
        Seeds.forEach(2, 2026, (random, seed) -> assertLearns(new FieldSelfAttentionProvider(), Map.of(), seed));
    }

    @Test
    void fieldGatingFindsTheInformativeFields() {
        Seeds.forEach(2, 2027, (random, seed) -> assertLearns(new FieldGatingProvider(), Map.of(), seed));
    }

    private static void assertLearns(AttentionProvider<?> provider, Map<String, String> settings, long seed) {
        SplittableRandom data = new SplittableRandom(seed);
        float[] u = Seeds.unitVector(data, DIM);
        for (int d = 0; d < DIM; d++) {
            u[d] *= 2f;
        }
        Task train = Task.sample(data, u, STEPS * BATCH);
        Task test = Task.sample(data, u, 2000);

        List<String> names = new ArrayList<>();
        for (int f = 0; f < FIELDS; f++) {
            names.add("field" + f);
        }
        Attention attention = provider.create(settings, new AttentionShape(names, DIM), seed);
        Result learned = train(attention, train, test);
        Result mean = train(null, train, test);

        float[] w = learned.meanWeights;
        float weakestInformative = Math.min(w[0], w[2]);
        float strongestNoise = Math.max(w[1], Math.max(w[3], w[4]));
        System.out.printf("[planted] %s%s seed %d: weights %s, test MSE %.4f vs mean pooling %.4f%n", provider.name(),
                settings, seed, java.util.Arrays.toString(w), learned.testLoss, mean.testLoss);
        assertThat(weakestInformative).as("weights %s must rank fields 0 and 2 above the noise fields",
                java.util.Arrays.toString(w)).isGreaterThan(strongestNoise);
        assertThat(learned.testLoss).as("held-out MSE with %s vs mean pooling", provider.name())
                .isLessThan(0.5 * mean.testLoss);
    }

    /** Rows of field vectors and their targets. */
    private record Task(float[] fields, float[] targets, int rows) {
        static Task sample(SplittableRandom random, float[] u, int rows) {
            float[] x = new float[rows * FIELDS * DIM];
            float[] y = new float[rows];
            for (int r = 0; r < rows; r++) {
                for (int i = 0; i < FIELDS * DIM; i++) {
                    x[r * FIELDS * DIM + i] = (float) Seeds.gaussian(random);
                }
                double t = 0.1 * Seeds.gaussian(random);
                for (int f : INFORMATIVE) {
                    for (int d = 0; d < DIM; d++) {
                        t += u[d] * x[(r * FIELDS + f) * DIM + d];
                    }
                }
                y[r] = (float) t;
            }
            return new Task(x, y, rows);
        }
    }

    private record Result(double testLoss, float[] meanWeights) {
    }

    /** Trains attention (or mean pooling when null) and the read-out; returns held-out MSE and mean weights. */
    private static Result train(Attention attention, Task train, Task test) {
        int outDim = attention == null ? DIM : attention.outputDim();
        Parameter readout = new Parameter("readout", new int[] {outDim + 1}, new float[outDim + 1]);
        List<Parameter> params = new ArrayList<>(attention == null ? List.of() : attention.parameters());
        params.add(readout);
        Adam adam = new Adam(params, 0.02);
        Gradients gradients = new Gradients(params);
        SplittableRandom noise = new SplittableRandom(1);
        for (int step = 0; step < STEPS; step++) {
            float[] x = java.util.Arrays.copyOfRange(train.fields, step * BATCH * FIELDS * DIM,
                    (step + 1) * BATCH * FIELDS * DIM);
            gradients.zero();
            float[] pooled;
            Attention.Pass pass = null;
            if (attention == null) {
                pooled = meanPool(x, BATCH);
            } else {
                pass = attention.forward(x, null, BATCH, true, noise);
                pooled = pass.output();
            }
            float[] r = readout.values();
            float[] gr = gradients.of(readout);
            float[] gPooled = new float[BATCH * outDim];
            for (int b = 0; b < BATCH; b++) {
                double pred = r[outDim];
                for (int d = 0; d < outDim; d++) {
                    pred += r[d] * pooled[b * outDim + d];
                }
                float g = (float) (2 * (pred - train.targets[step * BATCH + b]) / BATCH);
                for (int d = 0; d < outDim; d++) {
                    gr[d] += g * pooled[b * outDim + d];
                    gPooled[b * outDim + d] = g * r[d];
                }
                gr[outDim] += g;
            }
            if (attention != null) {
                attention.backward(pass, gPooled, new float[x.length], gradients);
            }
            adam.step(gradients);
        }
        float[] pooled;
        float[] meanWeights = new float[FIELDS];
        if (attention == null) {
            pooled = meanPool(test.fields, test.rows);
        } else {
            Attention.Pass pass = attention.forward(test.fields, null, test.rows, false, null);
            pooled = pass.output();
            for (int b = 0; b < test.rows; b++) {
                for (int f = 0; f < FIELDS; f++) {
                    meanWeights[f] += pass.weights()[b * FIELDS + f] / test.rows;
                }
            }
        }
        double loss = 0;
        float[] r = readout.values();
        for (int b = 0; b < test.rows; b++) {
            double pred = r[outDim];
            for (int d = 0; d < outDim; d++) {
                pred += r[d] * pooled[b * outDim + d];
            }
            double e = pred - test.targets[b];
            loss += e * e / test.rows;
        }
        return new Result(loss, meanWeights);
    }

    private static float[] meanPool(float[] x, int rows) {
        float[] out = new float[rows * DIM];
        for (int b = 0; b < rows; b++) {
            for (int f = 0; f < FIELDS; f++) {
                for (int d = 0; d < DIM; d++) {
                    out[b * DIM + d] += x[(b * FIELDS + f) * DIM + d] / FIELDS;
                }
            }
        }
        return out;
    }

    /** Plain Adam (Kingma and Ba), bias-corrected, written here so the test depends on nothing else. */
    private static final class Adam {
        private final List<Parameter> params;
        private final double lr;
        private final List<double[]> m = new ArrayList<>();
        private final List<double[]> v = new ArrayList<>();
        private int t;

        Adam(List<Parameter> params, double lr) {
            this.params = params;
            this.lr = lr;
            for (Parameter p : params) {
                m.add(new double[p.size()]);
                v.add(new double[p.size()]);
            }
        }

        void step(Gradients gradients) {
            t++;
            double c1 = 1 - Math.pow(0.9, t);
            double c2 = 1 - Math.pow(0.999, t);
            for (int k = 0; k < params.size(); k++) {
                float[] values = params.get(k).values();
                float[] g = gradients.of(params.get(k));
                double[] mk = m.get(k);
                double[] vk = v.get(k);
                for (int i = 0; i < values.length; i++) {
                    mk[i] = 0.9 * mk[i] + 0.1 * g[i];
                    vk[i] = 0.999 * vk[i] + 0.001 * g[i] * g[i];
                    values[i] -= (float) (lr * (mk[i] / c1) / (Math.sqrt(vk[i] / c2) + 1e-8));
                }
            }
        }
    }
}
