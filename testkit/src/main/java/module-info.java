/**
 * Abstract JUnit contract suites for Attentive's SPIs and seeded randomized testing helpers, for
 * Attentive's own providers and third-party plugins.
 */
module dev.attentive.testkit {
    requires transitive dev.attentive.api;
    requires transitive org.junit.jupiter.api;
    requires transitive org.assertj.core;

    exports dev.attentive.testkit;
}
