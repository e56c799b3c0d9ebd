package dev.attentive.api;

import java.util.Arrays;
import java.util.Objects;

/**
 * A trainable tensor of a {@link Differentiable} component: a name, a row-major shape and its
 * values. Values are read by every training thread and written only by the optimiser between
 * steps; gradients live apart, in {@link Gradients}, so that threads never share them.
 *
 * @param name a name unique within its component, such as {@code "query"} or {@code "layer0.weight"}
 * @param shape the dimensions, row-major; their product is {@code values.length}
 * @param values the values, not copied (the component owns them)
 * @since 0.1.0
 */
public record Parameter(String name, int[] shape, float[] values) {
    /** Validates the shape against the values. */
    public Parameter {
        Objects.requireNonNull(name, "name");
        shape = shape.clone();
        Objects.requireNonNull(values, "values");
        long size = 1;
        for (int d : shape) {
            if (d < 1) {
                throw new IllegalArgumentException("Parameter '" + name + "' has a non-positive dimension in "
                        + Arrays.toString(shape));
            }
            size *= d;
        }
        if (size != values.length) {
            throw new IllegalArgumentException("Parameter '" + name + "' has shape " + Arrays.toString(shape)
                    + " (" + size + " values) but " + values.length + " values");
        }
    }

    /**
     * The number of values.
     *
     * @return {@code values().length}
     */
    public int size() {
        return values.length;
    }

    /**
     * The dimensions, row-major.
     *
     * @return a copy of the shape
     */
    @Override
    public int[] shape() {
        return shape.clone();
    }

    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    @Override
    public String toString() {
        return "Parameter[" + name + " " + Arrays.toString(shape) + "]";
    }
}
