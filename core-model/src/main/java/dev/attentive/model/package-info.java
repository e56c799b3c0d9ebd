/**
 * Attentive's model API: the {@code two-tower} and {@code two-stage} model providers and their
 * configs, {@link dev.attentive.model.TwoTowerModels} to save and load trained models of both
 * (formats in {@code core-model/MODEL-FORMAT.md}) and to serve a two-tower model with its index
 * kept in a directory, and the providers of the {@code mlp} tower, the
 * {@code mean} and {@code concat-mlp} attentions and the {@code exact} retriever, public so that
 * {@link java.util.ServiceLoader} can make them. This is the only exported package; the
 * implementation lives in the internal packages {@code features}, {@code nn}, {@code train},
 * {@code serve}, {@code rank} and {@code store}, in the order data passes through them.
 */
package dev.attentive.model;
