package dev.attentive.model.store;

import static dev.attentive.model.store.JsonFields.JSON;
import static dev.attentive.model.store.JsonFields.integer;
import static dev.attentive.model.store.JsonFields.object;
import static dev.attentive.model.store.JsonFields.text;

import dev.attentive.api.spi.ConfigException;
import dev.attentive.api.spi.Configs;
import dev.attentive.api.spi.Provider;
import dev.attentive.api.spi.ProviderRegistry;
import dev.attentive.api.spi.UnknownProviderException;
import dev.attentive.model.ModelFormatException;
import dev.attentive.model.TwoTowerModelProvider;
import dev.attentive.model.TwoTowerModels;
import dev.attentive.model.nn.TwoTowerModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code model.json} of a two-tower model, the manifest: format name and version, library and Java version, save time,
 * provenance, the model provider and its full config, each plugin's name and format version, and the
 * size and SHA-256 of every data file; and the parts every format's manifest shares. Stateless.
 */
final class ManifestFile {
    static final String NAME = "model.json";

    private ManifestFile() {
    }

    /**
     * The model's config and provenance as the manifest records them.
     *
     * @param config the config the model was trained with
     * @param provenance dataset, fingerprint, seed, training time and the like, in order
     */
    record Model(TwoTowerModelProvider.Config config, Map<String, String> provenance) {
    }

    /**
     * The manifest of a model whose data files are given (their sizes and checksums are recorded).
     *
     * @param files data file name to content, in the order they are listed
     */
    static byte[] write(TwoTowerModel model, Map<String, byte[]> files) {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest(model, files));
    }

    /**
     * A manifest's opening, shared by every format: format name and version, library, Java, save time
     * and provenance.
     */
    static ObjectNode header(String format, int version, Map<String, String> provenance) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", format);
        root.put("formatVersion", version);
        ObjectNode library = root.putObject("library");
        library.put("name", "attentive-core-model");
        library.put("version", libraryVersion());
        ObjectNode java = root.putObject("java");
        java.put("version", System.getProperty("java.version"));
        java.put("vendor", System.getProperty("java.vendor"));
        root.put("savedAt", Instant.now().toString());
        ObjectNode p = root.putObject("provenance");
        provenance.forEach(p::put);
        return root;
    }

    /** The manifest's closing {@code files} object: each data file's size and SHA-256. */
    static void files(ObjectNode root, Map<String, byte[]> files) {
        ObjectNode list = root.putObject("files");
        for (var f : files.entrySet()) {
            ObjectNode entry = list.putObject(f.getKey());
            entry.put("bytes", f.getValue().length);
            entry.put("sha256", ModelDirectory.sha256(f.getValue()));
        }
    }

    /** The provenance a manifest records, in order (empty when it has none). */
    static Map<String, String> provenance(JsonNode manifest) {
        Map<String, String> provenance = new LinkedHashMap<>();
        JsonNode prov = manifest.get("provenance");
        if (prov != null && prov.isObject()) {
            for (var e : prov.properties()) {
                provenance.put(e.getKey(), e.getValue().asString());
            }
        }
        return provenance;
    }

    private static ObjectNode manifest(TwoTowerModel model, Map<String, byte[]> files) {
        ObjectNode root = header(TwoTowerModels.FORMAT, TwoTowerModels.FORMAT_VERSION, model.provenance);
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
        files(root, files);
        return root;
    }

    static void plugin(ObjectNode plugins, String place, Provider<?> provider) {
        ObjectNode p = plugins.putObject(place);
        p.put("name", provider.name());
        p.put("formatVersion", provider.formatVersion());
    }

    /** The library version from the build (filtered resource), or "unknown" when run unpackaged. */
    static String libraryVersion() {
        try (InputStream in = ManifestFile.class.getResourceAsStream("attentive-model.properties")) {
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


    /**
     * Reads the manifest of a two-tower model directory and checks its format name and version.
     *
     * @return the manifest
     * @throws ModelFormatException when {@code dir} is not a directory, the manifest is missing or not
     *     JSON, or its format is another or a version this library does not read
     */
    static JsonNode read(Path dir) throws IOException {
        return read(dir, TwoTowerModels.FORMAT, TwoTowerModels.FORMAT_VERSION);
    }

    /**
     * Reads the manifest of a model directory and checks its format name and version.
     *
     * @param format the format expected
     * @param maxVersion the newest version of it this library reads (it reads every one from 1)
     * @return the manifest
     * @throws ModelFormatException when {@code dir} is not a directory, the manifest is missing or not
     *     JSON, or its format is another or a version this library does not read
     */
    static JsonNode read(Path dir, String format, int maxVersion) throws IOException {
        Path manifestFile = dir.resolve(NAME);
        JsonNode manifest = readAny(dir);
        String saved = text(manifest, "format", manifestFile);
        if (!format.equals(saved)) {
            throw new ModelFormatException(manifestFile, "format is '" + saved + "', expected '" + format + "'");
        }
        int version = integer(manifest, "formatVersion", manifestFile);
        if (version < 1 || version > maxVersion) {
            throw new ModelFormatException(manifestFile, "format version " + version + " is not supported: this "
                    + "library (" + libraryVersion() + ") reads versions 1 to " + maxVersion
                    + (version > maxVersion ? "; load it with the newer library that saved it" : ""));
        }
        return manifest;
    }

    /**
     * Reads the manifest of a model directory of any format.
     *
     * @return the manifest, a JSON object
     * @throws ModelFormatException when {@code dir} is not a directory or the manifest is missing or not
     *     a JSON object
     */
    static JsonNode readAny(Path dir) throws IOException {
        Path manifestFile = dir.resolve(NAME);
        if (!Files.isDirectory(dir)) {
            throw new ModelFormatException(dir, "not a directory; name the directory a model was saved to");
        }
        byte[] manifestBytes;
        try {
            manifestBytes = Files.readAllBytes(manifestFile);
        } catch (NoSuchFileException e) {
            throw new ModelFormatException(manifestFile, "missing: " + dir + " is not a saved model");
        }
        return JsonFields.parse(manifestFile, manifestBytes);
    }

    /** The provider, config (validated, every plugin available) and provenance the manifest records. */
    static Model model(JsonNode manifest, Path manifestFile) throws ModelFormatException {
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
        // Saved before logQWeight existed: trained with the whole correction, 1 (the default is now 1.5).
        settings.putIfAbsent("logQWeight", "1");
        TwoTowerModelProvider.Config config;
        try {
            config = new TwoTowerModelProvider().configure(settings);
        } catch (ConfigException e) {
            throw new ModelFormatException(manifestFile, "model.config is invalid: " + e.getMessage());
        }
        checkPlugins(manifestFile, object(manifest, "plugins", manifestFile), config);
        return new Model(config, provenance(manifest));
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

}
