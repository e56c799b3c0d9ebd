package dev.attentive.model.store;

import static dev.attentive.model.store.JsonFields.JSON;
import static dev.attentive.model.store.JsonFields.array;
import static dev.attentive.model.store.JsonFields.object;
import static dev.attentive.model.store.JsonFields.text;
import static dev.attentive.model.store.JsonFields.type;

import dev.attentive.api.FeatureSchema;
import dev.attentive.api.FeatureType;
import dev.attentive.api.FieldSpec;
import dev.attentive.model.ModelFormatException;
import dev.attentive.model.TwoTowerModelProvider;
import dev.attentive.model.features.FieldEncoder;
import dev.attentive.model.nn.TwoTowerModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code features.json}: per side, the feature schema and the field encoders (vocabularies in row
 * order, hash buckets, numeric statistics and bucket edges). Stateless.
 */
final class FeaturesFile {
    static final String NAME = "features.json";

    private FeaturesFile() {
    }

    /**
     * The schemas and encoders read back.
     *
     * @param userSchema the user feature schema
     * @param itemSchema the item feature schema
     * @param userFields the user encoders: id, schema fields, context fields
     * @param itemFields the item encoders: id, schema fields
     */
    record Contents(FeatureSchema userSchema, FeatureSchema itemSchema, List<FieldEncoder> userFields,
            List<FieldEncoder> itemFields) {
    }

    static byte[] write(TwoTowerModel model) {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(features(model));
    }

    private static ObjectNode features(TwoTowerModel model) {
        ObjectNode root = JSON.createObjectNode();
        side(root.putObject("user"), model.userSchema, model.user.fields);
        side(root.putObject("item"), model.itemSchema, model.item.fields);
        return root;
    }

    private static void side(ObjectNode node, FeatureSchema schema, List<FieldEncoder> encoders) {
        ArrayNode s = node.putArray("schema");
        for (FieldSpec f : schema.fields()) {
            s.addObject().put("name", f.name()).put("type", f.type().name());
        }
        ArrayNode enc = node.putArray("encoders");
        for (FieldEncoder e : encoders) {
            ObjectNode o = enc.addObject();
            o.put("name", e.name).put("type", e.type.name()).put("kind", e.kind.name());
            if (e.kind == FieldEncoder.Kind.VOCABULARY || e.kind == FieldEncoder.Kind.MULTI) {
                String[] byRow = new String[e.vocabulary.size()];
                e.vocabulary.forEach((value, row) -> byRow[row - 1] = value);
                ArrayNode v = o.putArray("vocabulary");
                for (String value : byRow) {
                    v.add(value);
                }
            }
            if (e.kind == FieldEncoder.Kind.HASHED) {
                o.put("hashBuckets", e.hashBuckets);
            }
            if (e.kind == FieldEncoder.Kind.STANDARDIZED) {
                o.put("mean", e.mean).put("std", e.std);
            }
            if (e.kind == FieldEncoder.Kind.BUCKETIZED) {
                ArrayNode edges = o.putArray("edges");
                for (double x : e.edges) {
                    edges.add(x);
                }
            }
        }
    }


    /** Reads the file and checks the encoders against the schemas and the config's context fields. */
    static Contents read(Path featuresFile, byte[] bytes, TwoTowerModelProvider.Config config)
            throws ModelFormatException {
        JsonNode features = JsonFields.parse(featuresFile, bytes);
        FeatureSchema userSchema = schema(object(features, "user", featuresFile), featuresFile, "user");
        FeatureSchema itemSchema = schema(object(features, "item", featuresFile), featuresFile, "item");
        List<FieldEncoder> userFields = encoders(object(features, "user", featuresFile), featuresFile, "user");
        List<FieldEncoder> itemFields = encoders(object(features, "item", featuresFile), featuresFile, "item");

        checkEncoders(featuresFile, "user", userFields, userSchema, config.context()
                ? List.of(TwoTowerModel.HOUR, TwoTowerModel.DAY_OF_WEEK) : List.of());
        checkEncoders(featuresFile, "item", itemFields, itemSchema, List.of());
        return new Contents(userSchema, itemSchema, userFields, itemFields);
    }

    private static FeatureSchema schema(JsonNode side, Path file, String which) throws ModelFormatException {
        List<FieldSpec> fields = new ArrayList<>();
        for (JsonNode f : array(side, "schema", file)) {
            String name = text(f, "name", file);
            fields.add(new FieldSpec(name, type(f, file, which + " field '" + name + "'")));
        }
        return new FeatureSchema(fields);
    }


    private static List<FieldEncoder> encoders(JsonNode side, Path file, String which) throws ModelFormatException {
        List<FieldEncoder> out = new ArrayList<>();
        for (JsonNode e : array(side, "encoders", file)) {
            String name = text(e, "name", file);
            String what = which + " field '" + name + "'";
            FeatureType type = type(e, file, what);
            FieldEncoder.Kind kind;
            try {
                kind = FieldEncoder.Kind.valueOf(text(e, "kind", file));
            } catch (IllegalArgumentException ex) {
                throw new ModelFormatException(file, what + " has unknown kind '" + e.path("kind").asString("") + "'");
            }
            Map<String, Integer> vocab = new LinkedHashMap<>();
            if (kind == FieldEncoder.Kind.VOCABULARY || kind == FieldEncoder.Kind.MULTI) {
                for (JsonNode v : array(e, "vocabulary", file)) {
                    if (vocab.put(v.asString(), vocab.size() + 1) != null) {
                        throw new ModelFormatException(file, what + " lists vocabulary value '" + v.asString()
                                + "' twice");
                    }
                }
            }
            double[] edges = new double[0];
            if (kind == FieldEncoder.Kind.BUCKETIZED) {
                JsonNode a = array(e, "edges", file);
                edges = new double[a.size()];
                for (int i = 0; i < edges.length; i++) {
                    edges[i] = a.get(i).asDouble();
                }
            }
            int buckets = kind == FieldEncoder.Kind.HASHED ? e.path("hashBuckets").asInt(0) : 0;
            if (kind == FieldEncoder.Kind.HASHED && buckets < 1) {
                throw new ModelFormatException(file, what + " is hashed but has no positive hashBuckets");
            }
            out.add(new FieldEncoder(name, type, kind, vocab, buckets, e.path("mean").asDouble(0),
                    e.path("std").asDouble(1), edges));
        }
        return out;
    }

    /** The id encoder first, then one per schema field in order, then the context fields. */
    private static void checkEncoders(Path file, String which, List<FieldEncoder> encoders, FeatureSchema schema,
            List<String> context) throws ModelFormatException {
        List<String> expected = new ArrayList<>();
        expected.add(which + "Id");
        schema.fields().forEach(f -> expected.add(f.name()));
        expected.addAll(context);
        List<String> actual = encoders.stream().map(e -> e.name).toList();
        if (!expected.equals(actual)) {
            throw new ModelFormatException(file, which + " encoders are " + actual + ", but the schema and config "
                    + "need " + expected);
        }
        for (FieldSpec f : schema.fields()) {
            FieldEncoder e = encoders.get(expected.indexOf(f.name()));
            if (e.type != f.type()) {
                throw new ModelFormatException(file, which + " field '" + f.name() + "' is " + f.type()
                        + " in the schema but its encoder is " + e.type);
            }
        }
    }

}
