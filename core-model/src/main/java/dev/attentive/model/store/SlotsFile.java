package dev.attentive.model.store;

import static dev.attentive.model.store.JsonFields.JSON;
import static dev.attentive.model.store.JsonFields.array;
import static dev.attentive.model.store.JsonFields.text;
import static dev.attentive.model.store.JsonFields.type;

import dev.attentive.api.FeatureSchema;
import dev.attentive.api.FeatureType;
import dev.attentive.api.FieldSpec;
import dev.attentive.model.ModelFormatException;
import dev.attentive.model.rank.TwoStageState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code slots.json} of a two-stage model: the ranker's feature-value slots, that is per side the
 * fields in slot order (name, type, slot count, a numeric field's bucket edges) and the shared
 * vocabulary of {@code field=value} keys in index order (the rows of the ranker's value
 * embeddings). Stateless.
 */
final class SlotsFile {
    static final String NAME = "slots.json";

    private SlotsFile() {
    }

    static byte[] write(TwoStageState.SlotLayout layout) {
        ObjectNode root = JSON.createObjectNode();
        side(root.putArray("user"), layout.user());
        side(root.putArray("item"), layout.item());
        ArrayNode vocabulary = root.putArray("vocabulary");
        layout.vocabulary().forEach(vocabulary::add);
        return JSON.writeValueAsBytes(root);
    }

    private static void side(ArrayNode node, List<TwoStageState.SlotField> fields) {
        for (TwoStageState.SlotField f : fields) {
            ObjectNode o = node.addObject().put("name", f.name()).put("type", f.type().name()).put("slots", f.slots());
            if (f.type() == FeatureType.NUMERIC) {
                ArrayNode edges = o.putArray("edges");
                for (double x : f.edges()) {
                    edges.add(x);
                }
            }
        }
    }

    /** Reads the file, checking slot counts, bucket edges and that no vocabulary key repeats. */
    static TwoStageState.SlotLayout read(Path file, byte[] bytes) throws ModelFormatException {
        JsonNode root = JsonFields.parse(file, bytes);
        List<TwoStageState.SlotField> user = side(array(root, "user", file), file, "user");
        List<TwoStageState.SlotField> item = side(array(root, "item", file), file, "item");
        List<String> vocabulary = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (JsonNode v : array(root, "vocabulary", file)) {
            if (!v.isString()) {
                throw new ModelFormatException(file, "vocabulary entry " + vocabulary.size() + " is not a string: " + v);
            }
            if (!seen.add(v.asString())) {
                throw new ModelFormatException(file, "vocabulary lists '" + v.asString() + "' twice");
            }
            vocabulary.add(v.asString());
        }
        return new TwoStageState.SlotLayout(vocabulary, user, item);
    }

    private static List<TwoStageState.SlotField> side(JsonNode fields, Path file, String which)
            throws ModelFormatException {
        List<TwoStageState.SlotField> out = new ArrayList<>();
        for (JsonNode f : fields) {
            String name = text(f, "name", file);
            String what = which + " field '" + name + "'";
            FeatureType type = type(f, file, what);
            int slots = f.path("slots").asInt(0);
            if (slots < 1 || (type != FeatureType.MULTI_CATEGORICAL && slots != 1)) {
                throw new ModelFormatException(file, what + " has " + f.path("slots") + " slots; a " + type
                        + " field has " + (type == FeatureType.MULTI_CATEGORICAL ? "at least 1" : "exactly 1"));
            }
            double[] edges = new double[0];
            if (type == FeatureType.NUMERIC) {
                JsonNode a = array(f, "edges", file);
                edges = new double[a.size()];
                for (int i = 0; i < edges.length; i++) {
                    if (!a.get(i).isNumber() || (i > 0 && a.get(i).asDouble() < edges[i - 1])) {
                        throw new ModelFormatException(file, what + " has bucket edges that are not ascending numbers: " + a);
                    }
                    edges[i] = a.get(i).asDouble();
                }
                if (edges.length == 0) {
                    throw new ModelFormatException(file, what + " is numeric but has no bucket edges");
                }
            }
            out.add(new TwoStageState.SlotField(name, type, slots, edges));
        }
        return out;
    }

    /** The feature schema of one side's slot fields. */
    static FeatureSchema schema(List<TwoStageState.SlotField> fields) {
        return new FeatureSchema(fields.stream().map(f -> new FieldSpec(f.name(), f.type())).toList());
    }
}
