package dev.attentive.examples.service;

import dev.attentive.api.Explanation;
import dev.attentive.api.FeatureSchema;
import dev.attentive.api.FeatureValue;
import dev.attentive.api.Features;
import dev.attentive.api.FieldSpec;
import dev.attentive.api.ItemId;
import dev.attentive.api.Recommendation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The service's JSON: replies built from the API's values, and request bodies read into them. */
final class Json {
    /** Thread safe once built. */
    static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Json() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static byte[] write(JsonNode node) {
        return MAPPER.writeValueAsBytes(node);
    }

    /** Reads a request body that must be a JSON object. */
    static ObjectNode readObject(byte[] body, String what, String example) {
        JsonNode node;
        try {
            node = body.length == 0 ? null : MAPPER.readTree(body);
        } catch (JacksonException e) {
            throw HttpError.badRequest("The body of " + what + " is not JSON (" + e.getOriginalMessage()
                    + "); send an object, e.g. " + example);
        }
        if (node == null || !node.isObject()) {
            throw HttpError.badRequest("The body of " + what + " must be a JSON object, e.g. " + example
                    + (node == null ? "; it is empty" : "; it is " + node.getNodeType()));
        }
        return (ObjectNode) node;
    }

    /** Recommendations, best first, each with its explanation when it has one. */
    static ArrayNode recommendations(List<Recommendation> recommendations) {
        ArrayNode out = MAPPER.createArrayNode();
        for (Recommendation r : recommendations) {
            ObjectNode item = out.addObject().put("item", r.item().value()).put("score", r.score());
            r.explanation().ifPresent(e -> item.set("explanation", explanation(e)));
        }
        return out;
    }

    static ArrayNode ids(List<ItemId> items) {
        ArrayNode out = MAPPER.createArrayNode();
        items.forEach(i -> out.add(i.value()));
        return out;
    }

    private static ObjectNode explanation(Explanation e) {
        ObjectNode out = object();
        out.set("userFieldWeights", weights(e.userFieldWeights()));
        out.set("historyItems", weights(e.historyItems()));
        out.set("itemFieldWeights", weights(e.itemFieldWeights()));
        out.set("contributions", weights(e.contributions()));
        return out;
    }

    private static ArrayNode weights(List<Explanation.Weight> weights) {
        ArrayNode out = MAPPER.createArrayNode();
        weights.forEach(w -> out.addObject().put("name", w.name()).put("value", w.value()));
        return out;
    }

    /** Features as an object: categorical as strings, numbers as numbers, multi-valued as arrays. */
    static ObjectNode features(Features features) {
        ObjectNode out = object();
        for (Map.Entry<String, FeatureValue> e : features.values().entrySet()) {
            switch (e.getValue()) {
                case FeatureValue.Categorical c -> out.put(e.getKey(), c.value());
                case FeatureValue.Numeric n -> out.put(e.getKey(), n.value());
                case FeatureValue.MultiCategorical m -> {
                    ArrayNode values = out.putArray(e.getKey());
                    m.values().forEach(values::add);
                }
            }
        }
        return out;
    }

    /**
     * Reads an item's features, typed by the catalogue's schema: a categorical field takes a string,
     * a numeric field a number, a multi-valued field an array of strings; {@code null} leaves the field
     * missing.
     */
    static Features features(ObjectNode body, FeatureSchema schema, String where) {
        Features.Builder out = Features.builder();
        for (Map.Entry<String, JsonNode> e : body.properties()) {
            String name = e.getKey();
            JsonNode value = e.getValue();
            FieldSpec spec = schema.field(name).orElseThrow(() -> HttpError.badRequest("Unknown item field '" + name
                    + "' in " + where + "; the catalogue's item fields are " + describe(schema)));
            if (value.isNull()) {
                continue;
            }
            switch (spec.type()) {
                case CATEGORICAL -> {
                    if (!value.isString()) {
                        throw wrongType(where, spec, value, "a string");
                    }
                    out.categorical(name, value.stringValue());
                }
                case NUMERIC -> {
                    if (!value.isNumber() || !Double.isFinite(value.doubleValue())) {
                        throw wrongType(where, spec, value, "a finite number");
                    }
                    out.numeric(name, value.doubleValue());
                }
                case MULTI_CATEGORICAL -> {
                    if (!value.isArray() || value.values().stream().anyMatch(v -> !v.isString())) {
                        throw wrongType(where, spec, value, "an array of strings");
                    }
                    out.multi(name, value.values().stream().map(JsonNode::stringValue).toList());
                }
            }
        }
        return out.build();
    }

    private static HttpError wrongType(String where, FieldSpec spec, JsonNode value, String expected) {
        return HttpError.badRequest("Item field '" + spec.name() + "' in " + where + " is " + spec.type()
                + " and takes " + expected + "; got " + value.getNodeType() + " " + value);
    }

    /** The schema's fields with their types, for messages. */
    static String describe(FeatureSchema schema) {
        if (schema.fields().isEmpty()) {
            return "none (the items have no attributes)";
        }
        List<String> fields = new ArrayList<>();
        schema.fields().forEach(f -> fields.add(f.name() + " " + f.type()));
        return fields.toString();
    }
}
