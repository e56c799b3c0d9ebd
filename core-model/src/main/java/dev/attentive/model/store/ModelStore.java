package dev.attentive.model.store;

import dev.attentive.api.FeatureSchema;
import dev.attentive.api.FeatureType;
import dev.attentive.api.FeatureValue;
import dev.attentive.api.Features;
import dev.attentive.api.FieldSpec;
import dev.attentive.api.ItemId;
import dev.attentive.api.Parameter;
import dev.attentive.api.UserId;
import dev.attentive.api.spi.ConfigException;
import dev.attentive.api.spi.Configs;
import dev.attentive.api.spi.Provider;
import dev.attentive.api.spi.ProviderRegistry;
import dev.attentive.api.spi.UnknownProviderException;
import dev.attentive.model.Kernels;
import dev.attentive.model.ModelFormatException;
import dev.attentive.model.TwoTowerModelProvider;
import dev.attentive.model.TwoTowerModels;
import dev.attentive.model.features.FieldEncoder;
import dev.attentive.model.nn.TwoTowerModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Writes and reads the two-tower file set described in {@link TwoTowerModels}. Stateless. */
public final class ModelStore {
    static final String MODEL_JSON = "model.json";
    static final String WEIGHTS = "weights.bin";
    static final String FEATURES = "features.json";
    static final String ENTITIES = "entities.json";
    private static final List<String> DATA_FILES = List.of(WEIGHTS, FEATURES, ENTITIES);
    private static final int WEIGHTS_LAYOUT = 1;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ModelStore() {
    }

    // ---- save -----------------------------------------------------------------------------

