package dev.attentive.index.opensearch;

import dev.attentive.api.FeatureValue;
import dev.attentive.api.IndexedItem;
import dev.attentive.api.ItemId;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * How an item is stored: its id as {@code _id} and as the keyword {@code id}, its vector in the
 * {@code knn_vector} field {@code vector}, categorical and multi-categorical attributes as keywords under
 * {@code cat.}, numeric ones as doubles under {@code num.} — so a categorical filter on a numeric
 * attribute finds no field and matches nothing, as {@link dev.attentive.api.ItemFilter#matches} says,
 * instead of failing. Attribute names are percent-encoded outside {@code [A-Za-z0-9_-]}, because a dot
 * in a field name would mean an object path.
 */
final class ItemDocuments {
    static final String ID = "id";
    static final String VECTOR = "vector";
    static final String CATEGORICAL = "cat";
    static final String NUMERIC = "num";
    /**
     * A stored, unindexed object holding the token of the {@code add} call that wrote the document, so
     * that a create answered 409 can tell its own earlier attempt (resent by the transport after a lost
     * reply) from another writer's item.
     */
    static final String WRITE = "write";
    /** OpenSearch's limit on {@code _id}. */
    private static final int MAX_ID_BYTES = 512;

    private ItemDocuments() {
    }

    /** The keyword field of a categorical attribute. */
    static String categoricalField(String attribute) {
        return CATEGORICAL + "." + encodeName(attribute);
    }

    /** The double field of a numeric attribute. */
    static String numericField(String attribute) {
        return NUMERIC + "." + encodeName(attribute);
    }

    static String encodeName(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-') {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    /** The id as a URL path segment. */
    static String pathSegment(ItemId id) {
        return URLEncoder.encode(id.value(), StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * Checks one item: its vector's dimension and values, and its id's length.
     *
     * @throws IllegalArgumentException naming the item and what is wrong
     */
    static void check(IndexedItem item, int dimension) {
        if (item.vector().length != dimension) {
            throw new IllegalArgumentException("Item '" + item.id() + "' has a vector of dimension "
                    + item.vector().length + "; this opensearch retriever holds dimension " + dimension);
        }
        for (int d = 0; d < dimension; d++) {
            if (!Float.isFinite(item.vector()[d])) {
                throw new IllegalArgumentException("Item '" + item.id() + "' has a non-finite vector component "
                        + item.vector()[d] + " at index " + d);
            }
        }
        if (item.id().value().getBytes(StandardCharsets.UTF_8).length > MAX_ID_BYTES) {
            throw new IllegalArgumentException("Item id '" + item.id().value().substring(0, 40) + "…' is longer than "
                    + "OpenSearch's " + MAX_ID_BYTES + "-byte limit on document ids");
        }
    }

    /** Checks every item and that ids are unique, before anything is sent. */
    static void checkAll(Collection<IndexedItem> items, int dimension) {
        Set<ItemId> seen = new HashSet<>(items.size() * 2);
        for (IndexedItem item : items) {
            check(item, dimension);
            if (!seen.add(item.id())) {
                throw new IllegalArgumentException("Duplicate item id '" + item.id() + "' in the catalogue given to index");
            }
        }
    }

    /** The document's JSON source. */
    static String source(IndexedItem item) {
        return source(item, null);
    }

    /** The document of an item, with the {@link #WRITE} token of an {@code add} call when not null. */
    static String source(IndexedItem item, String writeToken) {
        StringBuilder out = new StringBuilder(32 + item.vector().length * 12);
        out.append("{\"").append(ID).append("\":");
        JsonText.string(out, item.id().value());
        out.append(",\"").append(VECTOR).append("\":");
        JsonText.vector(out, item.vector());
        StringBuilder categorical = new StringBuilder();
        StringBuilder numeric = new StringBuilder();
        for (Map.Entry<String, FeatureValue> e : item.attributes().values().entrySet()) {
            String name = encodeName(e.getKey());
            switch (e.getValue()) {
                case FeatureValue.Categorical c -> JsonText.string(next(categorical).append('"').append(name)
                        .append("\":"), c.value());
                case FeatureValue.MultiCategorical m -> {
                    next(categorical).append('"').append(name).append("\":[");
                    for (int i = 0; i < m.values().size(); i++) {
                        JsonText.string(i > 0 ? categorical.append(',') : categorical, m.values().get(i));
                    }
                    categorical.append(']');
                }
                case FeatureValue.Numeric n -> JsonText.number(next(numeric).append('"').append(name).append("\":"),
                        n.value());
            }
        }
        if (!categorical.isEmpty()) {
            out.append(",\"").append(CATEGORICAL).append("\":{").append(categorical).append('}');
        }
        if (!numeric.isEmpty()) {
            out.append(",\"").append(NUMERIC).append("\":{").append(numeric).append('}');
        }
        if (writeToken != null) {
            out.append(",\"").append(WRITE).append("\":{\"token\":");
            JsonText.string(out, writeToken);
            out.append('}');
        }
        return out.append('}').toString();
    }

    private static StringBuilder next(StringBuilder fields) {
        return fields.isEmpty() ? fields : fields.append(',');
    }
}
