package dev.attentive.index.opensearch;

import dev.attentive.api.Similarity;
import dev.attentive.api.spi.RetrieverSpec;
import dev.attentive.index.opensearch.OpenSearchRetrieverProvider.Config;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * The settings and mapping of a concrete index, what its {@code _meta} records, and how the engine's
 * scores turn back into similarities. The vector field uses method {@code hnsw} with engine
 * {@code lucene}: the k-NN plugin published as a Maven artifact carries no native libraries, and the
 * native engines would take the node down.
 *
 * <p>{@link Similarity#DOT_PRODUCT} (unit vectors) maps to space {@code cosinesimil}, whose engine score
 * is {@code (1 + cos) / 2}; {@link Similarity#MAXIMUM_INNER_PRODUCT} to {@code innerproduct}, scored
 * {@code 1 + dot} for a non-negative dot product and {@code 1 / (1 - dot)} otherwise. Hits report the
 * similarity itself, as every other retriever does.
 */
final class IndexLayout {
    /** The version of this layout, recorded in {@code _meta}; bumped if documents or fields change. */
    static final int FORMAT = 2;
    static final String META_KEY = "attentive";

    private IndexLayout() {
    }

    static String spaceType(Similarity similarity) {
        return switch (similarity) {
            case DOT_PRODUCT -> "cosinesimil";
            case MAXIMUM_INNER_PRODUCT -> "innerproduct";
        };
    }

    /** The similarity behind an engine score. */
    static float similarity(Similarity similarity, double score) {
        return (float) switch (similarity) {
            case DOT_PRODUCT -> 2 * score - 1;
            case MAXIMUM_INNER_PRODUCT -> score >= 1 ? score - 1 : 1 - 1 / score;
        };
    }

    /**
     * The body that creates a concrete index.
     *
     * @param loading whether a bulk load follows (refreshes are off until {@link #refreshSettings})
     */
    static String createBody(Config config, RetrieverSpec spec, boolean loading) {
        StringBuilder out = new StringBuilder(1024);
        out.append("{\"settings\":{\"index\":{\"knn\":true,\"number_of_shards\":").append(config.shards())
                .append(",\"number_of_replicas\":").append(config.replicas())
                .append(",\"refresh_interval\":\"").append(loading ? "-1" : config.refreshIntervalMs() + "ms")
                .append("\"}},\"mappings\":{\"dynamic\":\"strict\",\"_meta\":{\"").append(META_KEY).append("\":{")
                .append("\"format\":").append(FORMAT)
                .append(",\"dimension\":").append(spec.dimension())
                .append(",\"similarity\":\"").append(spec.similarity().name()).append('"')
                .append(",\"modelFingerprint\":");
        JsonText.string(out, spec.modelFingerprint());
        out.append("}},\"dynamic_templates\":[")
                .append("{\"categorical\":{\"path_match\":\"").append(ItemDocuments.CATEGORICAL)
                .append(".*\",\"mapping\":{\"type\":\"keyword\"}}},")
                .append("{\"numeric\":{\"path_match\":\"").append(ItemDocuments.NUMERIC)
                .append(".*\",\"mapping\":{\"type\":\"double\"}}}],")
                .append("\"properties\":{\"").append(ItemDocuments.ID).append("\":{\"type\":\"keyword\"},\"")
                .append(ItemDocuments.VECTOR).append("\":{\"type\":\"knn_vector\",\"dimension\":").append(spec.dimension())
                .append(",\"method\":{\"name\":\"hnsw\",\"engine\":\"lucene\",\"space_type\":\"")
                .append(spaceType(spec.similarity())).append("\",\"parameters\":{\"m\":").append(config.m())
                .append(",\"ef_construction\":").append(config.efConstruction()).append("}}},\"")
                .append(ItemDocuments.CATEGORICAL).append("\":{\"type\":\"object\",\"dynamic\":true},\"")
                .append(ItemDocuments.NUMERIC).append("\":{\"type\":\"object\",\"dynamic\":true},\"")
                .append(ItemDocuments.WRITE).append("\":{\"type\":\"object\",\"enabled\":false}}}}");
        return out.toString();
    }

    /** The settings that end a bulk load: periodic refreshes again, which {@code refresh=wait_for} writes wait for. */
    static String refreshSettings(Config config) {
        return "{\"index\":{\"refresh_interval\":\"" + config.refreshIntervalMs() + "ms\"}}";
    }

    /**
     * Checks that a concrete index was built by this retriever for this spec.
     *
     * @param mapping the index's {@code mappings} object
     * @throws IllegalArgumentException naming the alias, the index, both values and the fix
     */
    static void checkCompatible(String alias, String concrete, JsonObject mapping, RetrieverSpec spec) {
        JsonValue metaValue = mapping.getOrDefault("_meta", JsonValue.EMPTY_JSON_OBJECT);
        JsonValue ours = metaValue instanceof JsonObject meta ? meta.get(META_KEY) : null;
        if (!(ours instanceof JsonObject recorded)) {
            throw new IllegalArgumentException("OpenSearch index '" + concrete + "' behind alias '" + alias
                    + "' was not created by the opensearch retriever (its mapping has no _meta." + META_KEY
                    + "); choose another 'index' setting, or delete the alias and its index to let the retriever "
                    + "create its own");
        }
        int format = recorded.getInt("format", -1);
        int dimension = recorded.getInt("dimension", -1);
        String similarity = recorded.getString("similarity", "?");
        String fingerprint = recorded.getString("modelFingerprint", "?");
        StringBuilder problems = new StringBuilder();
        if (format != FORMAT) {
            problems.append(", layout format ").append(format).append(" (this library writes ").append(FORMAT).append(')');
        }
        if (dimension != spec.dimension()) {
            problems.append(", dimension ").append(dimension).append(" (wanted ").append(spec.dimension()).append(')');
        }
        if (!similarity.equals(spec.similarity().name())) {
            problems.append(", similarity ").append(similarity).append(" (wanted ").append(spec.similarity().name())
                    .append(')');
        }
        if (!fingerprint.equals(spec.modelFingerprint())) {
            problems.append(", model fingerprint '").append(fingerprint).append("' (wanted '")
                    .append(spec.modelFingerprint()).append("')");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("OpenSearch index '" + concrete + "' behind alias '" + alias
                    + "' was built for another model: " + problems.substring(2) + ". Set 'index' to another alias "
                    + "name for this model, or delete the old one (DELETE /" + concrete + ") and index the "
                    + "catalogue again");
        }
    }
}
