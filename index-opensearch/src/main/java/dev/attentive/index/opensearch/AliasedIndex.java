package dev.attentive.index.opensearch;

import dev.attentive.api.IndexedItem;
import dev.attentive.api.spi.RetrieverSpec;
import dev.attentive.index.opensearch.ClusterConnection.Reply;
import dev.attentive.index.opensearch.OpenSearchRetrieverProvider.Config;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;

/**
 * The catalogue as an alias over one concrete index. Opening finds the alias (checking its index's
 * {@code _meta}) or creates both; {@link #replace} loads a new concrete index completely, then swaps the
 * alias in one atomic {@code _aliases} call (remove from the old index and add to the new one), so a
 * search resolves the alias to the old catalogue or the new one and never sees a partial load. Not
 * thread safe: the retriever serialises replacements with its other writes.
 */
final class AliasedIndex {
    private final ClusterConnection cluster;
    private final Config config;
    private final RetrieverSpec spec;

    private AliasedIndex(ClusterConnection cluster, Config config, RetrieverSpec spec) {
        this.cluster = cluster;
        this.config = config;
        this.spec = spec;
    }

    /** The alias every search and write goes through. */
    String alias() {
        return config.index();
    }

    static AliasedIndex open(ClusterConnection cluster, Config config, RetrieverSpec spec) {
        AliasedIndex index = new AliasedIndex(cluster, config, spec);
        index.checkKnnPlugin();
        String concrete = index.concreteIndex();
        if (concrete == null) {
            Reply existing = cluster.get("/" + config.index());
            if (existing.ok()) {
                throw new IllegalArgumentException("OpenSearch index '" + config.index() + "' is a concrete index, "
                        + "not an alias: the opensearch retriever keeps its catalogue behind an alias named by the "
                        + "'index' setting and creates the index itself. Choose another 'index' setting, or delete "
                        + "'" + config.index() + "'");
            }
            String created = index.createConcrete(false);
            Reply added = cluster.send("POST", "/_aliases", Map.of(), "{\"actions\":[{\"add\":{\"index\":\""
                    + created + "\",\"alias\":\"" + config.index() + "\"}}]}");
            if (!added.ok()) {
                cluster.send("DELETE", "/" + created, Map.of(), null);
                throw new IllegalStateException("OpenSearch at " + cluster.endpoints() + " refused to create alias '"
                        + config.index() + "': HTTP " + added.status() + " " + added.reason());
            }
        } else {
            JsonObject mappings = cluster.expectOk("GET", "/" + concrete + "/_mapping", Map.of(), null,
                    "read the mapping of index '" + concrete + "'").getJsonObject(concrete).getJsonObject("mappings");
            IndexLayout.checkCompatible(config.index(), concrete, mappings, spec);
        }
        return index;
    }

    private void checkKnnPlugin() {
        JsonObject nodes = cluster.expectOk("GET", "/_nodes/plugins", Map.of("filter_path", "nodes.*.plugins.name"),
                null, "list its plugins").getJsonObject("nodes");
        if (nodes == null || nodes.isEmpty() || !nodes.values().stream().allMatch(n -> n.toString().contains(
                "\"opensearch-knn\""))) {
            throw new IllegalStateException("The OpenSearch cluster at " + cluster.endpoints() + " lacks the k-NN "
                    + "plugin (opensearch-knn) on some node; install it on every node "
                    + "(bin/opensearch-plugin install opensearch-knn) and restart them");
        }
    }

    /** The concrete index behind the alias, or null when the alias does not exist. */
    String concreteIndex() {
        Reply reply = cluster.get("/_alias/" + config.index());
        if (reply.status() == 404) {
            return null;
        }
        if (!reply.ok()) {
            throw new IllegalStateException("OpenSearch at " + cluster.endpoints() + " refused to resolve alias '"
                    + config.index() + "': HTTP " + reply.status() + " " + reply.reason());
        }
        if (reply.body().size() != 1) {
            throw new IllegalArgumentException("Alias '" + config.index() + "' points to " + reply.body().size()
                    + " indices " + reply.body().keySet() + "; the opensearch retriever needs it on exactly one. "
                    + "Remove the others from the alias (POST /_aliases)");
        }
        return reply.body().keySet().iterator().next();
    }

