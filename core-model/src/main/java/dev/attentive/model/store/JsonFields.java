package dev.attentive.model.store;

import dev.attentive.api.FeatureType;
import dev.attentive.model.ModelFormatException;
import java.nio.file.Path;
import java.util.Arrays;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON mapper of the model files and the checked reads of their fields: a missing or mistyped
 * field is a {@link ModelFormatException} naming the file and the field. Stateless.
 */
final class JsonFields {
    static final JsonMapper JSON = JsonMapper.builder().build();

    private JsonFields() {
    }

    static JsonNode parse(Path file, byte[] bytes) throws ModelFormatException {
        try {
            JsonNode node = JSON.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new ModelFormatException(file, "is not a JSON object");
            }
            return node;
        } catch (JacksonException e) {
            throw new ModelFormatException(file, "is not valid JSON (truncated or corrupt): "
                    + e.getOriginalMessage());
        }
    }

    static String text(JsonNode node, String field, Path file) throws ModelFormatException {
        JsonNode v = node.get(field);
        if (v == null || !v.isString()) {
            throw new ModelFormatException(file, "lacks the string field '" + field + "'");
        }
        return v.asString();
    }

    static int integer(JsonNode node, String field, Path file) throws ModelFormatException {
        JsonNode v = node.get(field);
        if (v == null || !v.isIntegralNumber()) {
            throw new ModelFormatException(file, "lacks the integer field '" + field + "'");
        }
        return v.asInt();
    }

    static JsonNode object(JsonNode node, String field, Path file) throws ModelFormatException {
        JsonNode v = node.get(field);
        if (v == null || !v.isObject()) {
            throw new ModelFormatException(file, "lacks the object '" + field + "'");
        }
        return v;
    }

    static JsonNode array(JsonNode node, String field, Path file) throws ModelFormatException {
        JsonNode v = node.get(field);
        if (v == null || !v.isArray()) {
            throw new ModelFormatException(file, "lacks the array '" + field + "'");
        }
        return v;
    }

    static FeatureType type(JsonNode node, Path file, String what) throws ModelFormatException {
        String t = text(node, "type", file);
        try {
            return FeatureType.valueOf(t);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file, what + " has unknown type '" + t + "' (known: "
                    + Arrays.toString(FeatureType.values()) + ")");
        }
    }
}
