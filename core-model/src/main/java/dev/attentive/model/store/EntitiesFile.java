package dev.attentive.model.store;

import static dev.attentive.model.store.JsonFields.JSON;
import static dev.attentive.model.store.JsonFields.array;
import static dev.attentive.model.store.JsonFields.text;

import dev.attentive.api.FeatureSchema;
import dev.attentive.api.FeatureType;
import dev.attentive.api.FeatureValue;
import dev.attentive.api.Features;
import dev.attentive.api.FieldSpec;
import dev.attentive.api.ItemId;
import dev.attentive.api.UserId;
import dev.attentive.model.ModelFormatException;
import dev.attentive.model.nn.TwoTowerModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code entities.json}: the catalogue (item ids, features, training counts) and the known users
 * (ids, features, training items in time order). Stateless.
 */
final class EntitiesFile {
    static final String NAME = "entities.json";

    private EntitiesFile() {
    }

    /**
     * The entities read back, in row order.
     *
     * @param items the catalogue
     * @param itemFeatures each item's features
     * @param counts each item's training count
     * @param users the known users
     * @param userFeatures each user's features
     * @param userItems each user's training items as catalogue indices, in time order
     */
    record Contents(ItemId[] items, Features[] itemFeatures, long[] counts, UserId[] users, Features[] userFeatures,
            int[][] userItems) {
    }

    static byte[] write(TwoTowerModel model) {
        return JSON.writeValueAsBytes(entities(model));
    }

    private static ObjectNode entities(TwoTowerModel model) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode items = root.putArray("items");
        for (int i = 0; i < model.items.length; i++) {
            ObjectNode o = items.addObject();
            o.put("id", model.items[i].value()).put("count", model.itemCounts[i]);
            o.set("features", features(model.itemFeatures[i]));
        }
        ArrayNode users = root.putArray("users");
        for (int u = 0; u < model.users.length; u++) {
            ObjectNode o = users.addObject();
            o.put("id", model.users[u].value());
            o.set("features", features(model.userFeatures[u]));
            ArrayNode list = o.putArray("items");
            for (int c : model.userItems[u]) {
                list.add(c);
            }
        }
        return root;
    }

    /** A feature row as a JSON object (also the two-stage catalogue's). */
    static ObjectNode features(Features features) {
        ObjectNode o = JSON.createObjectNode();
        for (var e : features.values().entrySet()) {
            switch (e.getValue()) {
                case FeatureValue.Categorical c -> o.put(e.getKey(), c.value());
                case FeatureValue.Numeric n -> o.put(e.getKey(), n.value());
                case FeatureValue.MultiCategorical m -> {
                    ArrayNode a = o.putArray(e.getKey());
                    m.values().forEach(a::add);
                }
            }
        }
        return o;
    }


    /** Reads the file; every feature value is checked against the schema of its side. */
    static Contents read(Path entitiesFile, byte[] bytes, FeatureSchema userSchema, FeatureSchema itemSchema)
            throws ModelFormatException {
        JsonNode entities = JsonFields.parse(entitiesFile, bytes);
        JsonNode itemList = array(entities, "items", entitiesFile);
        int itemCount = itemList.size();
        ItemId[] items = new ItemId[itemCount];
        Features[] itemFeatures = new Features[itemCount];
        long[] counts = new long[itemCount];
        for (int i = 0; i < itemCount; i++) {
            JsonNode o = itemList.get(i);
            items[i] = ItemId.of(text(o, "id", entitiesFile));
            counts[i] = o.path("count").asLong(0);
            itemFeatures[i] = features(o.get("features"), itemSchema, entitiesFile, "item " + items[i]);
        }
        JsonNode userList = array(entities, "users", entitiesFile);
        int userCount = userList.size();
        UserId[] users = new UserId[userCount];
        Features[] userFeatures = new Features[userCount];
        int[][] userItems = new int[userCount][];
        for (int u = 0; u < userCount; u++) {
            JsonNode o = userList.get(u);
            users[u] = UserId.of(text(o, "id", entitiesFile));
            userFeatures[u] = features(o.get("features"), userSchema, entitiesFile, "user " + users[u]);
            JsonNode its = array(o, "items", entitiesFile);
            userItems[u] = new int[its.size()];
            for (int k = 0; k < its.size(); k++) {
                int c = its.get(k).asInt(-1);
                if (c < 0 || c >= itemCount) {
                    throw new ModelFormatException(entitiesFile, "user " + users[u] + " lists item index "
                            + its.get(k) + ", outside the catalogue of " + itemCount + " items");
                }
                userItems[u][k] = c;
            }
        }
        return new Contents(items, itemFeatures, counts, users, userFeatures, userItems);
    }

    /** Reads a feature row, each value checked against the schema (also the two-stage catalogue's). */
    static Features features(JsonNode node, FeatureSchema schema, Path file, String where)
            throws ModelFormatException {
        if (node == null || !node.isObject()) {
            throw new ModelFormatException(file, where + " has no features object");
        }
        Features.Builder b = Features.builder();
        for (var e : node.properties()) {
            String field = e.getKey();
            FieldSpec spec = schema.field(field).orElseThrow(() -> new ModelFormatException(file, where
                    + " has field '" + field + "', which is not in the schema " + schema.names()));
            JsonNode v = e.getValue();
            switch (spec.type()) {
                case CATEGORICAL -> {
                    if (!v.isString()) {
                        throw mismatch(file, where, field, spec.type(), v);
                    }
                    b.categorical(field, v.asString());
                }
                case NUMERIC -> {
                    if (!v.isNumber()) {
                        throw mismatch(file, where, field, spec.type(), v);
                    }
                    b.numeric(field, v.asDouble());
                }
                case MULTI_CATEGORICAL -> {
                    if (!v.isArray()) {
                        throw mismatch(file, where, field, spec.type(), v);
                    }
                    List<String> values = new ArrayList<>();
                    v.forEach(x -> values.add(x.asString()));
                    b.multi(field, values);
                }
                default -> throw mismatch(file, where, field, spec.type(), v);
            }
        }
        return b.build();
    }

    private static ModelFormatException mismatch(Path file, String where, String field, FeatureType type,
            JsonNode v) {
        return new ModelFormatException(file, where + " field '" + field + "' must be " + type
                + " per the schema, got " + v.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " " + v);
    }

}