    public static void save(TwoTowerModel model, Path dir) throws IOException {
        Map<String, Parameter> params = model.namedParameters();
        for (var e : params.entrySet()) {
            if (!Kernels.allFinite(e.getValue().values(), e.getValue().size())) {
                throw new IllegalArgumentException("Parameter " + e.getKey() + " is not finite: the model diverged "
                        + "and is not written");
            }
        }
        Path target = dir.toAbsolutePath().normalize();
        if (Files.exists(target)) {
            if (!Files.isDirectory(target)) {
                throw new IllegalArgumentException("Cannot save the model to " + target + ": it is a file; "
                        + "name a new directory");
            }
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(target)) {
                if (entries.iterator().hasNext()) {
                    throw new IllegalArgumentException("Cannot save the model to " + target + ": the directory is "
                            + "not empty; name a new directory or delete it first");
                }
            }
        }
        Path parent = target.getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, "." + target.getFileName() + ".tmp-");
        try {
            Map<String, byte[]> files = new LinkedHashMap<>();
            files.put(WEIGHTS, weights(params));
            files.put(FEATURES, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(features(model)));
            files.put(ENTITIES, JSON.writeValueAsBytes(entities(model)));
            ObjectNode manifest = manifest(model, files);
            files.put(MODEL_JSON, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
            for (var f : files.entrySet()) {
                Files.write(tmp.resolve(f.getKey()), f.getValue());
            }
            if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
                // createTempDirectory makes it owner-only; a model directory is ordinary data.
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            if (Files.exists(target)) {
                Files.delete(target); // checked empty above
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            if (Files.exists(tmp)) {
                deleteTree(tmp);
            }
        }
    }

    private static void deleteTree(Path tmp) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(tmp)) {
            for (Path p : entries) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(tmp);
    }

    private static ObjectNode manifest(TwoTowerModel model, Map<String, byte[]> files) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", TwoTowerModels.FORMAT);
        root.put("formatVersion", TwoTowerModels.FORMAT_VERSION);
        ObjectNode library = root.putObject("library");
        library.put("name", "attentive-core-model");
        library.put("version", libraryVersion());
        ObjectNode java = root.putObject("java");
        java.put("version", System.getProperty("java.version"));
        java.put("vendor", System.getProperty("java.vendor"));
        root.put("savedAt", Instant.now().toString());
        ObjectNode provenance = root.putObject("provenance");
        model.provenance.forEach(provenance::put);
        ObjectNode m = root.putObject("model");
        m.put("provider", TwoTowerModelProvider.NAME);
        ObjectNode config = m.putObject("config");
        Configs.settings(model.config).forEach(config::put);
        ObjectNode plugins = root.putObject("plugins");
        TwoTowerModelProvider.Config c = model.config;
        plugin(plugins, "user.attention", ProviderRegistry.attention().get(c.attention()));
        plugin(plugins, "item.attention", ProviderRegistry.attention().get(c.attention()));
        plugin(plugins, "user.tower", ProviderRegistry.towers().get(c.tower()));
        plugin(plugins, "item.tower", ProviderRegistry.towers().get(c.tower()));
        if (c.hasHistory()) {
            plugin(plugins, "user.historyAttention", ProviderRegistry.attention().get(c.historyAttention()));
        }
        plugin(plugins, "retriever", ProviderRegistry.retrievers().get(c.retriever()));
        ObjectNode list = root.putObject("files");
        for (var f : files.entrySet()) {
            ObjectNode entry = list.putObject(f.getKey());
            entry.put("bytes", f.getValue().length);
            entry.put("sha256", sha256(f.getValue()));
        }
        return root;
    }

    private static void plugin(ObjectNode plugins, String place, Provider<?> provider) {
        ObjectNode p = plugins.putObject(place);
        p.put("name", provider.name());
        p.put("formatVersion", provider.formatVersion());
    }

    /** The library version from the build (filtered resource), or "unknown" when run unpackaged. */
    static String libraryVersion() {
        try (InputStream in = ModelStore.class.getResourceAsStream("attentive-model.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] weights(Map<String, Parameter> params) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer header = le(12);
        header.put(TwoTowerModels.WEIGHTS_MAGIC.getBytes(StandardCharsets.US_ASCII)).putInt(WEIGHTS_LAYOUT)
                .putInt(params.size());
        out.writeBytes(header.array());
        for (var e : params.entrySet()) {
            byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
            int[] shape = e.getValue().shape();
            float[] values = e.getValue().values();
            ByteBuffer b = le(4 + name.length + 4 + 4 * shape.length + 4 * values.length);
            b.putInt(name.length).put(name).putInt(shape.length);
            for (int d : shape) {
                b.putInt(d);
            }
            b.asFloatBuffer().put(values);
            out.writeBytes(b.array());
        }
        return out.toByteArray();
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
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

    private static ObjectNode features(Features features) {
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

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    // ---- load -----------------------------------------------------------------------------

    public static TwoTowerModel load(Path dir) throws IOException {
        Path manifestFile = dir.resolve(MODEL_JSON);
        if (!Files.isDirectory(dir)) {
            throw new ModelFormatException(dir, "not a directory; name the directory a model was saved to");
        }
        byte[] manifestBytes;
        try {
            manifestBytes = Files.readAllBytes(manifestFile);
        } catch (NoSuchFileException e) {
            throw new ModelFormatException(manifestFile, "missing: " + dir + " is not a saved two-tower model");
        }
        JsonNode manifest = parse(manifestFile, manifestBytes);
        String format = text(manifest, "format", manifestFile);
        if (!TwoTowerModels.FORMAT.equals(format)) {
            throw new ModelFormatException(manifestFile, "format is '" + format + "', expected '"
                    + TwoTowerModels.FORMAT + "'");
        }
        int version = integer(manifest, "formatVersion", manifestFile);
        if (version < 1 || version > TwoTowerModels.FORMAT_VERSION) {
            throw new ModelFormatException(manifestFile, "format version " + version + " is not supported: this "
                    + "library (" + libraryVersion() + ") reads versions 1 to " + TwoTowerModels.FORMAT_VERSION
                    + (version > TwoTowerModels.FORMAT_VERSION ? "; load it with the newer library that saved it" : ""));
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        JsonNode list = object(manifest, "files", manifestFile);
        for (String name : DATA_FILES) {
            JsonNode entry = list.get(name);
            if (entry == null || !entry.isObject()) {
                throw new ModelFormatException(manifestFile, "lists no checksum for " + name);
            }
            Path file = dir.resolve(name);
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (NoSuchFileException e) {
                throw new ModelFormatException(file, "missing; the model directory is incomplete");
            }
            long expected = entry.path("bytes").asLong(-1);
            if (bytes.length < expected) {
                throw new ModelFormatException(file, "truncated: " + bytes.length + " bytes, expected " + expected);
            }
            if (bytes.length != expected) {
                throw new ModelFormatException(file, "has " + bytes.length + " bytes, expected " + expected);
            }
            String sha = sha256(bytes);
            String expectedSha = entry.path("sha256").asString("");
            if (!sha.equals(expectedSha)) {
                throw new ModelFormatException(file, "checksum mismatch: SHA-256 is " + sha + " but model.json "
                        + "records " + expectedSha + "; the file is corrupt or was modified");
            }
            files.put(name, bytes);
        }
        JsonNode m = object(manifest, "model", manifestFile);
        String provider = text(m, "provider", manifestFile);
        if (!TwoTowerModelProvider.NAME.equals(provider)) {
            throw new ModelFormatException(manifestFile, "model.provider is '" + provider + "', expected '"
                    + TwoTowerModelProvider.NAME + "'");
        }
        Map<String, String> settings = new LinkedHashMap<>();
        for (var e : object(m, "config", manifestFile).properties()) {
            settings.put(e.getKey(), e.getValue().asString());
        }
        TwoTowerModelProvider.Config config;
        try {
            config = new TwoTowerModelProvider().configure(settings);
        } catch (ConfigException e) {
            throw new ModelFormatException(manifestFile, "model.config is invalid: " + e.getMessage());
        }
        checkPlugins(manifestFile, object(manifest, "plugins", manifestFile), config);
        Map<String, String> provenance = new LinkedHashMap<>();
        JsonNode prov = manifest.get("provenance");
        if (prov != null && prov.isObject()) {
            for (var e : prov.properties()) {
                provenance.put(e.getKey(), e.getValue().asString());
            }
        }

        Path featuresFile = dir.resolve(FEATURES);
        JsonNode features = parse(featuresFile, files.get(FEATURES));
        FeatureSchema userSchema = schema(object(features, "user", featuresFile), featuresFile, "user");
        FeatureSchema itemSchema = schema(object(features, "item", featuresFile), featuresFile, "item");
        List<FieldEncoder> userFields = encoders(object(features, "user", featuresFile), featuresFile, "user");
        List<FieldEncoder> itemFields = encoders(object(features, "item", featuresFile), featuresFile, "item");

        checkEncoders(featuresFile, "user", userFields, userSchema, config.context()
                ? List.of(TwoTowerModel.HOUR, TwoTowerModel.DAY_OF_WEEK) : List.of());
        checkEncoders(featuresFile, "item", itemFields, itemSchema, List.of());

        Path entitiesFile = dir.resolve(ENTITIES);
        JsonNode entities = parse(entitiesFile, files.get(ENTITIES));
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

        TwoTowerModel model;
        try {
            model = new TwoTowerModel(config, userSchema, itemSchema, userFields, itemFields, items, itemFeatures,
                    users, userFeatures, userItems, counts, 0, provenance);
        } catch (UnknownProviderException | ConfigException e) {
            throw new ModelFormatException(manifestFile, "cannot re-create a plugin: " + e.getMessage());
        }
        readWeights(dir.resolve(WEIGHTS), files.get(WEIGHTS), model.namedParameters());
        return model;
    }

    private static void checkPlugins(Path file, JsonNode plugins, TwoTowerModelProvider.Config c)
            throws ModelFormatException {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("user.attention", c.attention());
        expected.put("item.attention", c.attention());
        expected.put("user.tower", c.tower());
        expected.put("item.tower", c.tower());
        if (c.hasHistory()) {
            expected.put("user.historyAttention", c.historyAttention());
        }
        expected.put("retriever", c.retriever());
        for (var e : expected.entrySet()) {
            JsonNode p = plugins.get(e.getKey());
            if (p == null) {
                throw new ModelFormatException(file, "plugins lacks '" + e.getKey() + "'");
            }
            Provider<?> provider;
            try {
                provider = switch (e.getKey()) {
                    case "user.tower", "item.tower" -> ProviderRegistry.towers().get(e.getValue());
                    case "retriever" -> ProviderRegistry.retrievers().get(e.getValue());
                    default -> ProviderRegistry.attention().get(e.getValue());
                };
            } catch (UnknownProviderException ex) {
                throw new ModelFormatException(file, "plugin " + e.getKey() + " '" + e.getValue()
                        + "' is not available: " + ex.getMessage());
            }
            int saved = p.path("formatVersion").asInt(1);
            if (saved > provider.formatVersion() && !e.getKey().equals("retriever")) {
                throw new ModelFormatException(file, "plugin " + e.getKey() + " '" + provider.name()
                        + "' saved format version " + saved + ", but the installed plugin reads up to "
                        + provider.formatVersion() + "; install the plugin version that saved the model");
            }
        }
    }

    private static FeatureSchema schema(JsonNode side, Path file, String which) throws ModelFormatException {
        List<FieldSpec> fields = new ArrayList<>();
        for (JsonNode f : array(side, "schema", file)) {
            String name = text(f, "name", file);
            fields.add(new FieldSpec(name, type(f, file, which + " field '" + name + "'")));
        }
        return new FeatureSchema(fields);
    }

    private static FeatureType type(JsonNode node, Path file, String what) throws ModelFormatException {
        String t = text(node, "type", file);
        try {
            return FeatureType.valueOf(t);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file, what + " has unknown type '" + t + "' (known: "
                    + Arrays.toString(FeatureType.values()) + ")");
        }
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

    private static Features features(JsonNode node, FeatureSchema schema, Path file, String where)
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

    static void readWeights(Path file, byte[] bytes, Map<String, Parameter> params) throws ModelFormatException {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        try {
            byte[] magic = new byte[4];
            b.get(magic);
            if (!TwoTowerModels.WEIGHTS_MAGIC.equals(new String(magic, StandardCharsets.US_ASCII))) {
                throw new ModelFormatException(file, "does not start with the magic "
                        + TwoTowerModels.WEIGHTS_MAGIC + "; it is not a weights file");
            }
            int layout = b.getInt();
            if (layout != WEIGHTS_LAYOUT) {
                throw new ModelFormatException(file, "weights layout version " + layout + " is not supported "
                        + "(this library reads " + WEIGHTS_LAYOUT + ")");
            }
            int count = b.getInt();
            Map<String, Parameter> remaining = new LinkedHashMap<>(params);
            for (int t = 0; t < count; t++) {
                int nameLength = b.getInt();
                if (nameLength < 1 || nameLength > b.remaining()) {
                    throw new ModelFormatException(file, "tensor " + t + " has an invalid name length " + nameLength);
                }
                byte[] nameBytes = new byte[nameLength];
                b.get(nameBytes);
                String name = new String(nameBytes, StandardCharsets.UTF_8);
                int rank = b.getInt();
                if (rank < 1 || rank > 8) {
                    throw new ModelFormatException(file, "tensor " + name + " has an invalid rank " + rank);
                }
                int[] shape = new int[rank];
                long size = 1;
                for (int d = 0; d < rank; d++) {
                    shape[d] = b.getInt();
                    size *= Math.max(0, shape[d]);
                }
                Parameter p = remaining.remove(name);
                if (p == null) {
                    throw new ModelFormatException(file, "tensor " + name + " is not a parameter of the model its "
                            + "config builds (expected one of " + params.keySet() + ")");
                }
                if (!Arrays.equals(shape, p.shape())) {
                    throw new ModelFormatException(file, "tensor " + name + " has shape " + Arrays.toString(shape)
                            + ", but the model its config and vocabularies build needs " + Arrays.toString(p.shape()));
                }
                if (size * 4 > b.remaining()) {
                    throw new java.nio.BufferUnderflowException();
                }
                b.asFloatBuffer().get(p.values(), 0, (int) size);
                b.position(b.position() + (int) size * 4);
            }
            if (!remaining.isEmpty()) {
                throw new ModelFormatException(file, "lacks tensors " + remaining.keySet());
            }
            if (b.hasRemaining()) {
                throw new ModelFormatException(file, b.remaining() + " unexpected bytes after the last tensor");
            }
        } catch (java.nio.BufferUnderflowException e) {
            throw new ModelFormatException(file, "truncated: it ends inside a tensor");
        }
    }

    // ---- JSON helpers -----------------------------------------------------------------------

    private static JsonNode parse(Path file, byte[] bytes) throws ModelFormatException {
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

    private static String text(JsonNode node, String field, Path file) throws ModelFormatException {
        JsonNode v = node.get(field);
        if (v == null || !v.isString()) {
            throw new ModelFormatException(file, "lacks the string field '" + field + "'");
        }
        return v.asString();
    }

    private static int integer(JsonNode node, String field, Path file) throws ModelFormatException {
        JsonNode v = node.get(field);
        if (v == null || !v.isIntegralNumber()) {
            throw new ModelFormatException(file, "lacks the integer field '" + field + "'");
        }
        return v.asInt();
    }

    private static JsonNode object(JsonNode node, String field, Path file) throws ModelFormatException {
        JsonNode v = node.get(field);
        if (v == null || !v.isObject()) {
            throw new ModelFormatException(file, "lacks the object '" + field + "'");
        }
        return v;
    }

    private static JsonNode array(JsonNode node, String field, Path file) throws ModelFormatException {
        JsonNode v = node.get(field);
        if (v == null || !v.isArray()) {
            throw new ModelFormatException(file, "lacks the array '" + field + "'");
        }
        return v;
    }
}
