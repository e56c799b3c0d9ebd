package dev.attentive.api;

import dev.attentive.api.spi.RankerShape;
import java.util.random.RandomGenerator;

/**
 * Scores lists of candidate items for user contexts: the ranking stage that re-scores what the
 * candidate sources retrieved. A ranker owns its own item and feature-value embeddings, keyed by
 * catalogue index and feature-value index; the candidate sources enter only as per-candidate
 * numbers ({@link RankerBatch#sourceScores()}), never as another model's embeddings, so that a
 * ranker trained on the sources of one fit can serve with the sources of another.
 *
 * <h2>Layout</h2>
 * A batch holds {@code lists} candidate lists of {@code listSize} slots each (padded with -1), the
 * list's user context ({@code historyLength} recent items and {@link RankerShape#userSlots()}
 * feature values, padded with -1) and, per candidate slot, {@link RankerShape#sourceCount()}
 * source scores and {@link RankerShape#itemSlots()} feature values; see {@link RankerBatch}.
 * Outputs are {@code scores[b * listSize + c]} and
 * {@code historyWeights[(b * listSize + c) * historyLength + h]}.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>A candidate's score depends only on its own slot and its list's user context: the scores
 *       are equivariant under permutations of a list's candidates, and padded slots (item -1)
 *       neither affect the others nor score anything but 0.</li>
 *   <li>History weights say how much each history item counts for each candidate: ≥ 0, padded
 *       history slots weigh 0, and each candidate's weights sum to 1 (all 0 when its list has no
 *       history, or for a padded candidate). A ranker without attention returns uniform weights.</li>
 *   <li>{@link #backward} <em>adds</em> into the parameter gradients.</li>
 *   <li>Forward passes may run concurrently on different threads; a {@link Pass} belongs to the
 *       thread that made it.</li>
 * </ul>
 * The contract test kit ({@code attentive-testkit}, {@code RankerContractTest}) checks these and
 * the gradients by finite differences.
 *
 * @since 0.2.0
 */
public interface Ranker extends Differentiable {

    /**
     * What this ranker was created for.
     *
     * @return the shape
     */
    RankerShape shape();

    /**
     * Scores a batch of candidate lists.
     *
     * @param batch the lists, in the layout of {@link RankerBatch}
     * @param training whether this pass is for training (enables dropout and similar)
     * @param random randomness for training-time noise; may be null when {@code training} is false
     * @return the pass, holding scores, history weights and what backward needs
     * @throws IllegalArgumentException when an index is outside the shape
     */
    Pass forward(RankerBatch batch, boolean training, RandomGenerator random);

    /**
     * Back-propagates through a pass made by this instance.
     *
     * @param pass the forward pass
     * @param gradScores {@code lists * listSize} gradients of the loss with respect to the scores
     *     (those of padded slots are ignored)
     * @param gradients the parameter gradient accumulators
     */
    void backward(Pass pass, float[] gradScores, Gradients gradients);

    /**
     * The result of one forward pass.
     *
     * @since 0.2.0
     */
    interface Pass {
        /**
         * The batch this pass scored.
         *
         * @return the batch
         */
        RankerBatch batch();

        /**
         * The score of each candidate slot, {@code lists * listSize}; 0 for padded slots.
         *
         * @return the scores (owned by the pass; do not modify)
         */
        float[] scores();

        /**
         * The weight of each history item for each candidate,
         * {@code lists * listSize * historyLength}.
         *
         * @return the weights (owned by the pass; do not modify)
         */
        float[] historyWeights();
    }
}
