/**
 * Optional Guice wiring for Attentive: a Guice module that binds a saved model (two-tower or two-stage),
 * or the serving recommender an Attentive config file describes, as the {@code Recommender}.
 */
module dev.attentive.guice {
    requires transitive dev.attentive.api;
    // Not transitive: Guice is an automatic module (see AttentiveModule); hosts require it themselves.
    requires com.google.guice;
    requires dev.attentive.model;
    requires transitive dev.attentive.runtime;

    exports dev.attentive.guice;
}
