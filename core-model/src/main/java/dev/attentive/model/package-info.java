/**
 * The two-tower model and its building blocks, with the {@code exact} retriever and the
 * {@code mean} attention providers. Implementation types are package-private; providers are public
 * so that {@link java.util.ServiceLoader} can make them, and {@link dev.attentive.model.TwoTowerModels}
 * saves and loads trained models (format in {@code core-model/MODEL-FORMAT.md}).
 */
package dev.attentive.model;