    /** Creates a new, empty concrete index named after the alias and the time. */
    private String createConcrete(boolean loading) {
        long suffix = System.currentTimeMillis();
        for (int attempt = 0; ; attempt++) {
            String name = config.index() + "-" + (suffix + attempt);
            Reply reply = cluster.send("PUT", "/" + name, Map.of(), IndexLayout.createBody(config, spec, loading));
            if (reply.ok()) {
                return name;
            }
            if (!reply.reason().startsWith("resource_already_exists_exception") || attempt >= 100) {
                throw new IllegalStateException("OpenSearch at " + cluster.endpoints() + " refused to create index '"
                        + name + "': HTTP " + reply.status() + " " + reply.reason());
            }
        }
    }

    /**
     * Loads the items into a new concrete index and moves the alias to it, deleting the old index.
     * On failure the new index is deleted and the alias still serves the old catalogue.
     */
    void replace(Collection<IndexedItem> items) {
        String old = concreteIndex();
        String fresh = createConcrete(true);
        boolean swapped = false;
        try {
            Iterator<IndexedItem> it = items.iterator();
            while (it.hasNext()) {
                StringBuilder body = new StringBuilder();
                for (int n = 0; n < config.bulkBatchSize() && it.hasNext(); n++) {
                    IndexedItem item = it.next();
                    JsonText.string(body.append("{\"index\":{\"_id\":"), item.id().value()).append("}}\n");
                    body.append(ItemDocuments.source(item)).append('\n');
                }
                JsonObject reply = bulkOk(fresh, body.toString());
                if (reply.getBoolean("errors", false)) {
                    throw new IllegalArgumentException("OpenSearch rejected items of the catalogue: " + firstError(reply));
                }
            }
            cluster.expectOk("PUT", "/" + fresh + "/_settings", Map.of(), IndexLayout.refreshSettings(config),
                    "restore the refresh interval of '" + fresh + "'");
            cluster.expectOk("POST", "/" + fresh + "/_refresh", Map.of(), null, "refresh '" + fresh + "'");
            StringBuilder actions = new StringBuilder("{\"actions\":[");
            if (old != null) {
                actions.append("{\"remove\":{\"index\":\"").append(old).append("\",\"alias\":\"")
                        .append(config.index()).append("\"}},");
            }
            actions.append("{\"add\":{\"index\":\"").append(fresh).append("\",\"alias\":\"").append(config.index())
                    .append("\"}}]}");
            cluster.expectOk("POST", "/_aliases", Map.of(), actions.toString(), "move alias '" + config.index()
                    + "' from '" + old + "' to '" + fresh + "'");
            swapped = true;
        } finally {
            if (!swapped) {
                cluster.send("DELETE", "/" + fresh, Map.of(), null);
            }
        }
        if (old != null) {
            Reply deleted = cluster.send("DELETE", "/" + old, Map.of(), null);
            if (!deleted.ok() && deleted.status() != 404) {
                System.getLogger(AliasedIndex.class.getName()).log(System.Logger.Level.WARNING,
                        "Could not delete the replaced index ''{0}'': HTTP {1} {2}", old, deleted.status(),
                        deleted.reason());
            }
        }
    }

    private JsonObject bulkOk(String index, String ndjson) {
        Reply reply = cluster.bulk("/" + index + "/_bulk", Map.of("filter_path", "errors,items.*.error,items.*._id"),
                ndjson);
        if (!reply.ok()) {
            throw new IllegalStateException("OpenSearch at " + cluster.endpoints() + " refused a bulk load into '"
                    + index + "': HTTP " + reply.status() + " " + reply.reason());
        }
        return reply.body();
    }

    static String firstError(JsonObject bulkReply) {
        for (JsonValue item : bulkReply.getJsonArray("items")) {
            for (JsonValue op : item.asJsonObject().values()) {
                JsonObject o = op.asJsonObject();
                if (o.get("error") instanceof JsonObject error) {
                    return "item '" + o.getString("_id", "?") + "': " + error.getString("type", "error") + ": "
                            + error.getString("reason", "");
                }
            }
        }
        return bulkReply.toString();
    }
}
