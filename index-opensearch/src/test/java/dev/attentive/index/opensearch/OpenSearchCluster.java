package dev.attentive.index.opensearch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.HttpURLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Real OpenSearch nodes for the tests, as separate processes on loopback: unpacks the distribution and
 * the k-NN plugin that the build fetched as Maven artifacts into a fresh folder under {@code /tmp},
 * installs the plugin, and starts each node with a 512 MB heap on free ports, with the JDK that runs the
 * tests. OpenSearch refuses to run as root, so as root the folders are given to {@code nobody} (65534)
 * and each node is started through {@code setpriv}; as another user it starts directly. The nodes of a
 * cluster start in parallel (one installation, one k-NN plugin install). The process
 * held for a node is the node's own JVM ({@code setpriv} and {@code bin/opensearch} both exec), so
 * {@link #kill} is a real SIGKILL of the node. {@link #close} stops every node and deletes the folder.
 */
final class OpenSearchCluster implements AutoCloseable {
    private static final int NOBODY = 65534;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(240);

    private final Path root;
    private final Path home;
    private final String clusterName;
    private final List<Node> nodes = new ArrayList<>();

    /** One node: its folder, ports and process. */
    static final class Node {
        final int index;
        final Path dir;
        final int httpPort;
        final int transportPort;
        Process process;
        /** Killed on purpose ({@link #kill}): its exit is not a failure. */
        volatile boolean killed;

        Node(int index, Path dir, int httpPort, int transportPort) {
            this.index = index;
            this.dir = dir;
            this.httpPort = httpPort;
            this.transportPort = transportPort;
        }

        String endpoint() {
            return "http://127.0.0.1:" + httpPort;
        }

        Path output() {
            return dir.resolveSibling(dir.getFileName() + ".out");
        }
    }

    private OpenSearchCluster(Path root, Path home, String clusterName) {
        this.root = root;
        this.home = home;
        this.clusterName = clusterName;
    }

    /**
     * Unpacks, installs and starts {@code size} nodes and waits until the cluster has them all.
     *
     * @param size 1 (a single-node cluster) or more (node 0 is the only cluster-manager-eligible node,
     *     the others hold data only, so killing one of them never costs the cluster its manager)
     * @param name a short name for the cluster and its temp folder
     * @param forTests whether the nodes' JVMs run the C1 compiler only ({@code -XX:TieredStopAtLevel=1}):
     *     a node was up in 132 s instead of 208 s that way on a 2-core machine at a load of about 18 (one
     *     start each), and the tests' small indices need start-up more than peak speed; a node for a
     *     benchmark passes false
     * @return the running cluster; close it
     */
    static OpenSearchCluster start(int size, String name, boolean forTests) {
        Path dist = Path.of(System.getProperty("attentive.opensearch.dist", "target/opensearch-dist"));
        Path serverZip = dist.resolve("opensearch.zip");
        Path knnZip = dist.resolve("opensearch-knn.zip");
        if (!Files.isRegularFile(serverZip) || !Files.isRegularFile(knnZip)) {
            throw new IllegalStateException("No OpenSearch distribution in " + dist.toAbsolutePath() + ": the build "
                    + "fetches opensearch.zip and opensearch-knn.zip there (maven-dependency-plugin, phase "
                    + "generate-test-resources); run the tests through Maven (mvn verify)");
        }
        if (Runtime.version().feature() < 21) {
            throw new IllegalStateException("OpenSearch 3.5 needs a JDK 21 or newer and the nodes run on the tests' "
                    + "JDK (java.home=" + System.getProperty("java.home") + ", version " + Runtime.version() + ")");
        }
        Path root;
        try {
            root = Files.createTempDirectory(Path.of("/tmp"), "attentive-opensearch-" + name + "-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temp folder under /tmp for OpenSearch", e);
        }
        OpenSearchCluster cluster = null;
        try {
            Path home = unzip(serverZip, root);
            cluster = new OpenSearchCluster(root, home, "attentive-" + name + "-" + ProcessHandle.current().pid());
            cluster.installPlugin(knnZip);
            List<Integer> ports = freePorts(2 * size);
            for (int i = 0; i < size; i++) {
                cluster.nodes.add(cluster.configureNode(i, size, ports.get(2 * i), ports.get(2 * i + 1), ports,
                        forTests));
            }
            if (isRoot()) {
                run(List.of("chown", "-R", NOBODY + ":" + NOBODY, root.toString()), root.resolve("chown.out"));
            }
            for (Node node : cluster.nodes) {
                cluster.launch(node);
            }
            cluster.awaitHealth(null, size, "yellow");
            cluster.nodes.forEach(OpenSearchCluster::checkHoldsJvm);
            return cluster;
        } catch (RuntimeException | IOException e) {
            if (cluster != null) {
                cluster.close();
            } else {
                deleteTree(root);
            }
            if (e instanceof IOException io) {
                throw new UncheckedIOException("Cannot set up OpenSearch under " + root, io);
            }
            throw (RuntimeException) e;
        }
    }

    /** The nodes' HTTP endpoints, comma-separated, as the {@code endpoints} setting takes them. */
    String endpoints() {
        return nodes.stream().map(Node::endpoint).collect(Collectors.joining(","));
    }

    List<Node> nodes() {
        return List.copyOf(nodes);
    }

    /** Kills a node's JVM with SIGKILL and waits until it is gone; the node stays down. */
    void kill(int index) {
        Node node = nodes.get(index);
        node.killed = true;
        node.process.destroyForcibly();
        try {
            if (!node.process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("node-" + index + " (pid " + node.process.pid() + ") survived SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits until the cluster, or one index of it, reports this status (or better) with this many nodes.
     *
     * @param index an index, alias or pattern, or null for the whole cluster
     * @param nodeCount the nodes the cluster must have
     * @param status {@code yellow} or {@code green}
     */
    void awaitHealth(String index, int nodeCount, String status) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        String last = "no answer yet";
        while (System.nanoTime() < deadline) {
            for (Node node : nodes) {
                if (node.process != null && !node.process.isAlive() && !node.killed) {
                    throw new IllegalStateException("OpenSearch node-" + node.index + " exited with code "
                            + node.process.exitValue() + " while waiting for the cluster to be " + status + "\n"
                            + logTail());
                }
            }
            for (Node node : nodes) {
                if (node.process == null || !node.process.isAlive()) {
                    continue;
                }
                try {
                    String[] r = get(node.endpoint() + "/_cluster/health" + (index == null ? "" : "/" + index)
                            + "?wait_for_nodes=" + nodeCount
                            + "&wait_for_status=" + status + "&timeout=2s");
                    last = r[0] + " " + r[1];
                    if (r[0].equals("200") && r[1].contains("\"timed_out\":false")) {
                        return;
                    }
                } catch (IOException e) {
                    last = e.toString();
                }
            }
            sleep(500);
        }
        throw new IllegalStateException("OpenSearch cluster " + clusterName + (index == null ? "" : " (index "
                + index + ")") + " was not " + status + " with "
                + nodeCount + " node(s) within " + START_TIMEOUT.toSeconds() + " s (last health answer: " + last + ")\n"
                + logTail());
    }

    /** The end of every node's log and console output, for failure messages. */
    String logTail() {
        StringBuilder out = new StringBuilder();
        for (Node node : nodes) {
            out.append(tail(node.output(), 40, "node-" + node.index + " console"));
            out.append(tail(node.dir.resolve("logs").resolve(clusterName + ".log"), 60, "node-" + node.index + " log"));
        }
        return out.toString();
    }

    private static String tail(Path file, int lines, String label) {
        try {
            if (!Files.isRegularFile(file)) {
                return "--- " + label + ": " + file + " does not exist\n";
            }
            List<String> all = Files.readAllLines(file);
            return "--- " + label + " (" + file + ", last " + lines + " lines)\n"
                    + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size())) + "\n";
        } catch (IOException | UncheckedIOException e) {
            return "--- " + label + ": cannot read " + file + ": " + e + "\n";
        }
    }

    private void installPlugin(Path knnZip) throws IOException {
        List<String> command = List.of(home.resolve("bin/opensearch-plugin").toString(), "install", "--batch",
                knnZip.toAbsolutePath().toUri().toString());
        ProcessBuilder pb = new ProcessBuilder(command).directory(home.toFile());
        pb.environment().put("OPENSEARCH_JAVA_HOME", System.getProperty("java.home"));
        Path out = root.resolve("plugin-install.out");
        pb.redirectErrorStream(true).redirectOutput(out.toFile());
        Process p = pb.start();
        try {
            if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("Installing the k-NN plugin failed: " + String.join(" ", command) + "\n"
                        + tail(out, 40, "opensearch-plugin"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Node configureNode(int index, int size, int httpPort, int transportPort, List<Integer> ports,
            boolean forTests) throws IOException {
        Path dir = root.resolve("node-" + index);
        Path config = dir.resolve("config");
        Files.createDirectories(config);
        try (Stream<Path> files = Files.walk(home.resolve("config"))) {
            for (Path from : (Iterable<Path>) files::iterator) {
                Path to = config.resolve(home.resolve("config").relativize(from).toString());
                if (Files.isDirectory(from)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        for (String sub : List.of("data", "logs", "tmp")) {
            Files.createDirectories(dir.resolve(sub));
        }
        StringBuilder yml = new StringBuilder()
                .append("cluster.name: ").append(clusterName).append('\n')
                .append("node.name: node-").append(index).append('\n')
                .append("path.data: ").append(dir.resolve("data")).append('\n')
                .append("path.logs: ").append(dir.resolve("logs")).append('\n')
                .append("network.host: 127.0.0.1\n")
                .append("http.port: ").append(httpPort).append('\n')
                .append("transport.port: ").append(transportPort).append('\n')
                // A shared CI disk may be nearly full; the tests' data is tiny.
                .append("cluster.routing.allocation.disk.threshold_enabled: false\n");
        if (size == 1) {
            yml.append("discovery.type: single-node\n");
        } else {
            yml.append("discovery.seed_hosts: [")
                    .append(java.util.stream.IntStream.range(0, size).mapToObj(i -> "\"127.0.0.1:" + ports.get(2 * i + 1) + "\"")
                            .collect(Collectors.joining(",")))
                    .append("]\ncluster.initial_cluster_manager_nodes: [\"node-0\"]\n")
                    .append("node.roles: [").append(index == 0 ? "cluster_manager, data, ingest" : "data, ingest").append("]\n")
                    // Primaries spread over the nodes, so a data-only node holds one to kill.
                    .append("cluster.routing.allocation.balance.prefer_primary: true\n");
        }
        Files.writeString(config.resolve("opensearch.yml"), yml.toString());
        // The nodes share one installation: no GC log in its logs/ folder, no heap dumps.
        Files.writeString(config.resolve("jvm.options.d").resolve("attentive-test.options"),
                "-Xlog:disable\n-Xlog:all=warning:stderr\n-XX:-HeapDumpOnOutOfMemoryError\n"
                        + (forTests ? "-XX:TieredStopAtLevel=1\n" : ""));
        return new Node(index, dir, httpPort, transportPort);
    }

    private void launch(Node node) {
        List<String> command = new ArrayList<>();
        if (isRoot()) {
            command.addAll(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups"));
        }
        command.add(home.resolve("bin/opensearch").toString());
        ProcessBuilder pb = new ProcessBuilder(command).directory(home.toFile());
        pb.environment().put("OPENSEARCH_JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("OPENSEARCH_PATH_CONF", node.dir.resolve("config").toString());
        pb.environment().put("OPENSEARCH_TMPDIR", node.dir.resolve("tmp").toString());
        pb.environment().put("OPENSEARCH_JAVA_OPTS", "-Xms512m -Xmx512m");
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(node.output().toFile()));
        try {
            node.process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start OpenSearch node-" + node.index + ": " + command, e);
        }
    }

    @Override
    public void close() {
        for (Node node : nodes) {
            if (node.process != null && node.process.isAlive()) {
                node.process.destroy();
            }
        }
        for (Node node : nodes) {
            if (node.process != null) {
                try {
                    if (!node.process.waitFor(30, TimeUnit.SECONDS)) {
                        node.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                    }
                } catch (InterruptedException e) {
                    node.process.destroyForcibly();
                    Thread.currentThread().interrupt();
                }
            }
        }
        deleteTree(root);
    }

    static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static Path unzip(Path zip, Path into) throws IOException {
        Path top = null;
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                Path target = into.resolve(e.getName()).normalize();
                if (!target.startsWith(into)) {
                    throw new IOException("Zip entry outside the target folder: " + e.getName());
                }
                if (top == null) {
                    top = into.resolve(into.relativize(target).getName(0));
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    boolean executable = target.getParent().getFileName().toString().equals("bin")
                            || e.getName().endsWith(".sh");
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(executable ? "rwxr-xr-x"
                            : "rw-r--r--"));
                }
            }
        }
        if (top == null || !Files.isExecutable(top.resolve("bin/opensearch"))) {
            throw new IOException(zip + " does not hold an OpenSearch distribution (no bin/opensearch)");
        }
        return top;
    }

    private static List<Integer> freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } finally {
            for (ServerSocket s : sockets) {
                s.close();
            }
        }
    }

    private static void run(List<String> command, Path output) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed\n" + tail(output, 20, "output"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // Best effort: a file still held by a dying node; reported below if the root stays.
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.err.println("Could not delete " + root + ": " + e);
        }
        if (Files.exists(root)) {
            System.err.println("Could not delete every file under " + root);
        }
    }

    /**
     * A plain HTTP GET (the tests' own look at the cluster, beside the retriever's client).
     *
     * @return the status code and the body
     */
    static String[] get(String url) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        c.setConnectTimeout(2_000);
        c.setReadTimeout(30_000);
        try {
            int status = c.getResponseCode();
            var in = status < 400 ? c.getInputStream() : c.getErrorStream();
            String body = in == null ? "" : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            return new String[] {String.valueOf(status), body};
        } finally {
            c.disconnect();
        }
    }

    /** The process held for a node must be its JVM, or a SIGKILL would leave the node running. */
    static void checkHoldsJvm(Node node) {
        String command = node.process.info().command().orElse("?");
        if (!command.endsWith("/java")) {
            throw new IllegalStateException("The process held for node-" + node.index + " (pid " + node.process.pid()
                    + ") runs " + command + ", not the node's JVM; setpriv and bin/opensearch are expected to exec it");
        }
    }
}
