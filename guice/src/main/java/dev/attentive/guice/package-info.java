/**
 * Guice wiring: {@link dev.attentive.guice.AttentiveModule} binds a {@link dev.attentive.api.Recommender}
 * loaded from a saved model directory, or built from an Attentive config file.
 */
package dev.attentive.guice;
