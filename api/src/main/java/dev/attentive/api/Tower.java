package dev.attentive.api;

import java.util.random.RandomGenerator;

/**
 * Maps a pooled feature vector of {@link #inputDim()} components to an embedding of
 * {@link #outputDim()} components (the model L2-normalises it afterwards). Layout is row-major:
 * {@code input[b * inputDim + i]}, {@code output[b * outputDim + o]}.
 *
 * <p>{@link #backward} <em>adds</em> into {@code gradInput} and the parameter gradients. Forward
 * passes may run concurrently on different threads; a {@link Pass} belongs to its thread.
 *
 * @since 0.1.0
 */
public interface Tower extends Differentiable {

    /**
     * The input width.
     *
     * @return the number of input components
     */
    int inputDim();

    /**
     * The output width.
     *
     * @return the number of output components
     */
    int outputDim();

    /**
     * Computes the outputs of a batch.
     *
     * @param input {@code batch * inputDim} values
     * @param batch the number of rows
     * @param training whether this pass is for training (enables dropout)
     * @param random randomness for dropout; may be null when {@code training} is false
     * @return the pass
     */
    Pass forward(float[] input, int batch, boolean training, RandomGenerator random);

    /**
     * Back-propagates through a pass made by this instance.
     *
     * @param pass the forward pass
     * @param gradOutput {@code batch * outputDim} gradients of the loss with respect to the output
     * @param gradInput {@code batch * inputDim} accumulators for the input gradients
     * @param gradients the parameter gradient accumulators
     */
    void backward(Pass pass, float[] gradOutput, float[] gradInput, Gradients gradients);

    /**
     * The result of one forward pass.
     *
     * @since 0.1.0
     */
    interface Pass {
        /**
         * The number of rows.
         *
         * @return the batch size
         */
        int batch();

        /**
         * The outputs, {@code batch * outputDim}.
         *
         * @return the output (owned by the pass; do not modify)
         */
        float[] output();
    }
}
