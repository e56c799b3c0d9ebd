package dev.attentive.model.store;

import static dev.attentive.model.store.JsonFields.JSON;
import static dev.attentive.model.store.JsonFields.array;
import static dev.attentive.model.store.JsonFields.text;

import dev.attentive.api.FeatureSchema;
import dev.attentive.api.FeatureTable;
import dev.attentive.api.Features;
import dev.attentive.api.ItemId;
import dev.attentive.api.UserId;
import dev.attentive.model.ModelFormatException;
import dev.attentive.model.rank.TwoStageState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code catalogue.json} of a two-stage model: the catalogue in the ranker's index order (ids and
 * features), the user feature table (every row, in table order), and each known user's distinct
 * training items as catalogue indices, most recent first (the ranker's history, the regression's
 * input and the items excluded as seen). Stateless.
 */
final class CatalogueFile {
    static final String NAME = "catalogue.json";

    private CatalogueFile() {
    }

    /**
     * The catalogue read back.
     *
     * @param items the catalogue, in index order
     * @param itemFeatures each item's features
     * @param users the user feature table
     * @param userItems each known user's items, most recent first
     */
    record Contents(List<ItemId> items, List<Features> itemFeatures, FeatureTable<UserId> users,
            Map<UserId, int[]> userItems) {
    }

    static byte[] write(TwoStageState state) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode items = root.putArray("items");
        for (int i = 0; i < state.items().size(); i++) {
            ObjectNode o = items.addObject().put("id", state.items().get(i).value());
            o.set("features", EntitiesFile.features(state.itemFeatures().get(i)));
        }
        ArrayNode users = root.putArray("users");
        for (var e : state.users().rows().entrySet()) {
            ObjectNode o = users.addObject().put("id", e.getKey().value());
            o.set("features", EntitiesFile.features(e.getValue()));
        }
        ArrayNode userItems = root.putArray("userItems");
        for (var e : state.userItems().entrySet()) {
            ObjectNode o = userItems.addObject().put("id", e.getKey().value());
            ArrayNode list = o.putArray("items");
            for (int c : e.getValue()) {
                list.add(c);
            }
        }
        return JSON.writeValueAsBytes(root);
    }

    /** Reads the file; features are checked against the slots' schemas, item indices against the catalogue. */
    static Contents read(Path file, byte[] bytes, FeatureSchema userSchema, FeatureSchema itemSchema)
            throws ModelFormatException {
        JsonNode root = JsonFields.parse(file, bytes);
        JsonNode itemList = array(root, "items", file);
        List<ItemId> items = new ArrayList<>();
        List<Features> itemFeatures = new ArrayList<>();
        Set<ItemId> seen = new HashSet<>();
        for (JsonNode o : itemList) {
            ItemId id = ItemId.of(text(o, "id", file));
            if (!seen.add(id)) {
                throw new ModelFormatException(file, "lists item " + id + " twice");
            }
            items.add(id);
            itemFeatures.add(EntitiesFile.features(o.get("features"), itemSchema, file, "item " + id));
        }
        if (items.isEmpty()) {
            throw new ModelFormatException(file, "lists no items");
        }
        Map<UserId, Features> rows = new LinkedHashMap<>();
        for (JsonNode o : array(root, "users", file)) {
            UserId id = UserId.of(text(o, "id", file));
            if (rows.put(id, EntitiesFile.features(o.get("features"), userSchema, file, "user " + id)) != null) {
                throw new ModelFormatException(file, "lists the features of user " + id + " twice");
            }
        }
        Map<UserId, int[]> userItems = new LinkedHashMap<>();
        for (JsonNode o : array(root, "userItems", file)) {
            UserId id = UserId.of(text(o, "id", file));
            JsonNode list = array(o, "items", file);
            int[] its = new int[list.size()];
            for (int k = 0; k < its.length; k++) {
                int c = list.get(k).isIntegralNumber() ? list.get(k).asInt() : -1;
                if (c < 0 || c >= items.size()) {
                    throw new ModelFormatException(file, "user " + id + " lists item index " + list.get(k)
                            + ", outside the catalogue of " + items.size() + " items");
                }
                its[k] = c;
            }
            if (userItems.put(id, its) != null) {
                throw new ModelFormatException(file, "lists the items of user " + id + " twice");
            }
        }
        return new Contents(items, itemFeatures, new FeatureTable<>(userSchema, rows), userItems);
    }
}
