/**
 * Internal (not exported): the two-tower network. The model's two sides (embedding tables, field
 * attention, tower, L2 normalisation) with their forward and backward passes, the built-in
 * {@code mlp} tower and {@code mean} and {@code concat-mlp} attentions, the in-batch softmax loss,
 * sparse table gradients and the optimisers.
 */
package dev.attentive.model.nn;
