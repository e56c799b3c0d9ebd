package dev.attentive.index.opensearch;

import java.util.concurrent.CountDownLatch;

/**
 * Starts one local OpenSearch node from the artifacts the build fetched, for trying the retriever or
 * running {@code attentive bench-index --retriever opensearch} against it; prints the endpoint and
 * runs until interrupted (Ctrl-C), then stops the node and deletes its temp folder. From the
 * repository root, after {@code mvn -pl index-opensearch -am -DskipTests -Djapicmp.skip=true verify}
 * (which fetches the distribution into {@code index-opensearch/target/opensearch-dist}):
 * <pre>
 * JAVA_HOME=/path/to/jdk-21+ mvn -q -o -pl index-opensearch exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.attentive.index.opensearch.LocalOpenSearchNode
 * </pre>
 * The node uses the same fixture as the tests (512 MB heap, loopback, free ports, as {@code nobody}
 * when run as root).
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
        OpenSearchCluster cluster = OpenSearchCluster.start(1, "local");
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
