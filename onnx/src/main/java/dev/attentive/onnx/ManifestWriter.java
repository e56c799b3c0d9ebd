package dev.attentive.onnx;

import dev.attentive.model.TwoTowerModelProvider;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes {@code manifest.json}: per graph its inputs (name, dtype, shape) and how a raw feature value
 * becomes each one, its output, the similarity and the item tower's fingerprint — what a service
 * without Attentive needs to embed users and items. Stateless.
 */
final class ManifestWriter {
    /** The manifest's format name. */
    static final String FORMAT = "attentive-onnx-towers";
    /** The manifest's format version. */
    static final int FORMAT_VERSION = 1;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ManifestWriter() {
    }

    static byte[] write(SavedTwoTower saved, String fingerprint, String version, TowerGraph.Built user,
            TowerGraph.Built item) {
        TwoTowerModelProvider.Config c = saved.config();
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT).put("formatVersion", FORMAT_VERSION);
        root.putObject("exportedBy").put("name", "attentive-onnx").put("version", version);
        ObjectNode model = root.putObject("model");
        model.put("directory", saved.dir().toString()).put("format", "attentive-two-tower")
                .put("savedBy", saved.libraryVersion());
        ObjectNode provenance = model.putObject("provenance");
        new java.util.TreeMap<>(saved.provenance()).forEach(provenance::put);
        model.putObject("config").put("dim", c.dim()).put("attention", c.attention())
                .put("attentionSettings", c.attentionSettings()).put("historyAttention", c.historyAttention())
                .put("historyAttentionSettings", c.historyAttentionSettings()).put("historyLength", c.historyLength())
                .put("tower", c.tower()).put("userWidths", c.userWidths().toString())
                .put("itemWidths", c.itemWidths().toString()).put("activation", c.activation())
                .put("context", c.context());
        root.put("itemTowerFingerprint", fingerprint);
        root.put("dimension", c.dim());
        root.put("similarity", "DOT_PRODUCT");
        root.put("similarityNote", "Both towers output unit (L2-normalised) vectors; a user's score for an item is "
                + "the dot product of their vectors (equal to the cosine). To index item vectors elsewhere use "
                + "inner product (OpenSearch knn_vector: space_type innerproduct) and keep itemTowerFingerprint "
                + "with the index: a model with another fingerprint embeds items differently.");
        root.putObject("onnx").put("opset", org.tribuo.util.onnx.ONNXOperators.getOpsetVersion()).put("irVersion", 8);
        ObjectNode rules = root.putObject("encoding");
        rules.put("batch", "Every input's first dimension is the batch; one row per user or item.");
        rules.put("int64", "An index input holds table rows: 1 + the value's position in the input's vocabulary; "
                + "-1 means missing (the field is left out: a zero vector, masked out of the attention).");
        rules.put("float64", "A numeric input holds the raw value; NaN means missing.");
        ObjectNode towers = root.putObject("towers");
        tower(towers.putObject("user"), OnnxExport.USER_TOWER_FILE, user, c, saved);
        tower(towers.putObject("item"), OnnxExport.ITEM_TOWER_FILE, item, c, saved);
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    }

    private static void tower(ObjectNode node, String file, TowerGraph.Built built, TwoTowerModelProvider.Config c,
            SavedTwoTower saved) {
        node.put("file", file);
        ArrayNode inputs = node.putArray("inputs");
        for (TowerGraph.Input in : built.inputs()) {
            ObjectNode o = inputs.addObject();
            o.put("name", in.name()).put("dtype", in.dtype());
            shape(o.putArray("shape"), in.shape());
            if (in.field() == null) {
                history(o, c, saved);
            } else {
                field(o, in.field(), c);
            }
        }
        ObjectNode out = node.putObject("output");
        out.put("name", built.output()).put("dtype", "float32");
        shape(out.putArray("shape"), List.of("batch", c.dim()));
        out.put("normalised", "L2, unit length (a zero vector stays zero)");
    }

    private static void field(ObjectNode o, SavedField f, TwoTowerModelProvider.Config c) {
        boolean id = f.name().equals("userId") || f.name().equals("itemId");
        o.put("field", f.name()).put("idField", id).put("featureType", f.type()).put("encoding", f.kind().name().toLowerCase(java.util.Locale.ROOT));
        switch (f.kind()) {
            case VOCABULARY -> {
                vocabulary(o, f);
                o.put("rule", id
                        ? "index = 1 + the id's position in vocabulary; an id not in it (" + (f.name().equals("userId")
                                ? "a user" : "an item") + " the model was not trained on) = -1: the id field is missing, "
                                + "as in the library"
                        : "index = 1 + the value's position in vocabulary; a value not in it = 0 (the "
                                + "out-of-vocabulary row); missing = -1"
                                + (context(f, c) ? contextNote(f) : ""));
            }
            case HASHED -> o.put("hashBuckets", f.hashBuckets()).put("rule", "index = 1 + floorMod(h, hashBuckets), "
                    + "h = FNV-1a 32-bit over the value's UTF-8 bytes (offset basis 0x811c9dc5, prime 0x01000193, "
                    + "xor then multiply per byte, wrapping), read as a signed 32-bit integer; missing = -1");
            case MULTI -> {
                vocabulary(o, f);
                o.put("rule", "one column per value of the list, in order, duplicates included: 1 + the value's "
                        + "position in vocabulary, 0 when not in it; pad every row with -1 to the batch's widest list "
                        + "(at least one column); an absent or empty list = all -1. The graph averages the values' rows.");
            }
            case STANDARDIZED -> o.put("mean", f.mean()).put("std", f.std()).put("rule", "the raw value as float64 "
                    + "(NaN = missing); the graph computes z = (x - mean) / std and weighs the field's two rows "
                    + "by z and 1");
            case BUCKETIZED -> {
                ArrayNode edges = o.putArray("edges");
                for (double e : f.edges()) {
                    edges.add(e);
                }
                o.put("rule", "the raw value as float64 (NaN = missing); the graph takes the row of bucket b = the "
                        + "number of edges strictly below the value");
            }
            default -> throw new IllegalStateException(f.kind().toString());
        }
    }

    private static boolean context(SavedField f, TwoTowerModelProvider.Config c) {
        return c.context() && (f.name().equals("hour") || f.name().equals("dayOfWeek"));
    }

    private static String contextNote(SavedField f) {
        return f.name().equals("hour") ? ". Context field: the request's hour of day in UTC, 0..23, as text"
                : ". Context field: the request's day of week in UTC, 0 = Monday .. 6 = Sunday, as text";
    }

    private static void history(ObjectNode o, TwoTowerModelProvider.Config c, SavedTwoTower saved) {
        o.put("encoding", "history").put("historyLength", c.historyLength()).put("historyAttention", c.historyAttention());
        o.put("vocabularyOf", "the item tower's input '" + saved.itemFields().get(0).name() + "'");
        o.put("rule", "the user's recent items, most recent first: each item's index in the item tower's "
                + saved.itemFields().get(0).name() + " vocabulary (1 + position); items not in it are skipped and take "
                + "no column; at most historyLength; pad with -1; no history = all -1. For a user the model was "
                + "trained on, the library uses that user's training items, the most recent historyLength of them");
    }

    private static void vocabulary(ObjectNode o, SavedField f) {
        ArrayNode v = o.putArray("vocabulary");
        f.vocabulary().forEach(v::add);
    }

    private static void shape(ArrayNode a, List<Object> shape) {
        for (Object d : shape) {
            if (d instanceof Integer n) {
                a.add(n);
            } else {
                a.add((String) d);
            }
        }
    }
}
