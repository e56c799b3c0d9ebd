package dev.attentive.index.opensearch;

import java.util.concurrent.CountDownLatch;

/**
 * Starts one local OpenSearch node from the artifacts the build fetched, for trying the retriever or
 * running {@code attentive bench-index --retriever opensearch} against it; prints the endpoint and
 * runs until interrupted (Ctrl-C or SIGTERM), then stops the node and deletes its temp folder. It
 * needs only the JDK: from the repository root, after
 * {@code mvn -q -B -o -DskipTests -Djapicmp.skip=true package} (which compiles the test classes and
 * fetches the distribution into {@code index-opensearch/target/opensearch-dist}):
 * <pre>
 * /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -cp index-opensearch/target/test-classes \
 *     dev.attentive.index.opensearch.LocalOpenSearchNode
 * </pre>
 * The node runs on that JDK (21 or newer); {@code -Dattentive.opensearch.dist=DIR} reads the
 * distribution from elsewhere.
 * The node uses the same fixture as the tests (512 MB heap, loopback, a free port, as {@code nobody}
 * when run as root), but with the JVM's full JIT (the tests' nodes run C1 only).
 */
public final class LocalOpenSearchNode {
    private LocalOpenSearchNode() {
    }

    /**
     * Starts the node and waits.
     *
     * @param args none
     * @throws InterruptedException when interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        if (System.getProperty("attentive.opensearch.dist") == null) {
            System.setProperty("attentive.opensearch.dist", "index-opensearch/target/opensearch-dist");
        }
        OpenSearchCluster cluster = OpenSearchCluster.start(1, "local", false);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            cluster.close();
            stopped.countDown();
        }, "local-opensearch-stop"));
        System.out.println("OpenSearch is up: endpoints=" + cluster.endpoints() + " (Ctrl-C stops it and deletes "
                + "its folder)");
        stopped.await();
    }
}
