package dev.attentive.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import dev.attentive.api.FeatureValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Builds the graphs' inputs from raw entities by following {@code manifest.json} alone, as a service
 * without Attentive would: it reads no library class, so the parity test also tests the manifest.
 */
final class ManifestInputs {
    /**
     * A user or item as a service sees it.
     *
     * @param id the user or item id
     * @param features the raw feature values by field name (absent = missing)
     * @param recentItems the user's recent item ids, most recent first (users only; empty = none)
     */
    record Entity(String id, Map<String, FeatureValue> features, List<String> recentItems) {
    }

    private final JsonNode manifest;

    ManifestInputs(JsonNode manifest) {
        this.manifest = manifest;
    }

    /** The tensors of one tower's inputs for a batch; the caller closes them. */
    Map<String, OnnxTensor> tensors(OrtEnvironment env, String tower, List<Entity> batch) throws OrtException {
        Map<String, OnnxTensor> out = new LinkedHashMap<>();
        for (JsonNode in : manifest.get("towers").get(tower).get("inputs")) {
            String name = in.get("name").asString();
            String encoding = in.get("encoding").asString();
            switch (encoding) {
                case "vocabulary", "hashed" -> {
                    long[][] x = new long[batch.size()][1];
                    for (int b = 0; b < batch.size(); b++) {
                        Entity e = batch.get(b);
                        String value = in.get("idField").asBoolean() ? e.id() : categorical(e.features().get(name));
                        x[b][0] = value == null ? -1 : encoding.equals("hashed")
                                ? 1 + Math.floorMod(fnv1a(value), in.get("hashBuckets").asInt())
                                : index(in, value, in.get("idField").asBoolean() ? -1 : 0);
                    }
                    out.put(name, OnnxTensor.createTensor(env, x));
                }
                case "multi" -> {
                    List<long[]> rows = new ArrayList<>();
                    int width = 1;
                    for (Entity e : batch) {
                        FeatureValue v = e.features().get(name);
                        List<String> values = v == null ? List.of() : ((FeatureValue.MultiCategorical) v).values();
                        long[] r = new long[values.size()];
                        for (int i = 0; i < r.length; i++) {
                            r[i] = index(in, values.get(i), 0);
                        }
                        rows.add(r);
                        width = Math.max(width, r.length);
                    }
                    long[][] x = new long[batch.size()][width];
                    for (int b = 0; b < batch.size(); b++) {
                        java.util.Arrays.fill(x[b], -1);
                        System.arraycopy(rows.get(b), 0, x[b], 0, rows.get(b).length);
                    }
                    out.put(name, OnnxTensor.createTensor(env, x));
                }
                case "standardized", "bucketized" -> {
                    double[][] x = new double[batch.size()][1];
                    for (int b = 0; b < batch.size(); b++) {
                        FeatureValue v = batch.get(b).features().get(name);
                        x[b][0] = v == null ? Double.NaN : ((FeatureValue.Numeric) v).value();
                    }
                    out.put(name, OnnxTensor.createTensor(env, x));
                }
                case "history" -> {
                    int length = in.get("historyLength").asInt();
                    JsonNode itemId = null;
                    for (JsonNode i : manifest.get("towers").get("item").get("inputs")) {
                        if (i.path("idField").asBoolean()) {
                            itemId = i;
                        }
                    }
                    long[][] x = new long[batch.size()][length];
                    for (int b = 0; b < batch.size(); b++) {
                        java.util.Arrays.fill(x[b], -1);
                        int n = 0;
                        for (String item : batch.get(b).recentItems()) {
                            long row = index(itemId, item, -1);
                            if (row >= 0 && n < length) {
                                x[b][n++] = row;
                            }
                        }
                    }
                    out.put(name, OnnxTensor.createTensor(env, x));
                }
                default -> throw new IllegalStateException("manifest input " + name + " has encoding " + encoding);
            }
        }
        return out;
    }

    private static String categorical(FeatureValue v) {
        return v == null ? null : ((FeatureValue.Categorical) v).value();
    }

    private final Map<JsonNode, Map<String, Long>> vocabularies = new java.util.IdentityHashMap<>();

    private long index(JsonNode input, String value, long unknown) {
        Map<String, Long> vocabulary = vocabularies.computeIfAbsent(input, in -> {
            Map<String, Long> m = new HashMap<>();
            JsonNode v = in.get("vocabulary");
            for (int i = 0; i < v.size(); i++) {
                m.put(v.get(i).asString(), (long) i + 1);
            }
            return m;
        });
        return vocabulary.getOrDefault(value, unknown);
    }

    /** FNV-1a 32-bit of the UTF-8 bytes, as the manifest describes it. */
    private static int fnv1a(String s) {
        int h = 0x811c9dc5;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x01000193;
        }
        return h;
    }
}
