/**
 * Hyper-parameter search as a library: a declared {@link dev.attentive.eval.tune.SearchSpace} per model,
 * a seeded random search with one {@link dev.attentive.eval.tune.Budget} for every model, selection on
 * validation NDCG@10 only, and the chosen settings scored on test by the experiment runner.
 */
package dev.attentive.eval.tune;
