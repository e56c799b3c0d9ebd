package dev.attentive.index.opensearch;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One single-node OpenSearch cluster for every test class that extends with this (one JVM start per
 * test run): started by the first such class, kept in the root extension store and closed — the node
 * stopped and its temp folder deleted — when the test run ends, whatever the tests did. A JVM shutdown
 * hook does the same if the run is cut short.
 */
final class SharedOpenSearchNode implements BeforeAllCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedOpenSearchNode.class);
    private static volatile OpenSearchCluster cluster;

    /** For JUnit. */
    SharedOpenSearchNode() {
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        cluster = context.getRoot().getStore(NAMESPACE).computeIfAbsent("single-node", key -> {
            OpenSearchCluster started = OpenSearchCluster.start(1, "single");
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "opensearch-test-node-stop"));
            return started;
        }, OpenSearchCluster.class);
    }

    /** The node's endpoint; valid inside a test class extended with this. */
    static String endpoints() {
        OpenSearchCluster c = cluster;
        if (c == null) {
            throw new IllegalStateException("No shared OpenSearch node: extend the test class with SharedOpenSearchNode");
        }
        return c.endpoints();
    }

    static OpenSearchCluster cluster() {
        endpoints();
        return cluster;
    }
}
