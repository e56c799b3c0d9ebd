package dev.attentive.index.opensearch;

import dev.attentive.api.IndexedItem;
import dev.attentive.api.ItemFilter;
import dev.attentive.api.ItemId;
import dev.attentive.api.Retriever;
import dev.attentive.api.ScoredItem;
import dev.attentive.api.spi.RetrieverSpec;
import dev.attentive.index.opensearch.ClusterConnection.Reply;
import dev.attentive.index.opensearch.OpenSearchRetrieverProvider.Config;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The {@code opensearch} retriever (see {@link OpenSearchRetrieverProvider} for the contract): a facade
 * over {@link ClusterConnection} (HTTP), {@link AliasedIndex} (the alias and its concrete index),
 * {@link ItemDocuments} (documents) and {@link FilterTranslation} (filters). Single-item writes hold a
 * shared lock and a bulk {@link #index} the exclusive one, so that no write of this retriever lands in
 * the index that {@code index} is about to replace.
 */
final class OpenSearchRetriever implements Retriever {
    private static final Map<String, String> WAIT_FOR = Map.of("refresh", "wait_for");
    private static final Map<String, String> SEARCH_PARAMS = Map.of("allow_partial_search_results", "false",
            "filter_path", "hits.hits._id,hits.hits._score,_shards.failed,_shards.failures,timed_out");

    private final Config config;
    private final RetrieverSpec spec;
    private final ClusterConnection cluster;
    private final AliasedIndex index;
    private final ReadWriteLock writes = new ReentrantReadWriteLock();
    private volatile boolean closed;

    private OpenSearchRetriever(Config config, RetrieverSpec spec, ClusterConnection cluster, AliasedIndex index) {
        this.config = config;
        this.spec = spec;
        this.cluster = cluster;
        this.index = index;
    }

    static OpenSearchRetriever open(Config config, RetrieverSpec spec) {
        ClusterConnection cluster = new ClusterConnection(config);
        try {
            return new OpenSearchRetriever(config, spec, cluster, AliasedIndex.open(cluster, config, spec));
        } catch (RuntimeException e) {
            try {
                cluster.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    @Override
    public int dimension() {
        return spec.dimension();
    }

    @Override
    public int size() {
        ensureOpen();
        JsonObject body = cluster.expectOk("GET", path("/_count"), Map.of(), null, "count the items");
        return body.getJsonNumber("count").intValueExact();
    }

    @Override
    public List<ScoredItem> search(float[] query, int k, ItemFilter filter, Set<ItemId> exclusions) {
        ensureOpen();
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(exclusions, "exclusions");
        if (query.length != spec.dimension()) {
            throw new IllegalArgumentException("Query vector has dimension " + query.length
                    + "; this opensearch retriever holds dimension " + spec.dimension());
        }
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        for (float v : query) {
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException("Query vector has a non-finite component " + v);
            }
        }
        StringBuilder body = new StringBuilder(256 + query.length * 12);
        body.append("{\"size\":").append(k).append(",\"_source\":false,\"query\":{\"knn\":{\"")
                .append(ItemDocuments.VECTOR).append("\":{\"vector\":");
        JsonText.vector(body, query).append(",\"k\":").append(k)
                .append(",\"method_parameters\":{\"ef_search\":").append(Math.max(k, config.efSearch())).append('}');
        String clause = FilterTranslation.filter(filter, exclusions);
        if (clause != null) {
            body.append(",\"filter\":").append(clause);
        }
        body.append("}}}}");
        Reply reply = cluster.send("POST", path("/_search"), SEARCH_PARAMS, body.toString());
        if (!reply.ok()) {
            throw new IllegalStateException("OpenSearch at " + cluster.endpoints() + " failed a search of '"
                    + index.alias() + "': HTTP " + reply.status() + " " + reply.reason());
        }
        JsonObject shards = reply.body().getJsonObject("_shards");
        if (reply.body().getBoolean("timed_out", false) || (shards != null && shards.getInt("failed", 0) > 0)) {
            throw new IllegalStateException("OpenSearch answered a search of '" + index.alias()
                    + "' without every shard (a partial result is never returned): " + reply.body());
        }
        JsonObject hits = reply.body().getJsonObject("hits");
        JsonArray array = hits == null ? null : hits.getJsonArray("hits");
        if (array == null) {
            return List.of();
        }
        List<ScoredItem> out = new ArrayList<>(array.size());
        for (JsonValue v : array) {
            JsonObject hit = v.asJsonObject();
            double score = ((JsonNumber) hit.get("_score")).doubleValue();
            out.add(new ScoredItem(ItemId.of(hit.getString("_id")), IndexLayout.similarity(spec.similarity(), score)));
        }
        return out;
    }

    @Override
    public void index(Collection<IndexedItem> items) {
        ensureOpen();
        ItemDocuments.checkAll(items, spec.dimension());
        writes.writeLock().lock();
        try {
            index.replace(items);
        } finally {
            writes.writeLock().unlock();
        }
    }

    @Override
    public void add(IndexedItem item) {
        // A create may be sent twice: the transport resends a request on another node when the first
        // one's connection fails, and the first may have landed before the node went away. The resend
        // then answers 409. Each add therefore writes a fresh token into the document; on a 409 the
        // stored token says whether the item is this call's own or was there before.
        add(item, UUID.randomUUID().toString());
    }

    /** {@link #add(IndexedItem)} with its token given: a call with the token of one that landed succeeds. */
    void add(IndexedItem item, String token) {
        write(item, "POST", "_create", "add", Objects.requireNonNull(token, "token"));
    }

    @Override
    public void update(IndexedItem item) {
        write(item, "PUT", "_doc", "update", null);
    }

    private void write(IndexedItem item, String method, String endpoint, String what, String token) {
        ensureOpen();
        ItemDocuments.check(item, spec.dimension());
        writes.readLock().lock();
        try {
            String segment = ItemDocuments.pathSegment(item.id());
            Reply reply = cluster.send(method, path("/" + endpoint + "/" + segment), WAIT_FOR,
                    ItemDocuments.source(item, token));
            if (reply.status() == 409 && token != null && token.equals(storedToken(item.id(), segment))) {
                return;
            }
            if (reply.status() == 409) {
                throw new IllegalArgumentException("Item '" + item.id() + "' is already indexed in '" + index.alias()
                        + "'; use update to replace it");
            }
            if (!reply.ok()) {
                throw new IllegalStateException("OpenSearch at " + cluster.endpoints() + " refused to " + what
                        + " item '" + item.id() + "' in '" + index.alias() + "': HTTP " + reply.status() + " "
                        + reply.reason());
            }
        } finally {
            writes.readLock().unlock();
        }
    }

    /**
     * The add token stored with an item (a real-time get), or null when it has none or is absent.
     *
     * @throws IllegalStateException when the cluster does not answer the get: the add may or may not
     *     have landed, and saying "already indexed" could be wrong
     */
    private String storedToken(ItemId id, String segment) {
        Reply reply = cluster.send("GET", path("/_doc/" + segment), Map.of("_source_includes",
                ItemDocuments.WRITE + ".token"), null);
        if (reply.status() == 404) {
            return null;
        }
        if (!reply.ok()) {
            throw new IllegalStateException("OpenSearch at " + cluster.endpoints() + " answered 409 to adding item '"
                    + id + "' in '" + index.alias() + "' and then HTTP " + reply.status() + " " + reply.reason()
                    + " to reading the item back, so it is unknown whether this add landed; read the item, or "
                    + "write it with update");
        }
        JsonObject source = reply.body().getJsonObject("_source");
        JsonObject write = source == null ? null : source.getJsonObject(ItemDocuments.WRITE);
        return write == null ? null : write.getString("token", null);
    }

    @Override
    public boolean remove(ItemId id) {
        ensureOpen();
        writes.readLock().lock();
        try {
            Reply reply = cluster.send("DELETE", path("/_doc/" + ItemDocuments.pathSegment(id)), WAIT_FOR, null);
            if (reply.ok()) {
                return true;
            }
            if (reply.status() == 404 && "not_found".equals(reply.body().getString("result", ""))) {
                return false;
            }
            throw new IllegalStateException("OpenSearch at " + cluster.endpoints() + " refused to remove item '" + id
                    + "' from '" + index.alias() + "': HTTP " + reply.status() + " " + reply.reason());
        } finally {
            writes.readLock().unlock();
        }
    }

    /**
     * Flushes the index: a Lucene commit on every shard copy. Acknowledged writes are already durable
     * (OpenSearch fsyncs its translog before acknowledging), so this only shortens recovery.
     */
    @Override
    public void commit() {
        ensureOpen();
        cluster.expectOk("POST", path("/_flush"), Map.of(), null, "flush '" + index.alias() + "'");
    }

    /** Closes the HTTP client; the index stays on the cluster. Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            cluster.close();
        }
    }

    /** The concrete index behind the alias now (for tests and diagnostics). */
    String concreteIndex() {
        return index.concreteIndex();
    }

    private String path(String suffix) {
        return "/" + index.alias() + suffix;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("This opensearch retriever (index '" + index.alias() + "') is closed");
        }
    }
}
