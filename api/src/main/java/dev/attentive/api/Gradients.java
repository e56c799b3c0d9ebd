package dev.attentive.api;

import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Gradient accumulators for a set of {@link Parameter}s, one {@code float[]} per parameter of the
 * same length as its values. Backward passes <em>add</em> into these arrays. One instance belongs to
 * one thread; data-parallel training gives each thread its own and sums them.
 *
 * @since 0.1.0
 */
public final class Gradients {
    private final Map<Parameter, float[]> gradients = new IdentityHashMap<>();

    /**
     * Creates zeroed accumulators.
     *
     * @param parameters the parameters to accumulate for
     */
    public Gradients(Collection<Parameter> parameters) {
        for (Parameter p : parameters) {
            gradients.put(p, new float[p.size()]);
        }
    }

    /**
     * The accumulator of a parameter.
     *
     * @param parameter one of the parameters this instance was made for
     * @return the array backward passes add into
     * @throws IllegalArgumentException for a parameter this instance does not hold
     */
    public float[] of(Parameter parameter) {
        float[] g = gradients.get(parameter);
        if (g == null) {
            throw new IllegalArgumentException("No gradient accumulator for " + parameter
                    + "; create Gradients with every parameter of the component");
        }
        return g;
    }

    /** Sets every accumulator to zero. */
    public void zero() {
        for (float[] g : gradients.values()) {
            java.util.Arrays.fill(g, 0f);
        }
    }
}
