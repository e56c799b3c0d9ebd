package dev.attentive.api;

import java.util.random.RandomGenerator;

/**
 * Pools a set of {@link #fieldCount()} vectors of {@link #dim()} components into one vector of
 * {@link #outputDim()} components, weighing each input vector. A tower uses one attention over its
 * field vectors, and may use another over the user's recent items (most recent first).
 *
 * <h2>Layout</h2>
 * Inputs are a batch of rows, row-major: {@code fields[(b * fieldCount + f) * dim + d]}. The mask,
 * when not null, is {@code mask[b * fieldCount + f]}: 1 for a present field, 0 for a missing one.
 * Outputs are {@code output[b * outputDim + o]} and {@code weights[b * fieldCount + f]}.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Weights are ≥ 0; masked fields weigh 0; each row's weights sum to 1, or are all 0 when the
 *       row has no present field (its output is then all zeros).</li>
 *   <li>{@link #backward} <em>adds</em> into {@code gradFields} and into the parameter gradients.</li>
 *   <li>Forward passes may run concurrently on different threads; a {@link Pass} belongs to the
 *       thread that made it.</li>
 *   <li>A pass may be back-propagated more than once until it is {@linkplain Pass#release() released};
 *       what a released pass returned from {@link Pass#output()} and {@link Pass#weights()} stays
 *       unchanged by later passes.</li>
 * </ul>
 * The contract test kit ({@code attentive-testkit}, {@code AttentionContractTest}) checks these and
 * the gradients by finite differences.
 *
 * @since 0.1.0
 */
public interface Attention extends Differentiable {

    /**
     * The number of input vectors per row.
     *
     * @return the field count
     */
    int fieldCount();

    /**
     * The number of components of each input vector.
     *
     * @return the input dimension
     */
    int dim();

    /**
     * The number of components of the pooled output.
     *
     * @return the output dimension
     */
    int outputDim();

    /**
     * Computes the pooled vectors and weights of a batch.
     *
     * @param fields {@code batch * fieldCount * dim} values
     * @param mask {@code batch * fieldCount} values of 0 or 1, or null when every field is present
     * @param batch the number of rows
     * @param training whether this pass is for training (enables dropout and similar)
     * @param random randomness for training-time noise; may be null when {@code training} is false
     * @return the pass, holding outputs, weights and what backward needs
     */
    Pass forward(float[] fields, float[] mask, int batch, boolean training, RandomGenerator random);

    /**
     * Back-propagates through a pass made by this instance.
     *
     * @param pass the forward pass
     * @param gradOutput {@code batch * outputDim} gradients of the loss with respect to the output
     * @param gradFields {@code batch * fieldCount * dim} accumulators for the input gradients
     * @param gradients the parameter gradient accumulators
     */
    void backward(Pass pass, float[] gradOutput, float[] gradFields, Gradients gradients);

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
         * The pooled vectors, {@code batch * outputDim}.
         *
         * @return the output (owned by the pass; do not modify)
         */
        float[] output();

        /**
         * The weight of each field in each row, {@code batch * fieldCount}.
         *
         * @return the weights (owned by the pass; do not modify)
         */
        float[] weights();

        /**
         * Says that this pass will not be back-propagated again, so that the attention may reuse the
         * memory that it kept for {@link Attention#backward}. Call it once the last {@code backward}
         * through the pass has returned (or right after {@code forward}, for a pass that will never be
         * back-propagated). After it, {@link #output()} and {@link #weights()} stay readable and
         * unchanged, but {@code backward} through the pass is not allowed: an attention that reuses
         * memory throws {@link IllegalStateException} there. Releasing twice does nothing.
         *
         * <p>Calling it is optional: a pass that is never released is reclaimed by the garbage
         * collector as before. An attention whose passes hold large activations (such as
         * {@code field-self-attention}) uses it to avoid allocating and clearing them at every
         * training step. The default does nothing.
         *
         * @since 0.2.0
         */
        default void release() {
        }
    }
}
