/**
 * Internal (not exported): the training loop, which builds a model from a dataset and runs
 * mini-batches, the loss and the optimiser over it with validation and early stopping.
 */
package dev.attentive.model.train;
