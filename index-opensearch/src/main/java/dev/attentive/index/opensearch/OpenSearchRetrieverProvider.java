package dev.attentive.index.opensearch;

import dev.attentive.api.Retriever;
import dev.attentive.api.spi.ConfigException;
import dev.attentive.api.spi.RetrieverProvider;
import dev.attentive.api.spi.RetrieverSpec;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code opensearch} retriever: item vectors in an OpenSearch {@code knn_vector} field (method
 * HNSW, engine {@code lucene}), item attributes as keyword and double fields, and
 * {@link dev.attentive.api.ItemFilter}s and exclusions translated into the {@code filter} of the kNN
 * query, so that the engine filters during the graph search (never after it). The cluster runs as
 * separate processes; this library only talks to it over HTTP(S) and never starts an engine in the
 * host's JVM.
 *
 * <p>Layout: {@link Config#index()} is an <em>alias</em> over one concrete index
 * ({@code <index>-<millis>}). {@link Retriever#index} builds a new concrete index, then moves the
 * alias to it in one atomic alias action and deletes the old one, so that searches see the old
 * catalogue or the new one, never half of either. The concrete index's mapping {@code _meta} records
 * the model fingerprint, dimension and similarity; opening a retriever on an index built for another
 * one fails and says how to fix it.
 *
 * <p>Visibility and durability: {@code add}, {@code update} and {@code remove} return once the change
 * is acknowledged by every in-sync copy of its shard and a refresh has made it searchable
 * ({@code refresh=wait_for}, at most about {@link Config#refreshIntervalMs()} later), so a search that
 * starts after the call returns sees it. OpenSearch fsyncs its translog before acknowledging a write,
 * so an acknowledged write is already durable; {@link Retriever#commit()} flushes the index (a Lucene
 * commit on every shard), which only shortens recovery after a restart.
 *
 * <p>Credentials: {@link Config#username()} with the password read from the environment variable named
 * by {@link Config#passwordEnv()}; the password itself is never a setting, so it never appears in
 * configs, logs or saved provenance. {@code https} endpoints use the JVM's default trust store
 * ({@code javax.net.ssl.trustStore}).
 *
 * <p>Thread safe: searches run concurrently with each other and with writes; a bulk {@code index}
 * call excludes this retriever's other writes while it runs.
 */
public final class OpenSearchRetrieverProvider implements RetrieverProvider<OpenSearchRetrieverProvider.Config> {
    /** The provider name. */
    public static final String NAME = "opensearch";

    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public OpenSearchRetrieverProvider() {
    }

    /**
     * Settings of the {@code opensearch} retriever. Every setting is validated together.
     *
     * @param endpoints the cluster's HTTP endpoints, comma-separated {@code http://host:port} or
     *     {@code https://host:port} URLs; requests go round-robin to the live ones and move on when one
     *     is down; default {@code http://127.0.0.1:9200}
     * @param index the alias the retriever searches and writes through (OpenSearch index-name rules:
     *     lowercase, no {@code \ / * ? " < > | , #} or spaces, not starting with {@code - _ +});
     *     concrete indices are named {@code <index>-<millis>}; default {@code attentive-items}
     * @param username the user for HTTP basic authentication; {@code ""} (the default) sends none
     * @param passwordEnv the name of the environment variable that holds the password of
     *     {@code username}; required with a username; default {@code ""}
     * @param shards primary shards of a new concrete index, 1..1024; default 1
     * @param replicas replicas of each shard of a new concrete index, 0..16; default 1 (a copy on a
     *     second node survives the loss of one node; a one-node cluster stays yellow)
     * @param m HNSW neighbours per node, 2..512; default 32 (as {@code lucene-hnsw}'s maxConn)
     * @param efConstruction candidates considered when inserting a node, 2..3200; default 100
     * @param efSearch candidates each shard's graph search keeps, raised to k when k is larger;
     *     1..10000; default 100
     * @param connectTimeoutMs how long to wait for a TCP connection to an endpoint, 1..600000; default 5000
     * @param requestTimeoutMs how long to wait for a response, 1..3600000; default 60000
     * @param refreshIntervalMs how often the index is refreshed, which bounds how long a write waits
     *     for its visibility, 1..3600000; default 1000
     * @param bulkBatchSize items per bulk request when {@link Retriever#index} loads a catalogue,
     *     1..100000; default 1000
     */
    public record Config(String endpoints, String index, String username, String passwordEnv, int shards,
            int replicas, int m, int efConstruction, int efSearch, int connectTimeoutMs, int requestTimeoutMs,
            int refreshIntervalMs, int bulkBatchSize) {

        /** The defaults. */
        public static final Config DEFAULT = new Config("http://127.0.0.1:9200", "attentive-items", "", "", 1, 1,
                32, 100, 100, 5_000, 60_000, 1_000, 1_000);

        /** Validates every setting, reporting all problems at once. */
        public Config {
            var p = new ConfigException.Problems(NAME);
            if (endpoints == null) {
                p.add("endpoints must be comma-separated http(s)://host:port URLs, got null");
            } else {
                endpointProblems(endpoints).forEach(p::add);
            }
            if (index == null) {
                p.add("index must be an OpenSearch index name, got null");
            } else {
                indexNameProblem(index).ifPresent(p::add);
            }
            p.check(username != null, "username must be a user name or \"\" for none");
            p.check(passwordEnv != null, "passwordEnv must name an environment variable or be \"\"");
            if (username != null && passwordEnv != null) {
                p.check(username.isEmpty() || !passwordEnv.isBlank(), "username '" + username + "' needs passwordEnv, "
                        + "the name of the environment variable that holds its password (a password is never a setting)");
                p.check(passwordEnv.isEmpty() || passwordEnv.matches("[A-Za-z_][A-Za-z0-9_]*"),
                        "passwordEnv must be an environment variable name ([A-Za-z_][A-Za-z0-9_]*), got '"
                                + passwordEnv + "'");
            }
            p.check(shards >= 1 && shards <= 1024, "shards must be in 1..1024, got " + shards);
            p.check(replicas >= 0 && replicas <= 16, "replicas must be in 0..16, got " + replicas);
            p.check(m >= 2 && m <= 512, "m must be in 2..512, got " + m);
            p.check(efConstruction >= 2 && efConstruction <= 3200,
                    "efConstruction must be in 2..3200, got " + efConstruction);
            p.check(efSearch >= 1 && efSearch <= 10_000, "efSearch must be in 1..10000, got " + efSearch);
            p.check(connectTimeoutMs >= 1 && connectTimeoutMs <= 600_000,
                    "connectTimeoutMs must be in 1..600000, got " + connectTimeoutMs);
            p.check(requestTimeoutMs >= 1 && requestTimeoutMs <= 3_600_000,
                    "requestTimeoutMs must be in 1..3600000, got " + requestTimeoutMs);
            p.check(refreshIntervalMs >= 1 && refreshIntervalMs <= 3_600_000,
                    "refreshIntervalMs must be in 1..3600000, got " + refreshIntervalMs);
            p.check(bulkBatchSize >= 1 && bulkBatchSize <= 100_000,
                    "bulkBatchSize must be in 1..100000, got " + bulkBatchSize);
            p.throwIfAny();
        }

        /**
         * The endpoints as URIs, in the order written.
         *
         * @return the endpoints
         */
        public List<URI> endpointList() {
            List<URI> out = new ArrayList<>();
            for (String part : endpoints.split(",")) {
                out.add(URI.create(part.trim()));
            }
            return List.copyOf(out);
        }

        /**
         * This config with other endpoints and index.
         *
         * @param newEndpoints comma-separated URLs
         * @param newIndex the alias name
         * @return the new config
         */
        public Config withEndpointsAndIndex(String newEndpoints, String newIndex) {
            return new Config(newEndpoints, newIndex, username, passwordEnv, shards, replicas, m, efConstruction,
                    efSearch, connectTimeoutMs, requestTimeoutMs, refreshIntervalMs, bulkBatchSize);
        }

        private static List<String> endpointProblems(String endpoints) {
            List<String> problems = new ArrayList<>();
            if (endpoints.isBlank()) {
                problems.add("endpoints must list at least one http(s)://host:port URL, got \"\"");
                return problems;
            }
            for (String part : endpoints.split(",")) {
                String url = part.trim();
                try {
                    URI uri = new URI(url);
                    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                    boolean pathless = uri.getRawPath() == null || uri.getRawPath().isEmpty() || "/".equals(uri.getRawPath());
                    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || !pathless
                            || uri.getRawQuery() != null || uri.getUserInfo() != null) {
                        problems.add("endpoints: '" + url + "' is not an http(s)://host:port URL (no path, query or "
                                + "credentials; set username and passwordEnv for authentication)");
                    }
                } catch (URISyntaxException e) {
                    problems.add("endpoints: '" + url + "' is not a URL (" + e.getReason() + "); expected "
                            + "http(s)://host:port");
                }
            }
            return problems;
        }

        private static java.util.Optional<String> indexNameProblem(String index) {
            boolean ok = !index.isEmpty() && index.length() <= 200 && index.equals(index.toLowerCase(Locale.ROOT))
                    && index.chars().noneMatch(c -> "\\/*?\"<>|, #:".indexOf(c) >= 0)
                    && "-_+".indexOf(index.charAt(0)) < 0 && !index.equals(".") && !index.equals("..");
            return ok ? java.util.Optional.empty() : java.util.Optional.of("index must be an OpenSearch index name "
                    + "(1..200 characters, lowercase, none of \\ / * ? \" < > | , # : or spaces, not starting with "
                    + "- _ +), got '" + index + "'");
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Config defaultConfig() {
        return Config.DEFAULT;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Connects to the cluster, checks it, and creates the alias with an empty concrete index when
     * the alias does not exist yet.
     *
     * @throws java.io.UncheckedIOException when no endpoint answers (the message names the endpoints
     *     and the {@code endpoints} setting)
     * @throws IllegalArgumentException when the alias's index was built for another model
     *     fingerprint, dimension or similarity, or {@code index} names an index that this retriever
     *     did not create
     * @throws IllegalStateException when {@code passwordEnv} names an unset variable, or the cluster
     *     refuses a request (authentication, missing k-NN plugin)
     */
    @Override
    public Retriever create(Config config, RetrieverSpec spec) {
        return OpenSearchRetriever.open(config, spec);
    }
}
