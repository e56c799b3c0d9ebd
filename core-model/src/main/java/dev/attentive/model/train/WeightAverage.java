package dev.attentive.model.train;

import dev.attentive.api.Parameter;
import dev.attentive.kernels.ParallelFor;
import dev.attentive.kernels.Vectors;
import java.util.List;

/**
 * The exponential moving average of a model's weights ({@code weightAverage}, Polyak averaging).
 * After step {@code t} (counted from 0) every average {@code a} of a weight {@code w} becomes
 * {@code d a + (1 - d) w} with {@code d = min(decay, (1 + t) / (10 + t))}, so the first steps move the
 * average most and it does not stay near the initialisation. {@link #swap()} exchanges the averages
 * with the weights, so the same model object can be validated with either.
 *
 * <p>Not thread safe; {@link #update} splits the parameters over the given workers.
 */
final class WeightAverage {
    private final List<Parameter> parameters;
    private final float[][] averages;
    private final double decay;
    private long steps;

    /**
     * Starts every average at its weight's current value.
     *
     * @param parameters the weights to average
     * @param decay the decay, in {@code (0, 1)}
     */
    WeightAverage(List<Parameter> parameters, double decay) {
        if (!(decay > 0 && decay < 1)) {
            throw new IllegalArgumentException("weightAverage must be above 0 and below 1, got " + decay);
        }
        this.parameters = List.copyOf(parameters);
        this.decay = decay;
        averages = new float[parameters.size()][];
        for (int i = 0; i < averages.length; i++) {
            averages[i] = parameters.get(i).values().clone();
        }
    }

    /** The decay the next {@link #update} applies. */
    double nextDecay() {
        return Math.min(decay, (1.0 + steps) / (10.0 + steps));
    }

    /** Moves every average towards its weight, after an optimiser step. */
    void update(ParallelFor workers) {
        float d = (float) nextDecay();
        steps++;
        workers.range(averages.length, (from, to) -> {
            for (int i = from; i < to; i++) {
                float[] a = averages[i];
                int n = parameters.get(i).size();
                Vectors.scale(a, 0, n, d);
                Vectors.axpy(1f - d, parameters.get(i).values(), 0, a, 0, n);
            }
        });
    }

    /** Exchanges each weight with its average; calling it twice restores both. */
    void swap() {
        for (int i = 0; i < averages.length; i++) {
            float[] w = parameters.get(i).values();
            float[] a = averages[i];
            for (int k = 0, n = parameters.get(i).size(); k < n; k++) {
                float t = w[k];
                w[k] = a[k];
                a[k] = t;
            }
        }
    }
}
