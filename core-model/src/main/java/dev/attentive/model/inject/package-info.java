/**
 * Optional Guice wiring: {@link dev.attentive.model.inject.AttentiveModule} binds a
 * {@link dev.attentive.api.Recommender} loaded from a saved model directory. Needs Guice 7 on the
 * host application's class or module path.
 */
package dev.attentive.model.inject;
