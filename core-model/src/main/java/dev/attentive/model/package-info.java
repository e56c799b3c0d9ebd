/**
 * Attentive's model API: the {@code two-tower} model provider and its config, {@link
 * dev.attentive.model.TwoTowerModels} to save and load trained models (format in
 * {@code core-model/MODEL-FORMAT.md}), and the providers of the {@code mlp} tower, the {@code mean}
 * and {@code concat-mlp} attentions and the {@code exact} retriever, public so that
 * {@link java.util.ServiceLoader} can make them. This is the only exported package; the
 * implementation lives in the internal packages {@code features}, {@code nn}, {@code train},
 * {@code serve} and {@code store}, in the order data passes through them.
 */
package dev.attentive.model;
