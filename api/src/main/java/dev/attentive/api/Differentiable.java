package dev.attentive.api;

import java.util.List;

/**
 * A component with trainable parameters whose backward pass the training loop calls. Its whole
 * learned state is {@link #parameters()}: saving a component is saving those values, and loading is
 * creating the component from the same provider, config and shape, then copying them back.
 *
 * @since 0.1.0
 */
public interface Differentiable {

    /**
     * The trainable parameters, in a stable order, with unique names.
     *
     * @return the parameters (possibly empty); the same instances on every call
     */
    List<Parameter> parameters();
}
