/**
 * The two-tower model and its building blocks, with the {@code exact} retriever and the
 * {@code mean} attention providers. Implementation types are package-private; providers are public
 * so that {@link java.util.ServiceLoader} can make them.
 */
package dev.attentive.model;
