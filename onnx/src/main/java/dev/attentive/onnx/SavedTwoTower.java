package dev.attentive.onnx;

import dev.attentive.model.ModelFormatException;
import dev.attentive.model.TwoTowerModelProvider;
import dev.attentive.model.TwoTowerModels;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The parts of a saved two-tower model directory that the towers are made of, read from the
 * documented file set ({@code core-model/MODEL-FORMAT.md}): the resolved config from
 * {@code model.json}, the field encoders from {@code features.json} and the tensors from
 * {@code weights.bin}. The caller checks the directory with {@link TwoTowerModels#load} first (sizes,
 * checksums, versions, plugins), so these reads only re-check what they rely on. Immutable.
 *
 * @param dir the model directory
 * @param config the config the model was trained with, bound as loading binds it
 * @param provenance the provenance entries of {@code model.json}
 * @param libraryVersion the library version that saved the model
 * @param userFields the user encoders: id, schema fields, context fields
 * @param itemFields the item encoders: id, schema fields
 * @param tensors every tensor of {@code weights.bin} by its qualified name
 */
record SavedTwoTower(Path dir, TwoTowerModelProvider.Config config, Map<String, String> provenance,
        String libraryVersion, List<SavedField> userFields, List<SavedField> itemFields, Map<String, Tensor> tensors) {

    static final String MANIFEST = "model.json";
    static final String FEATURES = "features.json";
    static final String WEIGHTS = "weights.bin";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * A row-major float tensor.
     *
     * @param shape the dimensions
     * @param values the values, row-major
     */
    record Tensor(int[] shape, float[] values) {
    }

    /**
     * The {@code format} that {@code model.json} names, read before anything else so that a
     * directory of another kind is refused with a message that says what to export instead.
     */
    static String format(Path dir) throws IOException {
        Path file = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(file)) {
            throw new ModelFormatException(file, "is missing; --model must name a directory saved by "
                    + "TwoTowerModels.save (attentive recommend --save)");
        }
        return text(parse(file), "format", file);
    }

    /** Reads the files of a directory that {@link TwoTowerModels#load} accepted. */
    static SavedTwoTower read(Path dir) throws IOException {
        Path manifestFile = dir.resolve(MANIFEST);
        JsonNode manifest = parse(manifestFile);
        JsonNode model = object(manifest, "model", manifestFile);
        Map<String, String> settings = new LinkedHashMap<>();
        for (var e : object(model, "config", manifestFile).properties()) {
            settings.put(e.getKey(), e.getValue().asString());
        }
        TwoTowerModelProvider.Config config = new TwoTowerModelProvider().configure(settings);
        Map<String, String> provenance = new LinkedHashMap<>();
        JsonNode p = manifest.get("provenance");
        if (p != null && p.isObject()) {
            for (var e : p.properties()) {
                provenance.put(e.getKey(), e.getValue().asString());
            }
        }
        JsonNode library = manifest.get("library");
        String version = library == null ? "" : library.path("version").asString("");

        Path featuresFile = dir.resolve(FEATURES);
        JsonNode features = parse(featuresFile);
        List<SavedField> user = fields(object(features, "user", featuresFile), featuresFile, "user");
        List<SavedField> item = fields(object(features, "item", featuresFile), featuresFile, "item");
        Map<String, Tensor> tensors = weights(dir.resolve(WEIGHTS));
        return new SavedTwoTower(dir, config, Map.copyOf(provenance), version, user, item, Map.copyOf(tensors));
    }

    /**
     * A tensor the export needs.
     *
     * @param name the qualified name in {@code weights.bin}
     * @param shape the shape the config implies
     * @throws ModelFormatException naming the file and tensor when it is missing or of another shape
     */
    Tensor tensor(String name, int... shape) throws ModelFormatException {
        Tensor t = tensors.get(name);
        Path file = dir.resolve(WEIGHTS);
        if (t == null) {
            throw new ModelFormatException(file, "lacks tensor '" + name + "'");
        }
        if (!java.util.Arrays.equals(t.shape(), shape)) {
            throw new ModelFormatException(file, "tensor '" + name + "' has shape " + java.util.Arrays.toString(t.shape())
                    + ", but the config implies " + java.util.Arrays.toString(shape));
        }
        return t;
    }

    private static List<SavedField> fields(JsonNode side, Path file, String which) throws ModelFormatException {
        JsonNode encoders = side.get("encoders");
        if (encoders == null || !encoders.isArray()) {
            throw new ModelFormatException(file, which + " lacks the array 'encoders'");
        }
        List<SavedField> out = new ArrayList<>();
        for (JsonNode e : encoders) {
            String name = text(e, "name", file);
            String what = which + " field '" + name + "'";
            SavedField.Kind kind;
            try {
                kind = SavedField.Kind.valueOf(text(e, "kind", file));
            } catch (IllegalArgumentException ex) {
                throw new ModelFormatException(file, what + " has kind '" + e.path("kind").asString("")
                        + "', which this exporter does not know (known: VOCABULARY, HASHED, MULTI, STANDARDIZED, "
                        + "BUCKETIZED)");
            }
            List<String> vocabulary = new ArrayList<>();
            JsonNode v = e.get("vocabulary");
            if (v != null && v.isArray()) {
                v.forEach(x -> vocabulary.add(x.asString()));
            }
            double[] edges = new double[0];
            JsonNode a = e.get("edges");
            if (a != null && a.isArray()) {
                edges = new double[a.size()];
                for (int i = 0; i < edges.length; i++) {
                    edges[i] = a.get(i).asDouble();
                }
            }
            out.add(new SavedField(name, text(e, "type", file), kind, vocabulary, e.path("hashBuckets").asInt(0),
                    e.path("mean").asDouble(0), e.path("std").asDouble(1), edges));
        }
        return out;
    }

    /** The tensors of {@code weights.bin}, in the layout of {@link TwoTowerModels#WEIGHTS_MAGIC}. */
    private static Map<String, Tensor> weights(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        try {
            byte[] magic = new byte[4];
            b.get(magic);
            if (!TwoTowerModels.WEIGHTS_MAGIC.equals(new String(magic, StandardCharsets.US_ASCII)) || b.getInt() != 1) {
                throw new ModelFormatException(file, "is not a weights file of layout 1 (magic "
                        + TwoTowerModels.WEIGHTS_MAGIC + ")");
            }
            int count = b.getInt();
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (int t = 0; t < count; t++) {
                byte[] name = new byte[b.getInt()];
                b.get(name);
                int[] shape = new int[b.getInt()];
                long size = 1;
                for (int d = 0; d < shape.length; d++) {
                    shape[d] = b.getInt();
                    size *= shape[d];
                }
                float[] values = new float[Math.toIntExact(size)];
                b.asFloatBuffer().get(values);
                b.position(b.position() + 4 * values.length);
                out.put(new String(name, StandardCharsets.UTF_8), new Tensor(shape, values));
            }
            return out;
        } catch (java.nio.BufferUnderflowException | IllegalArgumentException | ArithmeticException
                | NegativeArraySizeException | IndexOutOfBoundsException e) {
            throw new ModelFormatException(file, "is truncated or corrupt: " + e);
        }
    }

    private static JsonNode parse(Path file) throws IOException {
        try {
            JsonNode node = JSON.readTree(Files.readAllBytes(file));
            if (node == null || !node.isObject()) {
                throw new ModelFormatException(file, "is not a JSON object");
            }
            return node;
        } catch (JacksonException e) {
            throw new ModelFormatException(file, "is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static String text(JsonNode node, String field, Path file) throws ModelFormatException {
        JsonNode v = node.get(field);
        if (v == null || !v.isString()) {
            throw new ModelFormatException(file, "lacks the string field '" + field + "'");
        }
        return v.asString();
    }

    private static JsonNode object(JsonNode node, String field, Path file) throws ModelFormatException {
        JsonNode v = node.get(field);
        if (v == null || !v.isObject()) {
            throw new ModelFormatException(file, "lacks the object '" + field + "'");
        }
        return v;
    }
}
