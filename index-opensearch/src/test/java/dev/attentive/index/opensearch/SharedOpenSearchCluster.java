package dev.attentive.index.opensearch;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One three-node OpenSearch cluster for every test class that extends with this (the nodes start once,
 * in parallel, per test run): started by the first such class, kept in the root extension store and
 * closed — the nodes stopped and the temp folder deleted — when the test run ends, whatever the tests
 * did. A JVM shutdown hook does the same if the run is cut short.
 *
 * <p>Node 0 is the only cluster-manager-eligible node; nodes 1 and 2 hold data only. Three nodes let
 * {@link OpenSearchFailoverTest} kill a data node and see its lost copies placed on the third node (the
 * cluster green again) without starting a JVM again; it runs last (see
 * {@code junit-platform.properties}), since the cluster has one node fewer after it.
 */
final class SharedOpenSearchCluster implements BeforeAllCallback {
    /** Nodes in the shared cluster. */
    static final int NODES = 3;
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(SharedOpenSearchCluster.class);
    private static volatile OpenSearchCluster cluster;

    /** For JUnit. */
    SharedOpenSearchCluster() {
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        cluster = context.getRoot().getStore(NAMESPACE).computeIfAbsent("cluster", key -> {
            OpenSearchCluster started = OpenSearchCluster.start(NODES, "shared", true);
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "opensearch-test-cluster-stop"));
            return started;
        }, OpenSearchCluster.class);
    }

    /** Every node's endpoint, comma-separated; valid inside a test class extended with this. */
    static String endpoints() {
        return cluster().endpoints();
    }

    /** Node 0's endpoint (the cluster manager, never killed), for the tests' own requests. */
    static String firstEndpoint() {
        return cluster().nodes().get(0).endpoint();
    }

    static OpenSearchCluster cluster() {
        OpenSearchCluster c = cluster;
        if (c == null) {
            throw new IllegalStateException("No shared OpenSearch cluster: extend the test class with "
                    + "SharedOpenSearchCluster");
        }
        return c;
    }
}
